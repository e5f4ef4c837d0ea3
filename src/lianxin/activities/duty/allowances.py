"""Lost-work allowances for duty (DUTY-4): 濮阳县 pays 100 yuan a day to deputies without
fixed income for their days on duty at the supervision station.

- A rate per congress (``AllowanceRate``; 100 yuan when none is set).
- Recipients (``AllowanceRecipient``): the deputies the office pays, with where to pay them;
  the account holder and the account number are personal data (SEC-2), masked on every page.
- A monthly statement per congress computed from check-ins: every present post of a recipient
  as a deputy in a published roster at a station in the congress's region that month; one
  allowance per person per day, however many shifts he served that day. A draft is
  recomputed at will; confirming freezes it (and recomputing is refused from then on).
- Export for payment (Excel, every cell text, never a formula): with the bank details in
  clear only when the office asks for them and may reveal personal data; each reveal and the
  export itself are audited.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L

from lianxin.accounts.permissions import Actor, Perm, can_reveal_personal, scope
from lianxin.activities.duty.attendance import month_bounds
from lianxin.activities.models import (
    AllowanceLine,
    AllowanceRate,
    AllowanceRecipient,
    AllowanceStatement,
    Assignment,
    Roster,
)
from lianxin.activities.models.duty import DutyRole
from lianxin.audit.models import AuditEntry
from lianxin.audit.services import record, record_reveal
from lianxin.common import sheets
from lianxin.common.errors import Conflict, DomainError, NotAllowed
from lianxin.common.fields import mask_value
from lianxin.directory.models import Congress
from lianxin.holidays.deadlines import beijing_date

DEFAULT_RATE = Decimal("100.00")


def _require(actor: Actor, congress: Congress) -> None:
    """The office of the congress's region (MANAGE_ALLOWANCES, reach of the congress)."""
    if not actor.has(Perm.MANAGE_ALLOWANCES):
        raise NotAllowed
    if not scope(actor, Congress.objects.filter(pk=congress.pk)).exists():
        raise NotAllowed


def daily_rate(congress: Congress) -> Decimal:
    rate = AllowanceRate.objects.filter(congress=congress).first()
    return rate.daily_rate if rate is not None else DEFAULT_RATE


@transaction.atomic
def rate_set(
    *, actor: Actor, congress: Congress, daily_rate: Decimal, note: str = ""
) -> AllowanceRate:
    """Sets the congress's daily rate (audited as configuration)."""
    _require(actor, congress)
    if daily_rate < 0:
        raise DomainError(_("补贴标准不能为负数。"))
    rate = AllowanceRate.objects.select_for_update().filter(congress=congress).first()
    if rate is None:
        rate = AllowanceRate(congress=congress)
    rate.daily_rate = daily_rate
    rate.note = note[:200]
    rate.full_clean()
    rate.save()
    return rate


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def duty_days(congress: Congress, month: dt.date) -> dict[int, list[dt.date]]:
    """Person id → the days that month he was on duty as a recipient deputy (one entry per
    day, however many shifts)."""
    first, last = month_bounds(month)
    recipients = AllowanceRecipient.objects.filter(congress=congress, is_active=True).values(
        "person_id"
    )
    rows = Assignment.objects.filter(
        shift__roster__status=Roster.Status.PUBLISHED,
        status=Assignment.Status.PRESENT,
        role=DutyRole.DEPUTY,
        person_id__in=recipients,
        shift__date__gte=first,
        shift__date__lte=last,
        shift__station__region__path__startswith=congress.region.path,
    ).values_list("person_id", "shift__date")
    days: dict[int, set[dt.date]] = defaultdict(set)
    for person_id, day in rows:
        days[person_id].add(day)
    return {person_id: sorted(dates) for person_id, dates in days.items()}


