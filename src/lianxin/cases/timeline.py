"""The cases of a deputy's record (PERF-1): the cases he received, took up (定单), supervised
(督单) or visited back, dated by the event where he acted. Only the case's number, category and
status as the citizen sees it — never the citizen's name, phone or words (SEC-2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.cases.models import CaseEvent
from lianxin.cases.selectors import procedures, status_label
from lianxin.cases.workflow import Action
from lianxin.common.timeline import Entry, timeline_source

# What he did, by the event's action ("submit": a case filed to him, 收到).
TITLES = {
    "submit": _("收到群众意见"),
    Action.CONFIRM: _("定单"),
    Action.APPROVE_REPLY: _("督单：审核通过答复"),
    Action.SEND_BACK: _("督单：退回重办"),
    Action.RETURN_VISIT: _("回访群众"),
}


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@timeline_source("cases", _("群众意见"))
def case_entries(person_id: int, start: dt.date, end: dt.date) -> Iterator[Entry]:
    acted = [a for a in TITLES if a != "submit"]
    events = list(
        CaseEvent.objects.filter(at__gte=_moment(start), at__lt=_moment(end))
        .filter(
            Q(action="submit", case__deputy_id=person_id)
            | Q(action__in=acted, actor__person__pk=person_id)
        )
        .select_related("case__category")
        .order_by("at", "pk")
    )
    procs = procedures([e.case for e in events])
    for event in events:
        case = event.case
        yield Entry(
            day=timezone.localtime(event.at).date(),
            kind="cases",
            title=f"{TITLES[event.action]} {case.number}",
            detail=case.category.name,
            status=status_label(procs.get(case.congress_id), case),
            url=reverse("mobile:case_detail", args=[case.pk]),
        )
