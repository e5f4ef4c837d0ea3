"""Existing ledgers (CASE-13): an office imports the open cases it keeps in Excel (台账) through
the directory's import engine — the same dry run that names every bad row and writes nothing,
the same all-or-nothing import. Each row files a case through the intake service (channel
台账导入) and walks it, by the importing office, to the state the ledger records. The ledger's
own number keeps a re-import from filing the same case twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import Actor, Perm, scope
from lianxin.cases import services
from lianxin.cases.models import Case, CaseCitizen, Category
from lianxin.cases.workflow import Who, procedure_for
from lianxin.common import sheets
from lianxin.common.errors import DomainError
from lianxin.directory.exchange.kinds import (
    CREATED,
    UNCHANGED,
    Column,
    Context,
    Kind,
    Reasons,
    RowError,
    resolve_region,
    resolve_station,
    resolve_unit,
)
from lianxin.holidays.deadlines import BEIJING

# What a ledger says of a case → how far the office walks it (CASE-2, CASE-3).
STATES = {
    "待研处": "submitted",
    "待办": "submitted",
    "未处理": "submitted",
    "乡镇办理": "township",
    "待交办": "township",
    "已上报": "county",
    "上报县级": "county",
    "已交办": "dispatched",
    "办理中": "dispatched",
}


class CaseLedgerKind(Kind):
    """群众意见台账: the open cases an office already keeps."""

    key = "case_ledger"
    label = gettext_lazy("群众意见台账")
    model = Case
    has_personal_data = True
    columns = [
        Column("ref", "台账编号", ("编号", "序号", "登记编号"), required=True, example="2026-031"),
        Column(
            "received_on",
            "受理日期",
            ("登记日期", "反映日期", "日期"),
            required=True,
            example="2026-10-12",
        ),
        Column(
            "region",
            "所在村（社区）",
            ("村（社区）", "所在地", "所在区域"),
            required=True,
            note="区划名称或代码",
            example="甲镇一村",
        ),
        Column("station", "联络站", ("受理站点", "站点"), note="已有的联络站名称"),
        Column("category", "类别", ("问题类别", "分类"), required=True, example="道路交通"),
        Column("text", "反映内容", ("反映问题", "问题", "诉求内容"), required=True),
        Column("name", "反映人", ("姓名", "群众姓名")),
        Column("phone", "联系电话", ("电话", "手机")),
        Column(
            "state",
            "办理状态",
            ("状态", "进度"),
            note="待研处、乡镇办理、已上报、已交办（办理中）",
            example="已交办",
        ),
        Column("unit", "承办单位", ("责任单位", "交办单位"), note="已交办时必填"),
    ]

    def may_import(self, actor: Actor) -> bool:
        return actor.role == Role.OFFICE and actor.has(Perm.HANDLE_CASES)

    def may_export(self, actor: Actor) -> bool:
        return False  # cases leave through the figures and queue exports

    def apply(self, ctx: Context, row: Any) -> str:
        r = Reasons()
        ref = sheets.compact(row.raw("ref"))
        if not ref:
            r.append(_("台账编号为空"))
        received = r.cell(sheets.parse_date, row.raw("received_on"))
        if row.text("received_on") and received is None and not r:
            r.append(_("受理日期无法识别"))
        region = r.cell(resolve_region, ctx, row.text("region")) if row.text("region") else None
        if region is None and not row.text("region"):
            r.append(_("所在村（社区）为空"))
        station = None
        if row.text("station"):
            station = r.cell(resolve_station, ctx, row.text("station"), str(_("联络站")))
        category = _category(ctx, row.text("category"), r)
        text = row.text("text")
        if not text:
            r.append(_("反映内容为空"))
        phone = r.cell(sheets.parse_phone, row.raw("phone")) if row.text("phone") else ""
        state = STATES.get(sheets.compact(row.raw("state")) or "待研处")
        if state is None:
            r.append(_("办理状态“%(v)s”无法识别") % {"v": row.text("state")})
        unit = None
        if state == "dispatched":
            if row.text("unit"):
                unit = r.cell(resolve_unit, ctx, row.text("unit"))
            else:
                r.append(_("已交办的意见请填写承办单位"))
        if received is not None and received > timezone.localdate():
            r.append(_("受理日期不能晚于今天"))
        r.check()
        assert region is not None and category is not None and received is not None
        key = f"ledger:{ctx.actor.assignment.region_id}:{ref}"[:64]  # type: ignore[union-attr]
        if CaseCitizen.objects.filter(submission_key=key).exists():
            return UNCHANGED
        try:
            receipt = services.file_case(
                intake=services.Intake(
                    channel=Case.Channel.LEDGER, region=region, category=category, text=text,
                    station=station, name=row.text("name"), phone=phone or "",
                    received_at=dt.datetime.combine(received, dt.time(9), tzinfo=BEIJING),
                    submission_key=key,
                ),
                actor=ctx.actor,
            )  # fmt: skip
            _walk(Who.staff(ctx.actor), receipt.case, state or "submitted", unit)
        except DomainError as exc:
            raise RowError([str(exc.message)]) from exc
        except ValidationError as exc:
            raise RowError(exc.messages) from exc
        return CREATED


def _category(ctx: Context, name: str, r: Reasons) -> Category | None:
    if not name:
        r.append(_("类别为空"))
        return None
    if "categories" not in ctx.cache:
        ctx.cache["categories"] = {
            c.name: c for c in scope(ctx.actor, Category.objects.filter(is_active=True))
        }
    found: Category | None = ctx.cache["categories"].get(sheets.compact(name))
    if found is None:
        r.append(_("类别“%(v)s”不存在，请先在“意见类别”中设置") % {"v": name})
    return found


def _walk(who: Who, case: Case, state: str, unit: Any) -> None:
    if state == "submitted":
        return
    if procedure_for(case).deputy_confirms:
        case = services.confirm(who=who, case=case, note=str(_("台账导入")))
    scope_ = Case.Scope.COUNTY if state == "county" else Case.Scope.TOWNSHIP
    case = services.triage(who=who, case=case, scope=scope_)
    if state == "dispatched":
        services.dispatch(who=who, case=case, lead=unit, note=str(_("台账导入")))
