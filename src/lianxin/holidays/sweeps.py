"""Sweeps of the holiday calendar (CASE-4, NOTE-2)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.models import Role, User
from lianxin.common.sweeps import sweep
from lianxin.holidays.models import HolidayYear

REMIND_FROM = (10, 1)  # the State Council usually publishes next year's notice in autumn
KIND = "holidays.year_missing"


def years_to_remind(today: dt.date) -> list[int]:
    """This year if missing; next year too from 1 October on."""
    wanted = [today.year]
    if (today.month, today.day) >= REMIND_FROM:
        wanted.append(today.year + 1)
    known = set(HolidayYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    return [year for year in wanted if year not in known]


@sweep("holidays.year_missing")
def remind_missing_calendar_years() -> int:
    """Tells every active system administrator, once per year, that a year has no calendar.

    Idempotent: each reminder carries the dedupe key ``holidays.year_missing:<year>:<user>``.
    """
    from lianxin.notifications.services import notify

    years = years_to_remind(timezone.localdate())
    if not years:
        return 0
    admins = list(
        User.objects.filter(
            is_active=True,
            assignments__role=Role.SYSTEM_ADMIN,
            assignments__is_active=True,
        )
        .distinct()
        .order_by("pk")
    )
    sent = 0
    for year in years:
        for admin in admins:
            notification = notify(
                recipient=admin,
                kind=KIND,
                title=_("%(year)s年节假日安排尚未录入") % {"year": year},
                body=_(
                    "系统中还没有%(year)s年的节假日安排，期限将只按周末计算。"
                    "请根据国务院办公厅发布的放假安排通知录入或导入。"
                )
                % {"year": year},
                url=reverse("holidays:year_edit", args=[year]),
                dedupe_key=f"{KIND}:{year}:{admin.pk}",
            )
            sent += notification is not None
    return sent
