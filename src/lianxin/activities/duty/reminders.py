"""值班提醒 (DUTY-2, NOTE-2): the day before his shift each person on a published roster is
reminded once — ``settings.LIANXIN_DUTY_REMIND_HOURS`` (default 24) before it begins.

Idempotent twice over: ``Assignment.reminded_at`` is claimed with a compare-and-swap before
sending, and the notification carries a dedupe key of the assignment, the person and the shift's
start, so a second run — or a racing second worker — sends nothing twice. A swap that moves the
shift to another person clears ``reminded_at``: the new person gets his own reminder.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.accounts.models import Role, RoleAssignment
from lianxin.activities.models import Assignment, Roster
from lianxin.common.sweeps import sweep
from lianxin.holidays.deadlines import BEIJING
from lianxin.notifications.kinds import register_kind
from lianxin.notifications.services import notify

register_kind("duty.reminder", gettext_lazy("值班提醒"))


def remind_before() -> dt.timedelta:
    return dt.timedelta(hours=int(getattr(settings, "LIANXIN_DUTY_REMIND_HOURS", 24)))


def _text(assignment: Assignment) -> tuple[str, str]:
    shift = assignment.shift
    station = shift.station
    title = _("值班提醒：%(m)s月%(d)s日 %(t)s 在%(station)s值班") % {
        "m": shift.date.month,
        "d": shift.date.day,
        "t": shift.starts_at.strftime("%H:%M"),
        "station": station.name,
    }
    body = _("时间：%(a)s—%(b)s。") % {
        "a": shift.starts_at.strftime("%H:%M"),
        "b": shift.ends_at.strftime("%H:%M"),
    }
    if station.address:
        body += _("地点：%(addr)s。") % {"addr": station.address}
    body += _("到站后请扫描站点的值班二维码签到；不能到岗请尽早申请换班或请假。")
    return title, body


@sweep("duty.reminders")
def remind_shifts(now: dt.datetime | None = None) -> int:
    """Reminds everybody whose published shift begins within the reminder window; returns how
    many reminders were sent."""
    now = now or timezone.now()
    horizon = now + remind_before()
    first_day = timezone.localtime(now, BEIJING).date()
    last_day = timezone.localtime(horizon, BEIJING).date()
    due = Assignment.objects.filter(
        status=Assignment.Status.SCHEDULED,
        reminded_at__isnull=True,
        shift__roster__status=Roster.Status.PUBLISHED,
        shift__date__gte=first_day,
        shift__date__lte=last_day,
        person__account__isnull=False,
        person__account__is_active=True,
    ).select_related("shift__station", "person__account")
    due_list = list(due.order_by("shift__date", "shift__starts_at", "pk"))
    # Deputies open the shift on their phone; others (a unit head with a staff account) get
    # the message without a link to the deputies' pages.
    deputies = set(
        RoleAssignment.objects.filter(
            role=Role.DEPUTY,
            is_active=True,
            user_id__in={a.person.account_id for a in due_list},
        ).values_list("user_id", flat=True)
    )
    sent = 0
    for assignment in due_list:
        shift = assignment.shift
        starts = dt.datetime.combine(shift.date, shift.starts_at, tzinfo=BEIJING)
        if not now < starts <= horizon:
            continue
        with transaction.atomic():
            claimed = Assignment.objects.filter(
                pk=assignment.pk, person_id=assignment.person_id, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue
            user = assignment.person.account
            title, body = _text(assignment)
            url = (
                reverse("mobile:duty_shift", args=[assignment.pk])
                if user is not None and user.pk in deputies
                else ""
            )
            key = f"duty:remind:{assignment.pk}:{assignment.person_id}:{starts.isoformat()}"
            if notify(
                recipient=user, kind="duty.reminder", title=title, body=body, url=url,
                dedupe_key=key,
            ):  # fmt: skip
                sent += 1
    return sent
