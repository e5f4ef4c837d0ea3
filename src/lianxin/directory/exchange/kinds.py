"""What each importable sheet holds (ORG-14): its columns (with the names offices use), how
one row is written within the actor's reach, and how records are exported so that the export
re-imports without changes.

A row's ``apply`` raises ``RowError`` with every reason in Chinese; the engine in
``services`` runs each row in a savepoint, so a dry run finds every bad row and the real
import writes all rows or none.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.accounts.permissions import Actor, Perm, can_edit_model, in_reach, scope
from lianxin.common import sheets
from lianxin.common.fields import blind_index, mask_value
from lianxin.common.services import check_actor_rules
from lianxin.common.sheets import CellError, Column, Row
from lianxin.directory.models import (
    Congress,
    Delegation,
    DeputyGroup,
    Expert,
    ExpertAssignment,
    Grid,
    GridMember,
    GroupMembership,
    HandlingUnit,
    Mandate,
    Person,
    Station,
    StationMembership,
    StationStaff,
    Term,
)
from lianxin.regions.models import Region

L = gettext_lazy
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class RowError(Exception):
    def __init__(self, reasons: list[str]) -> None:
        self.reasons = [str(r) for r in reasons]
        super().__init__("；".join(self.reasons))


@dataclass
class Context:
    """What one run of a sheet knows: the actor, lookups cached across rows, and what earlier
    rows of the same sheet said (for duplicates within the sheet)."""

    actor: Actor
    reveal: bool = False
    cache: dict[Any, Any] = field(default_factory=dict)
    seen: dict[Any, Any] = field(default_factory=dict)


class Reasons(list[str]):
    """Collects every problem of a row before it is refused."""

    def cell(self, fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except CellError as exc:
            self.append(str(exc))
            return None

    def check(self) -> None:
        if self:
            raise RowError(list(self))


def _assign(obj: models.Model, values: dict[str, Any], *, keep_empty: bool = True) -> bool:
    """Sets changed values; an empty cell leaves the stored value (``keep_empty``)."""
    changed = False
    for name, value in values.items():
        if keep_empty and value in ("", None):
            continue
        try:
            current = getattr(obj, name)
        except ObjectDoesNotExist:  # a relation not set yet
            current = None
        if current != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _full_clean(obj: models.Model, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as exc:
        raise RowError([m for ms in exc.message_dict.values() for m in ms]) from exc


def _validate(ctx: Context, obj: models.Model, exclude: list[str] | None = None) -> None:
    """The model's own rules (``clean`` and its constraints, in Chinese) and the rules that
    depend on who saves (``common.services.check_actor_rules``, e.g. ORG-9), as row errors."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as exc:
        raise RowError(_messages(exc)) from exc
    try:
        check_actor_rules(ctx.actor, obj)
    except ValidationError as exc:
        raise RowError(_messages(exc)) from exc


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for ms in exc.message_dict.values() for m in ms]
    return list(exc.messages)


