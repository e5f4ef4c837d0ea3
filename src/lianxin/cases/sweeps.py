"""Reminders before a case's deadline and escalation after it (CASE-4, NOTE-2), and the end of
the rating window (CASE-7). Idempotent: each notice carries a dedupe key of the case, the step,
the level and the deadline, so a second run sends nothing; the escalation level only rises.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.accounts.models import Role, RoleAssignment
from lianxin.cases.models import Case, CaseUnit
from lianxin.common.errors import DomainError
from lianxin.common.sweeps import sweep
from lianxin.notifications.kinds import register_kind
from lianxin.notifications.services import notify

log = logging.getLogger(__name__)

REMINDED, OFFICE_TOLD, LEADERSHIP_TOLD = 1, 2, 3
register_kind("cases.deadline", gettext_lazy("群众意见办理期限提醒"))
register_kind("cases.overdue", gettext_lazy("群众意见逾期督办"))
register_kind("cases.contribution", gettext_lazy("协办单位意见"))


def remind_before() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "LIANXIN_CASE_REMIND_HOURS", 24))


def escalate_after() -> dt.timedelta:
    """How long past its deadline a case goes to leadership (after the office)."""
    return dt.timedelta(days=getattr(settings, "LIANXIN_CASE_ESCALATE_DAYS", 3))


def _users(q: Q) -> QuerySet:
    ids = RoleAssignment.objects.filter(q, is_active=True).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True)


def _region_ancestors(case: Case) -> list[int]:
    return [int(p) for p in case.region.path.strip("/").split("/") if p]


def responsible(case: Case) -> QuerySet:
    """Who must act before the running deadline: the lead unit's staff while a unit holds the
    case, the supervising deputy while a reply waits for 督单, else the station's staff and the
    office of the case's congress."""
    if case.due_step in ("accept", "reply"):
        lead = (
            case.units.filter(role=CaseUnit.Role.LEAD)
            .exclude(status__in=[CaseUnit.Status.RETURNED, CaseUnit.Status.WITHDRAWN])
            .first()
        )
        if lead is not None:
            ancestors = [int(p) for p in lead.unit.path.strip("/").split("/") if p]
            return _users(Q(role=Role.UNIT, unit_id__in=ancestors))
    if case.due_step == "check" and case.supervisor is not None and case.supervisor.account_id:
        return get_user_model().objects.filter(pk=case.supervisor.account_id, is_active=True)
    q = Q(role=Role.OFFICE, region_id=case.congress.region_id)
    if case.station is not None:
        stations = [int(p) for p in case.station.path.strip("/").split("/") if p]
        q |= Q(role=Role.STATION, station_id__in=stations)
    return _users(q)


def _office(case: Case) -> QuerySet:
    """The supervising office: the office of the case's congress and of the regions above."""
    return _users(Q(role=Role.OFFICE, region_id__in=_region_ancestors(case)))


def _leadership(case: Case) -> QuerySet:
    return _users(Q(role=Role.LEADERSHIP, region_id__in=_region_ancestors(case)))


def _tell(users: QuerySet, case: Case, level: int, kind: str, title: str) -> int:
    sent = 0
    stamp = case.due_at.isoformat() if case.due_at else ""
    for user in users:
        key = f"case:{case.pk}:{case.due_step}:{stamp}:{level}:{user.pk}"
        if notify(recipient=user, kind=kind, title=title, body=case.public_text[:200],
                  dedupe_key=key[:200]):  # fmt: skip
            sent += 1
    return sent


def _raise_level(case: Case, level: int) -> bool:
    """Raises the case's escalation level, once (a racing sweep finds it raised)."""
    return bool(
        Case.objects.filter(pk=case.pk, escalation__lt=level, due_at=case.due_at).update(
            escalation=level
        )
    )


@sweep("cases.deadlines")
def case_deadlines(now: dt.datetime | None = None) -> dict[str, int]:
    """One pass over running deadlines: expire ratings, remind, tell the office, tell
    leadership. Returns how many cases each part touched."""
    from lianxin.cases import services

    now = now or timezone.now()
    counts = {"expired": 0, "reminded": 0, "office": 0, "leadership": 0}
    waiting = Case.objects.filter(status=Case.Status.AWAITING_RATING, due_at__lte=now)
    for case in waiting.only("pk"):
        try:
            services.expire_rating(case=case)
            counts["expired"] += 1
        except DomainError:  # rated meanwhile
            continue
    running = (
        Case.objects.select_related("region", "congress", "supervisor", "station")
        .exclude(due_at__isnull=True)
        .exclude(status__in=[Case.Status.AWAITING_RATING])
    )
    soon = running.filter(
        escalation__lt=REMINDED, due_at__gt=now, due_at__lte=now + remind_before()
    )
    for case in soon:
        with transaction.atomic():
            if _raise_level(case, REMINDED):
                _tell(responsible(case), case, REMINDED, "cases.deadline",
                      _("意见 %(n)s 的办理期限即将到期") % {"n": case.number})  # fmt: skip
                counts["reminded"] += 1
    late = running.filter(escalation__lt=OFFICE_TOLD, due_at__lte=now)
    for case in late:
        with transaction.atomic():
            if _raise_level(case, OFFICE_TOLD):
                title = _("意见 %(n)s 已逾期，请督办") % {"n": case.number}
                _tell(responsible(case) | _office(case), case, OFFICE_TOLD, "cases.overdue", title)
                counts["office"] += 1
    very_late = running.filter(escalation__lt=LEADERSHIP_TOLD, due_at__lte=now - escalate_after())
    for case in very_late:
        with transaction.atomic():
            if _raise_level(case, LEADERSHIP_TOLD):
                title = _("意见 %(n)s 逾期超过%(d)s天") % {
                    "n": case.number,
                    "d": escalate_after().days,
                }
                _tell(_leadership(case), case, LEADERSHIP_TOLD, "cases.overdue", title)
                counts["leadership"] += 1
    return counts
