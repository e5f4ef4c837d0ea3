"""Writes to the region tree (ORG-1): townships and villages entered or imported by staff.

Province, city and county rows ship with the software and are never written here. A new
region sits one level below its parent, within the actor's reach; without a national code it
gets a local one (parent code + "L" + sequence), flagged ``code_is_local``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import Actor, can_edit, can_edit_model, scope
from lianxin.common import sheets
from lianxin.common.errors import NotAllowed
from lianxin.regions.models import Region

STAFF_LEVELS = (Region.Level.TOWNSHIP, Region.Level.VILLAGE)
MAX_IMPORT_ROWS = 5000


def next_local_code(parent: Region, taken: set[str] | None = None) -> str:
    """The next free local code under ``parent``: parent code + "L" + a 3-digit sequence."""
    prefix = f"{parent.code}L"
    used = set(Region.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    used |= {c for c in (taken or set()) if c.startswith(prefix)}
    numbers = [int(c[len(prefix) :]) for c in used if c[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def _check_new(
    *, parent: Region | None, name: str, level: int, code: str, exclude_pk: int | None = None
) -> dict[str, str]:
    """Chinese messages for what is wrong with a new (or edited) township or village."""
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("请填写名称。")
    if level not in STAFF_LEVELS:
        errors["level"] = _("只能新增乡镇/街道或村/社区。")
    if parent is None:
        errors["parent"] = _("请选择上级区划。")
        return errors
    if level in STAFF_LEVELS and level != parent.level + 1:
        errors["level"] = _("级别必须比上级区划低一级：%(parent)s的下级应为%(level)s。") % {
            "parent": parent.name,
            "level": Region.Level(parent.level + 1).label
            if parent.level + 1 in Region.Level.values
            else "—",
        }
    siblings = Region.objects.filter(parent=parent, name=name)
    if exclude_pk is not None:
        siblings = siblings.exclude(pk=exclude_pk)
    if name and siblings.exists():
        errors["name"] = _("%(parent)s下已有名为“%(name)s”的区划。") % {
            "parent": parent.name,
            "name": name,
        }
    if code and parent.code_is_local:
        errors["code"] = _("上级区划“%(parent)s”使用本地代码，请先为它填写国家区划代码。") % {
            "parent": parent.name
        }
    elif code:
        probe = Region(parent=parent, level=level, code=code, name=name or "-")
        try:
            probe.clean()
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                if key == "code":
                    errors["code"] = messages[0]
        others = Region.objects.filter(code=code)
        if exclude_pk is not None:
            others = others.exclude(pk=exclude_pk)
        if "code" not in errors and others.exists():
            errors["code"] = _("区划代码 %(code)s 已被使用。") % {"code": code}
    return errors


def _require_parent_in_reach(actor: Actor, parent: Region | None) -> None:
    if not can_edit_model(actor, Region):
        raise NotAllowed
    if parent is not None and not scope(actor, Region.objects.filter(pk=parent.pk)).exists():
        raise NotAllowed


@transaction.atomic
def region_create(
    *, actor: Actor, parent: Region, name: str, level: int, code: str = "", kind: str = ""
) -> Region:
    """Adds a township under a county or a village under a township, within reach."""
    _require_parent_in_reach(actor, parent)
    name, code, kind = name.strip(), code.strip(), kind.strip()
    errors = _check_new(parent=parent, name=name, level=level, code=code)
    if errors:
        raise ValidationError(errors)
    region = Region(parent=parent, name=name, level=level, kind=kind)
    if code:
        region.code = code
    else:
        region.code, region.code_is_local = next_local_code(parent), True
    region.clean()
    region.save()
    return region


@transaction.atomic
def region_update(
    *, actor: Actor, region: Region, name: str, kind: str = "", code: str = ""
) -> Region:
    """Renames a township or village, or gives it its national code (clearing the local one)."""
    if region.level not in STAFF_LEVELS or not can_edit(actor, region):
        raise NotAllowed
    name, code, kind = name.strip(), code.strip(), kind.strip()
    new_code = code if code and code != region.code else ""
    errors = _check_new(
        parent=region.parent,  # type: ignore[arg-type]
        name=name,
        level=region.level,
        code=new_code,
        exclude_pk=region.pk,
    )
    if errors:
        raise ValidationError(errors)
    region.name, region.kind = name, kind
    if new_code:
        region.code, region.code_is_local = new_code, False
    region.save()
    return region


# --- Import from a simple sheet ------------------------------------------------------------

SHEET_COLUMNS = ["上级区划代码或名称", "名称", "级别", "区划代码"]
_LEVEL_WORDS = {
    "4": 4,
    "乡镇": 4,
    "乡": 4,
    "镇": 4,
    "街道": 4,
    "乡镇/街道": 4,
    "乡镇街道": 4,
    "5": 5,
    "村": 5,
    "社区": 5,
    "村/社区": 5,
    "村社区": 5,
}


@dataclass
class SheetRow:
    line: int  # the row number as the spreadsheet shows it
    parent_ref: str
    name: str
    level_text: str
    code: str


@dataclass
class _Pending:
    """A region the sheet will create, used to resolve later rows that name it as parent."""

    row: SheetRow
    level: int
    parent: Region | _Pending
    code: str = ""
    region: Region | None = None


@dataclass
class ImportResult:
    rows: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    created: list[Region] = field(default_factory=list)
    unchanged: int = 0
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors


SHEET_SPEC = [
    sheets.Column(
        "parent_ref",
        "上级区划代码或名称",
        ("上级区划", "上级", "上级代码", "上级区划代码", "上级区划名称", "所属区划"),
        note="已有的县、乡镇的区划代码或名称，或表中前面行的名称",
        example="410425",
    ),
    sheets.Column("name", "名称", ("区划名称", "乡镇/村名称"), example="新镇"),
    sheets.Column(
        "level", "级别", ("层级", "区划级别"), note="乡镇/街道 或 村/社区", example="乡镇"
    ),
    sheets.Column(
        "code", "区划代码", ("代码", "国家区划代码"), note="可空，不知道时系统生成本地代码"
    ),
]


def read_sheet(upload: IO[bytes], filename: str) -> list[SheetRow]:
    """Rows of a CSV (UTF-8 or GBK) or XLSX sheet through the shared sheet reader
    (title rows, merged or two-row headers, full-width digits); a sheet without a header
    is read by column order."""
    try:
        table = sheets.read_table(
            upload, filename, SHEET_SPEC, positional_fallback=True, max_rows=MAX_IMPORT_ROWS
        )
    except sheets.SheetError as exc:
        raise ValidationError(str(exc)) from exc
    return [
        SheetRow(
            row.line,
            sheets.compact(row.raw("parent_ref")),
            row.text("name"),
            sheets.compact(row.raw("level")),
            sheets.compact(row.raw("code")),
        )
        for row in table.rows
    ]


def regions_import(*, actor: Actor, rows: list[SheetRow], dry_run: bool) -> ImportResult:
    """Checks every row (dry run: reports every bad row, writes nothing); a real import
    writes all rows or none."""
    if not can_edit_model(actor, Region):
        raise NotAllowed
    result = ImportResult(rows=len(rows), dry_run=dry_run)
    reachable = scope(actor, Region.objects.all())
    pending_by_ref: dict[str, list[_Pending]] = {}
    plan: list[_Pending] = []
    codes_in_sheet: set[str] = set()
    names_in_sheet: set[tuple[str, str]] = set()
    for row in rows:
        reasons: list[str] = []
        level = _LEVEL_WORDS.get(row.level_text.replace(" ", ""))
        if not row.name:
            reasons.append(_("名称为空"))
        if level is None:
            reasons.append(
                _("级别“%(v)s”无法识别，应为 乡镇/街道 或 村/社区（或4、5）")
                % {"v": row.level_text}
            )
        parent: Region | _Pending | None = None
        if not row.parent_ref:
            reasons.append(_("上级区划为空"))
        else:
            parent, why = _resolve_parent(row.parent_ref, reachable, pending_by_ref)
            if why:
                reasons.append(why)
        if isinstance(parent, Region) and level is not None and row.name and not reasons:
            existing = Region.objects.filter(parent=parent, name=row.name, level=level).first()
            if existing is not None and row.code in ("", existing.code):
                result.unchanged += 1  # re-importing an export changes nothing (ORG-14)
                continue
        if parent is not None and level is not None and row.name:
            if isinstance(parent, Region):
                problems = _check_new(parent=parent, name=row.name, level=level, code=row.code)
                reasons.extend(problems[k] for k in ("level", "name", "code") if k in problems)
            else:
                if level != parent.level + 1:
                    reasons.append(_("级别必须比上级区划低一级"))
                if row.code:
                    if not parent.code:
                        reasons.append(_("上级区划没有国家代码，本行不能填写国家代码"))
                    else:
                        probe = Region(level=level, code=row.code, name=row.name)
                        probe.parent = Region(level=parent.level, code=parent.code)
                        try:
                            probe.clean()
                        except ValidationError as exc:
                            reasons.extend(exc.message_dict.get("code", []))
                        if Region.objects.filter(code=row.code).exists():
                            reasons.append(_("区划代码 %(code)s 已被使用") % {"code": row.code})
            key = (
                f"r{parent.pk}" if isinstance(parent, Region) else f"p{id(parent)}",
                row.name,
            )
            if key in names_in_sheet:
                reasons.append(_("表中重复：同一上级下已有同名区划"))
            names_in_sheet.add(key)
        if row.code:
            if row.code in codes_in_sheet:
                reasons.append(_("表中重复：区划代码 %(code)s 出现多次") % {"code": row.code})
            codes_in_sheet.add(row.code)
        if reasons:
            result.errors.append((row.line, "；".join(str(r) for r in reasons)))
            continue
        assert parent is not None and level is not None
        item = _Pending(row=row, level=level, parent=parent, code=row.code)
        plan.append(item)
        for ref in {row.name, row.code} - {""}:
            pending_by_ref.setdefault(ref, []).append(item)
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        for item in plan:
            parent_region = item.parent if isinstance(item.parent, Region) else item.parent.region
            assert parent_region is not None
            item.region = region_create(
                actor=actor,
                parent=parent_region,
                name=item.row.name,
                level=item.level,
                code=item.code,
            )
            result.created.append(item.region)
    return result


def _resolve_parent(
    ref: str, reachable: Any, pending: dict[str, list[_Pending]]
) -> tuple[Region | _Pending | None, str]:
    """The parent a row names, by code or name, among regions in reach or earlier rows."""
    by_code = list(reachable.filter(code=ref)[:2])
    if by_code:
        return by_code[0], ""
    earlier = pending.get(ref, [])
    by_name = list(reachable.filter(name=ref, level__in=(3, 4))[:2])
    if len(by_name) + len(earlier) > 1:
        return None, _("上级区划“%(ref)s”不唯一，请改填区划代码") % {"ref": ref}
    if by_name:
        return by_name[0], ""
    if earlier:
        return earlier[0], ""
    return None, _("找不到上级区划“%(ref)s”（或不在您的管辖范围内）") % {"ref": ref}