def _date(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
_CN_DIGITS |= {"八": 8, "九": 9}


def chinese_number(text: str) -> int | None:
    """十七 → 17, 二十一 → 21 (届次 as offices write them); None if not a numeral."""
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _sep, ones = text.partition("十")
    return (_CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)


def parse_term_number(value: Any) -> int | None:
    text = sheets.compact(value)
    if not text:
        return None
    core = re.sub(r"^第|[届次]$", "", text)
    number = chinese_number(core)
    if number is not None:
        return number
    return sheets.parse_int(core, _("届次"))


def _bool(value: Any) -> bool | None:
    text = sheets.compact(value)
    if not text:
        return None
    return sheets.parse_choice(text, {"是": "1", "启用": "1", "否": "", "停用": ""}, "启用") == "1"


# --- Lookups within reach -----------------------------------------------------------------


def region_label(region: Region | None) -> str:
    return f"{region.name}（{region.code}）" if region else ""


def _named_record(
    r: Reasons, ctx: Context, row: Row, kinds: dict[str, str]
) -> tuple[str, Any, Any]:
    """Name, type and region of a station or unit row; each problem goes into ``r``."""
    name = row.text("name")
    if not name:
        r.append(_("名称为空"))
    kind = r.cell(sheets.parse_choice, row.raw("kind"), kinds, "类型")
    region = None
    if region_text := row.text("region"):
        region = r.cell(resolve_region, ctx, region_text)
    else:
        r.append(_("所在区域为空"))
    return name, kind, region


def resolve_region(ctx: Context, text: str) -> Region:
    """A region in reach by "名称（代码）", by code, or by a unique name."""
    key = ("region", text)
    if key in ctx.cache:
        return ctx.cache[key]  # type: ignore[no-any-return]
    reachable = scope(ctx.actor, Region.objects.all())
    match = re.fullmatch(r"(.*?)[(（]([0-9A-Za-z]+)[)）]", sheets.to_half_width(text))
    code = match.group(2) if match else text
    found = list(reachable.filter(code=code)[:1])
    if not found:
        found = list(reachable.filter(name=match.group(1) if match else text)[:2])
    if len(found) != 1:
        raise CellError(
            _("区域“%(v)s”有重名，请写成“名称（区划代码）”") % {"v": text}
            if found
            else _("找不到区域“%(v)s”（或不在您的管辖范围内）") % {"v": text}
        )
    ctx.cache[key] = found[0]
    return found[0]


def _congress_key(name: str) -> str:
    name = sheets.compact(name)
    for suffix in ("人民代表大会", "人大"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


_LEVEL_WORDS = {
    "全国": 0,
    "省": 1,
    "省级": 1,
    "市": 2,
    "市级": 2,
    "县": 3,
    "县级": 3,
    "县区": 3,
    "区": 3,
    "乡": 4,
    "镇": 4,
    "乡镇": 4,
    "乡镇级": 4,
    "乡级": 4,
}


def resolve_congress(ctx: Context, text: str) -> Congress:
    """A congress in reach by its name (with or without 人民代表大会) or, when it is the
    only one of its level in reach, by its level (县级, 乡镇)."""
    if "congresses" not in ctx.cache:
        ctx.cache["congresses"] = list(scope(ctx.actor, Congress.objects.select_related("region")))
    congresses: list[Congress] = ctx.cache["congresses"]
    key = _congress_key(text)
    named = [c for c in congresses if _congress_key(c.name) == key]
    if len(named) == 1:
        return named[0]
    level = _LEVEL_WORDS.get(key)
    if level is not None:
        at_level = [c for c in congresses if c.level == level]
        if len(at_level) == 1:
            return at_level[0]
        if at_level:
            raise CellError(
                _("“%(v)s”在您的管辖范围内对应%(n)s个人大，请填写人大名称")
                % {"v": text, "n": len(at_level)}
            )
    raise CellError(_("找不到人大“%(v)s”（或不在您的管辖范围内）") % {"v": text})


def resolve_term(ctx: Context, congress: Congress, number: int | None) -> Term:
    key = ("term", congress.pk, number)
    if key not in ctx.cache:
        terms = Term.objects.filter(congress=congress)
        term = (
            terms.filter(is_current=True).first()
            if number is None
            else terms.filter(number=number).first()
        )
        ctx.cache[key] = term
    term = ctx.cache[key]
    if term is None:
        if number is None:
            raise CellError(_("%(c)s没有本届届次，请填写届次") % {"c": congress.name})
        raise CellError(
            _("%(c)s还没有第%(n)s届，请先在“届次”中新增") % {"c": congress.name, "n": number}
        )
    return term  # type: ignore[no-any-return]


def find_person(id_number: str) -> Person | None:
    return Person.objects.filter(id_number_index=blind_index(id_number)).first()


def person_in_reach(ctx: Context, person: Person) -> bool:
    return scope(ctx.actor, Person.objects.filter(pk=person.pk)).exists()


def resolve_station(ctx: Context, text: str, label: str) -> Station:
    key = ("station", text)
    if key not in ctx.cache:
        ctx.cache[key] = list(scope(ctx.actor, Station.objects.filter(name=text))[:2])
    found: list[Station] = ctx.cache[key]
    if len(found) != 1:
        raise CellError(
            _("%(label)s“%(v)s”有重名，请先改名区分") % {"label": label, "v": text}
            if found
            else _("找不到%(label)s“%(v)s”（或不在您的管辖范围内）") % {"label": label, "v": text}
        )
    return found[0]


def resolve_unit(ctx: Context, text: str) -> HandlingUnit:
    found = list(scope(ctx.actor, HandlingUnit.objects.filter(name=text))[:2])
    if len(found) != 1:
        raise CellError(
            _("上级单位“%(v)s”有重名，请先改名区分") % {"v": text}
            if found
            else _("找不到上级单位“%(v)s”（或不在您的管辖范围内）") % {"v": text}
        )
    return found[0]


def _person_by_id(ctx: Context, reasons: Reasons, row: Row, *, must_exist: bool) -> Person | None:
    id_number = reasons.cell(sheets.parse_id_number, row.raw("id_number"))
    if id_number is None:
        return None
    person = find_person(id_number)
    name = sheets.compact(row.raw("name"))
    if person is None or not person_in_reach(ctx, person):
        if must_exist:
            reasons.append(
                _("找不到身份证号为 %(v)s 的人员（或不在您的管辖范围内），请先导入代表名册")
                % {"v": mask_value(id_number, "id_number")}
            )
        return None
    if name and sheets.compact(person.name) != name:
        reasons.append(
            _("身份证号已登记为“%(known)s”，与本行姓名“%(name)s”不符")
            % {"known": person.name, "name": name}
        )
    return person


def _personal(ctx: Context, value: str, kind: str) -> str:
    return value if ctx.reveal else mask_value(value, kind)


# --- Kinds --------------------------------------------------------------------------------


class Kind:
    key: ClassVar[str]
    label: ClassVar[Any]
    model: ClassVar[type[models.Model]]
    columns: ClassVar[list[Column]]
    list_url_names: ClassVar[tuple[str, ...]] = ()
    has_personal_data: ClassVar[bool] = False

    def may_import(self, actor: Actor) -> bool:
        return can_edit_model(actor, self.model)

    def may_export(self, actor: Actor) -> bool:
        return actor.has(Perm.VIEW_DIRECTORY)

    def apply(self, ctx: Context, row: Row) -> str:
        raise NotImplementedError

    def export_rows(self, ctx: Context) -> Iterator[list[Any]]:
        raise NotImplementedError

    def headers(self) -> list[str]:
        return [c.label for c in self.columns]

    def notes(self) -> list[str]:
        return [c.note for c in self.columns]

    def example(self) -> list[str]:
        return [c.example for c in self.columns]


_GENDERS = {"男": "M", "女": "F", "男性": "M", "女性": "F", "M": "M", "F": "F"}
_MANDATE_KINDS = {
    "人大代表": Mandate.Kind.DEPUTY,
    "代表": Mandate.Kind.DEPUTY,
    "议政代表": Mandate.Kind.PARTICIPANT,
}
_STATUSES = {str(label): value for value, label in Mandate.Status.choices}
_END_REASONS = {str(label): value for value, label in Mandate.EndReason.choices}
_END_REASONS |= {"辞职": "resignation", "罢免": "recall", "调离": "moved", "去世": "death"}


class MandateKind(Kind):
    """代表名册: one row per mandate, the person matched by ID number (ORG-3)."""

    key = "mandates"
    label = L("代表及任职")
    model = Mandate
    list_url_names = ("directory:person_list", "directory:mandate_list")
    has_personal_data = True
    columns = [
        Column("name", "姓名", ("名字", "代表姓名"), required=True, example="张三"),
        Column("gender", "性别", example="男"),
        Column("ethnicity", "民族", example="汉族"),
        Column("party", "政治面貌", ("党派",), example="中共党员"),
        Column(
            "id_number",
            "身份证号",
            ("公民身份号码", "身份证号码", "身份证", "公民身份证号"),
            required=True,
            note="18位，请以文本格式填写，不要让Excel存成数字",
            example="11010519491231002X",  # the standard's sample number, never a real person
        ),
        Column("phone", "手机", ("联系电话", "手机号码", "手机号", "电话"), example="13800000000"),
        Column(
            "work_unit", "工作单位", ("单位", "工作单位及职务", "单位及职务"), example="某某公司"
        ),
        Column("title", "职务", ("现任职务",), example="总经理"),
        Column(
            "congress",
            "人大名称",
            ("人大级别", "所属人大", "代表级别", "人大", "级别"),
            required=True,
            note="如 郏县人民代表大会；管辖范围内只有一个该级人大时可只填级别（县级、乡镇）",
            example="郏县人民代表大会",
        ),
        Column("term", "届次", ("届别",), note="如 第十七届 或 17；空则为本届", example="第十七届"),
        Column(
            "delegation",
            "代表团/选区",
            ("代表团", "选区", "所在代表团", "选举单位"),
            example="第一选区",
        ),
        Column(
            "kind", "身份", ("代表类别", "类别"), note="人大代表 或 议政代表", example="人大代表"
        ),
        Column("status", "状态", ("任职状态",), note="在任、辞职 或 终止", example="在任"),
        Column(
            "started_on",
            "任职日期",
            ("当选日期", "任职时间"),
            note="空则为届次开始日期",
            example="2021-10-01",
        ),
        Column("ended_on", "终止日期", ("离任日期",)),
        Column("end_reason", "终止原因", ("离任原因",)),
    ]

    def apply(self, ctx: Context, row: Row) -> str:
        r = Reasons()
        name = sheets.compact(row.raw("name"))
        if not name:
            r.append(_("姓名为空"))
        id_number = r.cell(sheets.parse_id_number, row.raw("id_number"))
        gender = r.cell(sheets.parse_choice, row.raw("gender"), _GENDERS | {"": ""}, "性别")
        phone = r.cell(sheets.parse_phone, row.raw("phone"))
        kind = r.cell(sheets.parse_choice, row.raw("kind"), _MANDATE_KINDS | {"": "deputy"}, "身份")
        # An empty 状态 means "serving" for a new mandate and "as it is" for an existing one:
        # re-importing a sheet without that column must not revive ended mandates.
        status = r.cell(sheets.parse_choice, row.raw("status"), _STATUSES | {"": ""}, "状态")
        reason = r.cell(
            sheets.parse_choice, row.raw("end_reason"), _END_REASONS | {"": ""}, "终止原因"
        )
        started_on = r.cell(sheets.parse_date, row.raw("started_on"))
        ended_on = r.cell(sheets.parse_date, row.raw("ended_on"))
        number = r.cell(parse_term_number, row.raw("term"))
        term = None
        congress_text = row.text("congress")
        if not congress_text:
            r.append(_("人大名称为空"))
        else:
            congress = r.cell(resolve_congress, ctx, congress_text)
            term_given = bool(sheets.compact(row.raw("term")))
            if congress is not None and (number is not None or not term_given):
                term = r.cell(resolve_term, ctx, congress, number)
        if id_number and name:
            earlier = ctx.seen.get(("name", id_number))
            if earlier is not None and earlier != name:
                r.append(_("表中前面有同一身份证号但姓名不同的行"))
            ctx.seen[("name", id_number)] = name
            if term is not None:
                line = ctx.seen.get(("mandate", id_number, term.pk))
                if line is not None:
                    r.append(_("表中重复：第%(n)s行已有此人在同一届的任职") % {"n": line})
                ctx.seen[("mandate", id_number, term.pk)] = row.line
        r.check()
        assert term is not None and id_number is not None
        outcome = UNCHANGED
        person = find_person(id_number)
        values = {
            "name": name,
            "gender": gender,
            "ethnicity": row.text("ethnicity"),
            "party": row.text("party"),
            "phone": phone,
            "work_unit": row.text("work_unit")[:120],
            "title": row.text("title")[:120],
        }
        if person is None:
            person = Person(region=term.congress.region, id_number=id_number)
            _assign(person, values)
            person.id_number_index = blind_index(id_number)
            _full_clean(person, exclude=["account", "photo"])
            person.save()
            outcome = CREATED
        elif sheets.compact(person.name) != name:
            raise RowError([_("身份证号已登记的人员姓名与本行姓名“%(name)s”不符") % {"name": name}])
        elif person_in_reach(ctx, person) and _assign(person, values):
            _full_clean(person, exclude=["account", "photo"])
            person.save()
            outcome = UPDATED
        delegation = None
        if delegation_name := row.text("delegation"):
            delegation, made = Delegation.objects.get_or_create(
                term=term, name=delegation_name[:100]
            )
            outcome = outcome if not made or outcome == CREATED else UPDATED
        mandate = Mandate.objects.filter(person=person, term=term).first()
        fields = {
            "kind": kind,
            "delegation": delegation,
            "status": status,
            "started_on": started_on or (mandate.started_on if mandate else term.starts_on),
            "ended_on": ended_on,
            "end_reason": reason,
        }
        if not status and not ended_on and not reason:
            if mandate is not None:
                for key in ("status", "ended_on", "end_reason"):
                    fields.pop(key)
            else:
                fields["status"] = Mandate.Status.SERVING
        elif not status:
            fields["status"] = Mandate.Status.SERVING  # end date without a status: clean() says so
        if mandate is None:
            mandate = Mandate(person=person, term=term)
            _assign(mandate, fields, keep_empty=False)
            _full_clean(mandate, exclude=["person"])
            mandate.save()
            return CREATED
        if delegation is None:
            fields.pop("delegation")
        if _assign(mandate, fields, keep_empty=False):
            _full_clean(mandate, exclude=["person"])
            mandate.save()
            outcome = UPDATED if outcome == UNCHANGED else outcome
        return outcome

    def export_rows(self, ctx: Context) -> Iterator[list[Any]]:
        mandates = scope(
            ctx.actor,
            Mandate.objects.select_related("person", "term__congress", "delegation"),
        ).order_by(
            "term__congress__level", "term__congress__name", "-term__number", "person__name", "pk"
        )
        for m in mandates.iterator(chunk_size=500):
            p = m.person
            yield [
                p.name,
                p.get_gender_display(),
                p.ethnicity,
                p.party,
                _personal(ctx, p.id_number, "id_number"),
                _personal(ctx, p.phone, "phone"),
                p.work_unit,
                p.title,
                m.term.congress.name,
                _("第%(n)s届") % {"n": m.term.number},
                m.delegation.name if m.delegation else "",
                m.get_kind_display(),
                m.get_status_display(),
                _date(m.started_on),
                _date(m.ended_on),
                m.get_end_reason_display() if m.end_reason else "",
            ]


_STATION_KINDS = {str(label): value for value, label in Station.Kind.choices} | {
    "乡镇代表联络站": "township",
    "街道代表联络站": "township",
    "代表联络站": "township",
    "联络站": "township",
    "联络总站": "county_general",
    "代表联系群众工作室": "contact_room",
    "联系群众工作室": "contact_room",
    "联络点": "contact_room",
    "农家式联络点": "farmhouse",
    "产业代表联络站": "industry",
    "企业代表联络站": "industry",
    "监督站": "supervision",
    "基层立法联系点": "legislative",
    "立法联系点": "legislative",
    "信息采集点": "legislative",
}


class _TreeKind(Kind):
    """Stations and units: matched by name within their region; parent by name."""

    def _save_tree_node(self, ctx: Context, obj: Any, values: dict[str, Any], new: bool) -> str:
        changed = _assign(obj, values)
        if not new and not changed:
            return UNCHANGED
        _full_clean(obj, exclude=["parent", "congress", "path", "depth"])
        try:
            obj.save()
        except ValidationError as exc:  # a parent under itself
            raise RowError(exc.messages) from exc
        if not in_reach(ctx.actor, obj):
            raise RowError([_("只能保存您管辖范围内的记录")])
        return CREATED if new else UPDATED


class StationKind(_TreeKind):
    """联络站 with their parent station, type by Chinese label, region by name or code."""

    key = "stations"
    label = L("联络站")
    model = Station
    list_url_names = ("directory:station_list",)
    columns = [
        Column(
            "name",
            "名称",
            ("站点名称", "联络站名称", "站名"),
            required=True,
            example="甲镇代表联络站",
        ),
        Column(
            "kind",
            "类型",
            ("站点类型", "阵地类型"),
            required=True,
            note="如 乡镇（街道）代表联络站、代表之家、联络点",
            example="乡镇（街道）代表联络站",
        ),
        Column("parent", "上级联络站", ("上级站点", "上级"), note="已有的或表中前面行的联络站名称"),
        Column(
            "region",
            "所在区域",
            ("所在地区", "区域", "所属乡镇", "所在乡镇"),
            required=True,
            note="区划名称或代码；重名时写成 名称（代码）",
            example="甲镇",
        ),
        Column("address", "地址", ("站点地址",), example="甲镇人民路1号"),
        Column("opening_hours", "开放时间", ("接待时间",), example="每周三上午9:00-12:00"),
        Column("phone", "站点电话", ("电话", "联系电话")),
        Column("industry", "服务产业", ("产业",)),
        Column("is_active", "启用", ("是否启用",), note="是 或 否，空为是"),
    ]

    def apply(self, ctx: Context, row: Row) -> str:
        r = Reasons()
        name, kind, region = _named_record(r, ctx, row, _STATION_KINDS)
        parent = None
        if parent_text := row.text("parent"):
            if parent_text == name:
                r.append(_("上级联络站不能是自己"))
            else:
                parent = r.cell(resolve_station, ctx, parent_text, _("上级联络站"))
        active = r.cell(_bool, row.raw("is_active"))
        if name:
            line = ctx.seen.get(("station", name))
            if line is not None:
                r.append(_("表中重复：第%(n)s行已有同名联络站") % {"n": line})
            ctx.seen[("station", name)] = row.line
        r.check()
        existing = list(scope(ctx.actor, Station.objects.filter(name=name, region=region))[:1])
        station = existing[0] if existing else Station(name=name)
        values = {
            "kind": kind,
            "region": region,
            "parent": parent,
            "address": row.text("address"),
            "opening_hours": row.text("opening_hours"),
            "phone": row.text("phone"),
            "industry": row.text("industry"),
            "is_active": active,
        }
        if station.pk is None and region is not None and station.congress_id is None:
            station.congress = region.congresses.first()
        outcome = self._save_tree_node(ctx, station, values, station.pk is None)
        ctx.cache.pop(("station", name), None)
        return outcome

    def export_rows(self, ctx: Context) -> Iterator[list[Any]]:
        stations = scope(ctx.actor, Station.objects.select_related("parent", "region"))
        for s in stations.order_by("path"):
            yield [
                s.name,
                s.get_kind_display(),
                s.parent.name if s.parent else "",  # type: ignore[attr-defined]
                region_label(s.region),
                s.address,
                s.opening_hours,
                s.phone,
                s.industry,
                "是" if s.is_active else "否",
            ]


_STAFF_ROLES = {str(label): value for value, label in StationStaff.Role.choices}
_STAFF_SIDES = {str(label): value for value, label in StationStaff.Side.choices} | {
    "人大": "congress",
    "驻站单位方": "host",
    "驻站单位": "host",
    "企业方": "host",
    "企业": "host",
    "": "",
}


class StationStaffKind(Kind):
    """站长, 副站长, 联络员 of stations; a person not yet registered is added."""

    key = "station_staff"
    label = L("站点工作人员")
    model = StationStaff
    list_url_names = ("directory:stationstaff_list",)
    has_personal_data = True
    columns = [
        Column(
            "station", "联络站", ("站点", "联络站名称"), required=True, example="甲镇代表联络站"
        ),
        Column("name", "姓名", ("名字",), required=True, example="李四"),
        Column(
            "id_number",
            "身份证号",
            ("公民身份号码", "身份证号码"),
            required=True,
            example="11010519491231002X",  # the standard's sample number, never a real person
        ),
        Column("phone", "手机", ("联系电话", "手机号码")),
        Column(
            "role",
            "职务",
            ("岗位",),
            required=True,
            note=(
                "站长、副站长、联络员、特邀指导员、法律顾问、立法顾问；"
                "直报员、信息采集员只设在基层立法联系点"
            ),
            example="站长",
        ),
        Column(
            "side",
            "派出方",
            ("双站长", "派出单位"),
            note="人大方 或 驻站单位（企业）方，空为人大方；“双站长”只在企业（产业）联络站和监督站",
            example="人大方",
        ),
        Column("starts_on", "开始日期", ("任职日期",), example="2024-01-01"),
        Column("ends_on", "结束日期", ("离任日期",)),
    ]

    def apply(self, ctx: Context, row: Row) -> str:
        r = Reasons()
        station = None
        if text := row.text("station"):
            station = r.cell(resolve_station, ctx, text, _("联络站"))
        else:
            r.append(_("联络站为空"))
        role = r.cell(sheets.parse_choice, row.raw("role"), _STAFF_ROLES, "职务")
        side = r.cell(sheets.parse_choice, row.raw("side"), _STAFF_SIDES, "派出方")
        starts_on = r.cell(sheets.parse_date, row.raw("starts_on"))
        ends_on = r.cell(sheets.parse_date, row.raw("ends_on"))
        phone = r.cell(sheets.parse_phone, row.raw("phone"))
        may_add = can_edit_model(ctx.actor, Person)
        person = _person_by_id(ctx, r, row, must_exist=not may_add)
        name = sheets.compact(row.raw("name"))
        if not name:
            r.append(_("姓名为空"))
        r.check()
        outcome = UNCHANGED
        if person is None:
            person = _new_person(row, station.region if station else None, phone)
            outcome = CREATED
        staff = (
            StationStaff.objects.filter(
                station=station, person=person, role=role, ends_on__isnull=True
            ).first()
            or StationStaff.objects.filter(station=station, person=person, role=role).first()
        )
        values = {"side": side, "starts_on": starts_on, "ends_on": ends_on}
        if staff is None:
            staff = StationStaff(station=station, person=person, role=role)
            staff.side = side or StationStaff.Side.CONGRESS
            staff.starts_on = starts_on or timezone.localdate()
            staff.ends_on = ends_on
            _validate(ctx, staff)
            staff.save()
            return CREATED
        if _assign(staff, values):
            _validate(ctx, staff)
            staff.save()
            return UPDATED
        return outcome

    def export_rows(self, ctx: Context) -> Iterator[list[Any]]:
        rows = scope(ctx.actor, StationStaff.objects.select_related("station", "person"))
        for s in rows.order_by("station__path", "role", "person__name"):
            yield [
                s.station.name,
                s.person.name,
                _personal(ctx, s.person.id_number, "id_number"),
                _personal(ctx, s.person.phone, "phone"),
                s.get_role_display(),
                s.get_side_display(),
                _date(s.starts_on),
                _date(s.ends_on),
            ]


_MEMBERSHIP_KINDS = {str(label): value for value, label in StationMembership.Kind.choices} | {
    "属地": "home",
    "双进站": "dual",
    "产业站": "dual",
    "": "",
}


class StationMembershipKind(Kind):
    """Deputies sitting in stations (进站代表); the deputies must be registered first."""

    key = "station_members"
    label = L("进站代表")
    model = StationMembership
    list_url_names = ("directory:stationmember_list",)
    has_personal_data = True
    columns = [
        Column(
            "station",
            "联络站",
            ("站点", "联络站名称", "所在联络站"),
            required=True,
            example="甲镇代表联络站",
        ),
        Column("name", "姓名", ("代表姓名", "名字"), required=True, example="张三"),
        Column(
            "id_number",
            "身份证号",
            ("公民身份号码", "身份证号码"),
            required=True,
            example="11010519491231002X",  # the standard's sample number, never a real person
        ),
        Column(
            "kind",
            "进站方式",
            ("进站类型",),
            note=(
                "属地进站 或 双进站，空为属地进站；每名代表只在本人所在地区属地进站一处，"
                "“双进站”另进企业（产业）代表联络站"
            ),
            example="属地进站",
        ),
        Column("starts_on", "进站日期", ("开始日期",), example="2024-01-01"),
        Column("ends_on", "离站日期", ("结束日期",)),
    ]

    def apply(self, ctx: Context, row: Row) -> str:
        r = Reasons()
        station = None
        if text := row.text("station"):
            station = r.cell(resolve_station, ctx, text, _("联络站"))
        else:
            r.append(_("联络站为空"))
        kind = r.cell(sheets.parse_choice, row.raw("kind"), _MEMBERSHIP_KINDS, "进站方式")
        starts_on = r.cell(sheets.parse_date, row.raw("starts_on"))
        ends_on = r.cell(sheets.parse_date, row.raw("ends_on"))
        person = _person_by_id(ctx, r, row, must_exist=True)
        if station is not None and person is not None:
            line = ctx.seen.get(("member", station.pk, person.pk))
            if line is not None:
                r.append(_("表中重复：第%(n)s行已有此人进入同一联络站") % {"n": line})
            ctx.seen[("member", station.pk, person.pk)] = row.line
        r.check()
        membership = (
            StationMembership.objects.filter(station=station, person=person)
            .order_by(models.F("ends_on").asc(nulls_first=True))  # the open one, on any database
            .first()
        )
        if membership is None:
            membership = StationMembership(station=station, person=person)
            membership.kind = kind or StationMembership.Kind.HOME
            membership.starts_on = starts_on or timezone.localdate()
            membership.ends_on = ends_on
            _validate(ctx, membership)
            membership.save()
            return CREATED
        if _assign(membership, {"kind": kind, "starts_on": starts_on, "ends_on": ends_on}):
            _validate(ctx, membership)
            membership.save()
            return UPDATED
        return UNCHANGED

    def export_rows(self, ctx: Context) -> Iterator[list[Any]]:
        rows = scope(ctx.actor, StationMembership.objects.select_related("station", "person"))
        for m in rows.order_by("station__path", "person__name", "pk"):
            yield [
                m.station.name,
                m.person.name,
                _personal(ctx, m.person.id_number, "id_number"),
                m.get_kind_display(),
                _date(m.starts_on),
                _date(m.ends_on),
            ]


_UNIT_KINDS = {str(label): value for value, label in HandlingUnit.Kind.choices} | {
    "政府": "government",
    "部门": "department",
    "监委": "supervisory",
    "法院": "court",
    "检察院": "procuratorate",
    "乡镇政府": "township_gov",
    "村委会": "village",
    "居委会": "community",
    "社区居委会": "community",
}


class UnitKind(_TreeKind):
    """承办单位 with their parent unit (ORG-11)."""

    key = "units"
    label = L("承办单位")
    model = HandlingUnit
    list_url_names = ("directory:unit_list",)
    columns = [
        Column("name", "名称", ("单位名称", "承办单位"), required=True, example="郏县交通运输局"),
        Column("short_name", "简称", example="交通局"),
        Column(
            "kind",
            "类型",
            ("单位类型",),
            required=True,
            note="如 政府部门、窗口单位、乡镇人民政府",
            example="政府部门",
        ),
        Column("parent", "上级单位", ("上级", "主管单位"), note="已有的或表中前面行的单位名称"),
        Column(
            "region",
            "所在区域",
            ("所在地区", "区域"),
            required=True,
            note="区划名称或代码；重名时写成 名称（代码）",
            example="郏县",
        ),
        Column("address", "地址"),
        Column("phone", "办公电话", ("电话", "联系电话")),
        Column("is_active", "启用", ("是否启用",), note="是 或 否，空为是"),
    ]

    def apply(self, ctx: Context, row: Row) -> str:
        r = Reasons()
        name, kind, region = _named_record(r, ctx, row, _UNIT_KINDS)
        parent = None
        if parent_text := row.text("parent"):
            parent = r.cell(resolve_unit, ctx, parent_text)
        active = r.cell(_bool, row.raw("is_active"))
        if name:
            line = ctx.seen.get(("unit", name))
            if line is not None:
                r.append(_("表中重复：第%(n)s行已有同名单位") % {"n": line})
            ctx.seen[("unit", name)] = row.line
        r.check()
        existing = list(scope(ctx.actor, HandlingUnit.objects.filter(name=name, region=region))[:1])
        unit = existing[0] if existing else HandlingUnit(name=name)
        values = {
            "short_name": row.text("short_name"),
            "kind": kind,
            "region": region,
            "parent": parent,
            "address": row.text("address"),
            "phone": row.text("phone"),
            "is_active": active,
        }
        return self._save_tree_node(ctx, unit, values, unit.pk is None)

    def export_rows(self, ctx: Context) -> Iterator[list[Any]]:
        units = scope(ctx.actor, HandlingUnit.objects.select_related("parent", "region"))
        for u in units.order_by("path"):
            yield [
                u.name,
                u.short_name,
                u.get_kind_display(),
                u.parent.name if u.parent else "",  # type: ignore[attr-defined]
                region_label(u.region),
                u.address,
                u.phone,
                "是" if u.is_active else "否",
            ]


# --- Groups, grids and experts (ORG-8, ORG-9, ORG-12) --------------------------------------


def _id_column(note: str = "") -> Column:
    return Column(
        "id_number",
        "身份证号",
        ("公民身份号码", "身份证号码"),
        required=True,
        note=note or "18位，请以文本格式填写",
        example="11010519491231002X",  # the standard's sample number, never a real person
    )


def _yes_no(value: Any, label: str) -> bool | None:
    text = sheets.compact(value)
    if not text:
        return None
    choices = {"是": "1", "否": "", "Y": "1", "N": "", "√": "1"}
    return sheets.parse_choice(text, choices, label) == "1"


def nearest_congress(region: Region) -> Congress | None:
    """The congress of a region or, where it has none (a street), of the nearest region above."""
    ids = [int(part) for part in region.path.strip("/").split("/") if part]
    found = Congress.objects.filter(region_id__in=ids).select_related("region")
    return max(found, key=lambda c: len(c.region.path), default=None)


def _new_person(row: Row, region: Region | None, phone: str | None) -> Person:
    """A person a sheet names who is not registered yet (grid staff, experts, station staff)."""
    id_number = sheets.parse_id_number(row.raw("id_number"))
    if find_person(id_number) is not None:
        raise RowError([_("该身份证号的人员不在您的管辖范围内")])
    person = Person(name=sheets.compact(row.raw("name")), id_number=id_number, phone=phone or "")
    person.region = region
    person.id_number_index = blind_index(id_number)
    _full_clean(person, exclude=["account", "photo"])
    person.save()
    return person


def _membership_for(queryset: models.QuerySet[Any], starts_on: datetime.date | None) -> Any:
    """The stored membership a row describes: the one that started that day, else the open one.
    (A sheet may list a person's ended and current spell in the same group.)"""
    if starts_on is not None:
        same_day = queryset.filter(starts_on=starts_on).first()
        if same_day is not None:
            return same_day
    return queryset.filter(ends_on__isnull=True).first()


def _no_repeat(ctx: Context, r: Reasons, key: tuple[Any, ...], line: int, what: str) -> None:
    earlier = ctx.seen.get(key)
    if earlier is not None:
        r.append(_("表中重复：第%(n)s行已有%(what)s") % {"n": earlier, "what": what})
    ctx.seen[key] = line


_GROUP_KINDS = {str(label): value for value, label in DeputyGroup.Kind.choices} | {
    "块": "area",
    "区域小组": "area",
    "条": "profession",
    "专业小组": "profession",
    "链": "chain",
    "产业链小组": "chain",
    "特色小组": "chain",
    "": "",
}
_GROUP_POSITIONS = {str(label): value for value, label in GroupMembership.Position.choices} | {
    "成员": "member",
    "": "",
}


class GroupMembershipKind(Kind):
    """代表小组 and their members (ORG-8): one row per member; a group not yet registered is
    made from its first row (块/条/链, region, congress, 混合编组, field)."""

    key = "group_members"
    label = L("代表小组成员")
    model = GroupMembership
    has_personal_data = True
    columns = [
        Column(
            "group",
            "小组名称",
            ("代表小组", "小组", "代表小组名称", "小组名"),
            required=True,
            example="城关镇第一代表小组",
        ),
        Column(
            "kind",
            "类型",
            ("小组类型",),
            note="块（区域小组）、条（专业小组）或 链（产业链小组）；新建小组时必填",
            example="块",
        ),
        Column(
            "region",
            "所在区域",
            ("所在地区", "区域"),
            required=True,
            note="区划名称或代码；重名时写成 名称（代码）",
            example="城关镇",
        ),
        Column(
            "congress",
            "组建人大",
            ("人大名称", "人大级别", "级别"),
            note="人大名称，或管辖范围内唯一的级别（县级、乡镇）；空则为所在区域的人大",
            example="城关镇人民代表大会",
        ),
        Column(
            "mixed",
            "混合编组",
            ("是否混合编组", "市乡混合编组"),
            note="是 或 否，空为否；“是”可编入区域内各级人大代表",
            example="否",
        ),
        Column(
            "field",
            "专业领域",
            ("专业领域或产业", "产业", "领域"),
            note="专业小组（条）和产业链小组（链）必填，如 财经预算、冷链物流",
        ),
        Column("station", "活动阵地", ("联络站",), note="可空；已有的联络站名称"),
        Column("name", "姓名", ("代表姓名", "名字"), required=True, example="张三"),
        _id_column("18位，请以文本格式填写；代表须已在代表名册中"),
        Column(
            "position",
            "职务",
            ("小组职务", "组内职务"),
            note="组长、副组长 或 组员，空为组员",
            example="组长",
        ),
        Column("starts_on", "开始日期", ("加入日期",), example="2024-01-01"),
        Column("ends_on", "结束日期", ("退出日期",)),
    ]

    def apply(self, ctx: Context, row: Row) -> str:
        r = Reasons()
        group_name = row.text("group")
        if not group_name:
            r.append(_("小组名称为空"))
        region = None
        if region_text := row.text("region"):
            region = r.cell(resolve_region, ctx, region_text)
        else:
            r.append(_("所在区域为空"))
        kind = r.cell(sheets.parse_choice, row.raw("kind"), _GROUP_KINDS, "类型")
        congress = None
        if congress_text := row.text("congress"):
            congress = r.cell(resolve_congress, ctx, congress_text)
        mixed = r.cell(_yes_no, row.raw("mixed"), "混合编组")
        station = None
        if station_text := row.text("station"):
            station = r.cell(resolve_station, ctx, station_text, _("活动阵地"))
        position = r.cell(sheets.parse_choice, row.raw("position"), _GROUP_POSITIONS, "职务")
        starts_on = r.cell(sheets.parse_date, row.raw("starts_on"))
        ends_on = r.cell(sheets.parse_date, row.raw("ends_on"))
        if not sheets.compact(row.raw("name")):
            r.append(_("姓名为空"))
        person = _person_by_id(ctx, r, row, must_exist=True)
        field_text = row.text("field")[:60]
        if group_name and region is not None:
            described = (kind, getattr(congress, "pk", None), mixed, field_text, station)
            key = ("group", region.pk, group_name)
            earlier = ctx.seen.get(key)
            if earlier is None:
                ctx.seen[key] = (row.line, described)
            elif any(
                a not in ("", None) and b not in ("", None) and a != b
                for a, b in zip(earlier[1], described, strict=True)
            ):
                r.append(
                    _(
                        "同一小组在第%(n)s行填写的类型、组建人大、混合编组、专业领域或活动阵地与本行不同"
                    )
                    % {"n": earlier[0]}
                )
            if person is not None:
                _no_repeat(
                    ctx,
                    r,
                    ("group_member", region.pk, group_name, person.pk, starts_on),
                    row.line,
                    _("此人在同一小组"),
                )
        r.check()
        assert region is not None and person is not None
        outcome = UNCHANGED
        group = DeputyGroup.objects.filter(region=region, name=group_name).first()
        if group is None:
            congress = congress or nearest_congress(region)
            if not kind:
                raise RowError([_("新建小组“%(v)s”请填写类型（块、条或链）") % {"v": group_name}])
            if congress is None:
                raise RowError([_("所在区域没有人大，请填写组建人大")])
            group = DeputyGroup(name=group_name[:100], region=region, kind=kind, congress=congress)
            group.mixed_levels, group.field, group.station = bool(mixed), field_text, station
            _validate(ctx, group)
            group.save()
            outcome = CREATED
        elif _assign(
            group,
            {
                "kind": kind,
                "congress": congress,
                "mixed_levels": mixed,
                "field": field_text,
                "station": station,
            },
        ):
            _validate(ctx, group)
            group.save()
            outcome = UPDATED
        if not in_reach(ctx.actor, group):
            raise RowError([_("只能保存您管辖范围内的记录")])
        membership = _membership_for(
            GroupMembership.objects.filter(group=group, person=person), starts_on
        )
        if membership is None:
            membership = GroupMembership(group=group, person=person)
            membership.position = position or GroupMembership.Position.MEMBER
            membership.starts_on = starts_on or timezone.localdate()
            membership.ends_on = ends_on
            _validate(ctx, membership)
            membership.save()
            return CREATED
        if _assign(membership, {"position": position, "starts_on": starts_on, "ends_on": ends_on}):
            _validate(ctx, membership)
            membership.save()
            return UPDATED if outcome == UNCHANGED else outcome
        return outcome

    def export_rows(self, ctx: Context) -> Iterator[list[Any]]:
        rows = scope(
            ctx.actor,
            GroupMembership.objects.select_related(
                "group__region", "group__congress", "group__station", "person"
            ),
        ).order_by("group__region__path", "group__name", "position", "person__name", "pk")
        for m in rows:
            g = m.group
            yield [
                g.name,
                g.get_kind_display(),
                region_label(g.region),
                g.congress.name,
                "是" if g.mixed_levels else "否",
                g.field,
                g.station.name if g.station else "",
                m.person.name,
                _personal(ctx, m.person.id_number, "id_number"),
                m.get_position_display(),
                _date(m.starts_on),
                _date(m.ends_on),
            ]


_GRID_ROLES = {str(label): value for value, label in GridMember.Role.choices} | {
    "代表": "deputy",
    "网格联系代表": "deputy",
    "包片代表": "deputy",
}


class GridMemberKind(Kind):
    """网格 with their heads, members and assigned deputies (ORG-9): one row per person; a grid
    not yet registered is made from its first row. A deputy goes into a grid of another township
    only when the importing staff reach both townships (``check_grid_assignment``)."""

    key = "grid_members"
    label = L("网格人员")
    model = GridMember
    has_personal_data = True
    columns = [
        Column(
            "grid",
            "网格名称",
            ("网格", "网格名"),
            required=True,
            example="城关镇东关社区第一网格",
        ),
        Column(
            "region",
            "所在区域",
            ("所在地区", "区域", "所在村（社区）"),
            required=True,
            note="乡镇（街道）或村（社区）的名称或代码；重名时写成 名称（代码）",
            example="东关社区",
        ),
        Column(
            "station",
            "联络站",
            ("所属联络站", "联络站名称"),
            note="网格所属的联络站；联络站工作人员导入时必填",
            example="城关镇人大代表联络站",
        ),
        Column("name", "姓名", ("名字",), required=True, example="李四"),
        _id_column("18位，请以文本格式填写；联系代表须已在代表名册中"),
        Column("phone", "手机", ("联系电话", "手机号码"), note="新登记的网格长、网格员的手机"),
        Column(
            "role",
            "身份",
            ("网格身份", "职务", "岗位"),
            required=True,
            note="网格长、网格员 或 联系代表",
            example="网格长",
        ),
        Column("starts_on", "开始日期", ("任职日期",), example="2024-01-01"),
        Column("ends_on", "结束日期", ("离任日期",)),
    ]

    def apply(self, ctx: Context, row: Row) -> str:
        r = Reasons()
        grid_name = row.text("grid")
        if not grid_name:
            r.append(_("网格名称为空"))
        region = None
        if region_text := row.text("region"):
            region = r.cell(resolve_region, ctx, region_text)
        else:
            r.append(_("所在区域为空"))
        station = None
        if station_text := row.text("station"):
            station = r.cell(resolve_station, ctx, station_text, _("联络站"))
        role = r.cell(sheets.parse_choice, row.raw("role"), _GRID_ROLES, "身份")
        starts_on = r.cell(sheets.parse_date, row.raw("starts_on"))
        ends_on = r.cell(sheets.parse_date, row.raw("ends_on"))
        phone = r.cell(sheets.parse_phone, row.raw("phone"))
        if not sheets.compact(row.raw("name")):
            r.append(_("姓名为空"))
        may_add = role != GridMember.Role.DEPUTY and can_edit_model(ctx.actor, Person)
        person = _person_by_id(ctx, r, row, must_exist=not may_add)
        if grid_name and region is not None and person is not None:
            _no_repeat(
                ctx,
                r,
                ("grid_member", region.pk, grid_name, person.pk, starts_on),
                row.line,
                _("此人在同一网格"),
            )
        r.check()
        assert region is not None
        outcome = UNCHANGED
        if person is None:
            person = _new_person(row, region, phone)
            outcome = CREATED
        grid = Grid.objects.filter(region=region, name=grid_name).first()
        if grid is None:
            grid = Grid(name=grid_name[:100], region=region, station=station)
            _validate(ctx, grid)
            grid.save()
            outcome = CREATED
        elif station is not None and grid.station_id != station.pk:
            grid.station = station
            _validate(ctx, grid)
            grid.save()
            outcome = UPDATED if outcome == UNCHANGED else outcome
        if not in_reach(ctx.actor, grid):
            raise RowError([_("只能保存您管辖范围内的记录（联络站工作人员请填写本站为联络站）")])
        member = _membership_for(GridMember.objects.filter(grid=grid, person=person), starts_on)
        if member is None:
            member = GridMember(grid=grid, person=person, role=role)
            member.starts_on = starts_on or timezone.localdate()
            member.ends_on = ends_on
            _validate(ctx, member)
            member.save()
            return CREATED
        if _assign(member, {"role": role, "starts_on": starts_on, "ends_on": ends_on}):
            _validate(ctx, member)
            member.save()
            return UPDATED if outcome == UNCHANGED else outcome
        return outcome

    def export_rows(self, ctx: Context) -> Iterator[list[Any]]:
        rows = scope(
            ctx.actor,
            GridMember.objects.select_related("grid__region", "grid__station", "person"),
        ).order_by("grid__region__path", "grid__name", "role", "person__name", "pk")
        for m in rows:
            yield [
                m.grid.name,
                region_label(m.grid.region),
                m.grid.station.name if m.grid.station else "",
                m.person.name,
                _personal(ctx, m.person.id_number, "id_number"),
                _personal(ctx, m.person.phone, "phone"),
                m.get_role_display(),
                _date(m.starts_on),
                _date(m.ends_on),
            ]


_EXPERT_FIELDS = {str(label): value for value, label in Expert.Field.choices} | {
    "律师": "law",
    "法律服务": "law",
    "财经": "finance",
    "经济": "finance",
    "规划": "planning",
    "城建": "planning",
    "环保": "environment",
    "农业": "agriculture",
    "教育": "education",
    "科技": "education",
    "医疗": "health",
    "卫生": "health",
    "社保": "social",
}
_LIST_SEPARATORS = re.compile(r"[、,，;；\r\n]+")


class ExpertKind(Kind):
    """专家库 (ORG-12): one row per expert of a region's pool, with the stations he is assigned
    to; a person not yet registered is added. Listing a station assigns the expert there;
    an assignment is ended on its own page, not by leaving it out of a sheet."""

    key = "experts"
    label = L("专家库")
    model = Expert
    has_personal_data = True
    columns = [
        Column("name", "姓名", ("专家姓名", "名字"), required=True, example="王律师"),
        _id_column(),
        Column("phone", "手机", ("联系电话", "手机号码")),
        Column(
            "region",
            "所属区域",
            ("所在区域", "区域", "专家库区域"),
            required=True,
            note="专家库所属的区划名称或代码；重名时写成 名称（代码）",
            example="城关镇",
        ),
        Column(
            "field",
            "专业领域",
            ("领域", "专业"),
            required=True,
            note="法律、财政经济、城乡建设规划、生态环境、农业农村、教育科技、医疗卫生、社会保障 或 其他",
            example="法律",
        ),
        Column("organisation", "工作单位", ("单位",), example="某某律师事务所"),
        Column(
            "qualification",
            "职称或执业资格",
            ("职称", "执业资格", "资格"),
            example="律师",
        ),
        Column("expertise", "擅长", ("专长", "擅长领域")),
        Column("is_active", "在库", ("是否在库",), note="是 或 否，空为是"),
        Column(
            "stations",
            "派驻联络站",
            ("联络站", "派驻站点"),
            note="已有的联络站名称，多个用顿号分隔；只新增派驻，不取消已有派驻",
        ),
    ]

    def apply(self, ctx: Context, row: Row) -> str:
        r = Reasons()
        region = None
        if region_text := row.text("region"):
            region = r.cell(resolve_region, ctx, region_text)
        else:
            r.append(_("所属区域为空"))
        field_value = r.cell(sheets.parse_choice, row.raw("field"), _EXPERT_FIELDS, "专业领域")
        active = r.cell(_yes_no, row.raw("is_active"), "在库")
        phone = r.cell(sheets.parse_phone, row.raw("phone"))
        stations = [
            r.cell(resolve_station, ctx, name, _("派驻联络站"))
            for name in dict.fromkeys(_LIST_SEPARATORS.split(row.text("stations")))
            if name.strip()
        ]
        if not sheets.compact(row.raw("name")):
            r.append(_("姓名为空"))
        person = _person_by_id(ctx, r, row, must_exist=not can_edit_model(ctx.actor, Person))
        if region is not None and person is not None:
            _no_repeat(ctx, r, ("expert", region.pk, person.pk), row.line, _("此人在同一专家库"))
        r.check()
        assert region is not None
        outcome = UNCHANGED
        if person is None:
            person = _new_person(row, region, phone)
            outcome = CREATED
        values = {
            "field": field_value,
            "organisation": row.text("organisation")[:120],
            "qualification": row.text("qualification")[:120],
            "expertise": row.text("expertise")[:200],
            "is_active": active,
        }
        expert = Expert.objects.filter(region=region, person=person).first()
        if expert is None:
            expert = Expert(region=region, person=person)
            _assign(expert, values)
            _validate(ctx, expert)
            expert.save()
            outcome = CREATED
        elif _assign(expert, values):
            _validate(ctx, expert)
            expert.save()
            outcome = UPDATED if outcome == UNCHANGED else outcome
        if not in_reach(ctx.actor, expert):
            raise RowError([_("只能保存您管辖范围内的记录")])
        for station in stations:
            if expert.assignments.filter(station=station, ends_on__isnull=True).exists():
                continue
            assignment = ExpertAssignment(expert=expert, station=station)
            _validate(ctx, assignment)
            assignment.save()
            outcome = UPDATED if outcome == UNCHANGED else outcome
        return outcome

    def export_rows(self, ctx: Context) -> Iterator[list[Any]]:
        experts = (
            scope(ctx.actor, Expert.objects.select_related("region", "person"))
            .prefetch_related(
                models.Prefetch(
                    "assignments",
                    ExpertAssignment.objects.filter(ends_on__isnull=True)
                    .select_related("station")
                    .order_by("station__path"),
                    to_attr="open_assignments",
                )
            )
            .order_by("region__path", "field", "person__name", "pk")
        )
        for e in experts:
            yield [
                e.person.name,
                _personal(ctx, e.person.id_number, "id_number"),
                _personal(ctx, e.person.phone, "phone"),
                region_label(e.region),
                e.get_field_display(),
                e.organisation,
                e.qualification,
                e.expertise,
                "是" if e.is_active else "否",
                "、".join(a.station.name for a in e.open_assignments),  # type: ignore[attr-defined]
            ]


class RegionKind(Kind):
    """Townships and villages (ORG-1): written by ``lianxin.regions.services``."""

    key = "regions"
    label = L("乡镇和村（社区）")
    model = Region
    list_url_names = ()

    @property
    def columns(self) -> list[Column]:  # type: ignore[override]
        from lianxin.regions.services import SHEET_SPEC

        return SHEET_SPEC

    def may_export(self, actor: Actor) -> bool:
        return actor.has(Perm.VIEW_REGIONS)

    def export_rows(self, ctx: Context) -> Iterator[list[Any]]:
        reachable = scope(ctx.actor, Region.objects.all())
        # Only regions whose parent is in reach: those are the rows the actor can import.
        regions = reachable.select_related("parent").filter(
            level__in=(Region.Level.TOWNSHIP, Region.Level.VILLAGE),
            parent__in=reachable.values("pk"),
        )
        for region in regions.order_by("path"):
            yield [
                region.parent.code if region.parent else "",  # type: ignore[attr-defined]
                region.name,
                region.get_level_display(),
                region.code,
            ]


KINDS: dict[str, Kind] = {
    k.key: k
    for k in (
        MandateKind(),
        StationKind(),
        StationStaffKind(),
        StationMembershipKind(),
        GroupMembershipKind(),
        GridMemberKind(),
        ExpertKind(),
        UnitKind(),
        RegionKind(),
    )
}


def kinds_for_import(actor: Actor) -> list[Kind]:
    return [k for k in KINDS.values() if k.may_import(actor)]


def kinds_for_export(actor: Actor) -> list[Kind]:
    return [k for k in KINDS.values() if k.may_export(actor)]


def all_kinds() -> Iterable[Kind]:
    return KINDS.values()


def register_kind(kind: Kind) -> None:
    """Adds another app's sheet (e.g. the cases ledger, CASE-13) to the same engine."""
    KINDS[kind.key] = kind