@transaction.atomic
def statement_compute(
    *, actor: Actor, congress: Congress, month: dt.date, now: dt.datetime | None = None
) -> AllowanceStatement:
    """Computes (or recomputes) the congress's draft statement of ``month`` from check-ins."""
    _require(actor, congress)
    month = first_of_month(month)
    if month > first_of_month(beijing_date(now or timezone.now())):
        raise DomainError(_("不能计算尚未开始的月份。"))
    rate = daily_rate(congress)
    statement, created = AllowanceStatement.objects.get_or_create(
        congress=congress, month=month, defaults={"daily_rate": rate}
    )
    statement = AllowanceStatement.objects.select_for_update().get(pk=statement.pk)
    if statement.status == AllowanceStatement.Status.CONFIRMED:
        raise DomainError(_("该月清单已确认，不能重新计算。"))
    statement.lines.all().delete()
    lines = [
        AllowanceLine(
            statement=statement,
            person_id=person_id,
            days=len(dates),
            amount=rate * len(dates),
            dates=[d.isoformat() for d in dates],
        )
        for person_id, dates in duty_days(congress, month).items()
    ]
    AllowanceLine.objects.bulk_create(lines)
    statement.daily_rate = rate
    statement.days = sum(line.days for line in lines)
    statement.total = sum((line.amount for line in lines), Decimal("0"))
    statement.save(update_fields=["daily_rate", "days", "total", "updated_at"])
    record(
        actor=actor,
        action=AuditEntry.Action.ACTION,
        obj=statement,
        changes={"days": statement.days, "total": str(statement.total), "lines": len(lines)},
        note=_("计算误工补贴清单") if created else _("重新计算误工补贴清单"),
    )
    return statement


@transaction.atomic
def statement_confirm(
    *, actor: Actor, statement: AllowanceStatement, now: dt.datetime | None = None
) -> AllowanceStatement:
    """Confirms a month's statement for payment: from now on it never changes."""
    _require(actor, statement.congress)
    now = now or timezone.now()
    locked = AllowanceStatement.objects.select_for_update().get(pk=statement.pk)
    if locked.status == AllowanceStatement.Status.CONFIRMED:
        raise Conflict(_("该月清单已确认。"))
    if month_bounds(locked.month)[1] >= beijing_date(now):
        raise DomainError(_("本月还没有结束，请在月底之后确认。"))
    locked.status = AllowanceStatement.Status.CONFIRMED
    locked.confirmed_by = actor.user
    locked.confirmed_at = now
    locked.save(update_fields=["status", "confirmed_by", "confirmed_at", "updated_at"])
    record(
        actor=actor,
        action=AuditEntry.Action.ACTION,
        obj=locked,
        changes={"status": ["draft", "confirmed"], "total": str(locked.total)},
        note=_("确认误工补贴清单"),
    )
    return locked


EXPORT_HEADERS = [
    L("序号"),
    L("姓名"),
    L("值班天数"),
    L("值班日期"),
    L("每日标准（元）"),
    L("金额（元）"),
    L("开户银行"),
    L("户名"),
    L("银行账号"),
]


def export(*, actor: Actor, statement: AllowanceStatement, reveal: bool) -> bytes:
    """The statement as an XLSX for payment. Bank details in clear only with ``reveal`` and
    for an actor allowed to reveal each recipient's personal data: each such row is audited as
    a reveal, and the export itself as an export."""
    _require(actor, statement.congress)
    recipients = {
        r.person_id: r
        for r in AllowanceRecipient.objects.filter(congress=statement.congress).select_related(
            "person"
        )
    }
    lines = list(statement.lines.select_related("person").order_by("person__name", "pk"))
    if reveal and not all(
        can_reveal_personal(actor, recipients[line.person_id])
        for line in lines
        if line.person_id in recipients
    ):
        raise NotAllowed
    rows: list[list[Any]] = []
    with transaction.atomic():
        for number, line in enumerate(lines, start=1):
            recipient = recipients.get(line.person_id)
            holder = recipient.account_holder if recipient else ""
            account = recipient.bank_account if recipient else ""
            if reveal and recipient is not None:
                for name in ("account_holder", "bank_account"):
                    record_reveal(actor=actor, obj=recipient, field=name)
            else:
                holder, account = mask_value(holder, "name"), mask_value(account, "bank_account")
            rows.append(
                [
                    number,
                    line.person.name,
                    line.days,
                    "、".join(line.dates),
                    statement.daily_rate,
                    line.amount,
                    recipient.bank_name if recipient else "",
                    holder,
                    account,
                ]
            )
        rows.append(["", _("合计"), statement.days, "", "", statement.total, "", "", ""])
        record(
            actor=actor,
            action=AuditEntry.Action.EXPORT,
            obj=statement,
            changes={"reveal": reveal, "lines": len(lines)},
            note=_("导出误工补贴清单"),
        )
    title = f"{statement.month:%Y-%m}误工补贴"
    return sheets.write_xlsx([str(h) for h in EXPORT_HEADERS], rows, title=title)
