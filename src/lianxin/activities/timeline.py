"""The activities app's sources of the deputy's record (PERF-1, 一人一档): duty served or
missed (DUTY-3), activities attended (ACT-1; self-reported ones marked 待审核/已审核, PERF-3),
his fixed voters' list (VOT-1, only its size), voter contacts, reports to voters (VOT-2), good
deeds (VOT-4) and standing committee contacts (ORG-10).

Entries carry no voter's or citizen's name, phone or address (SEC-2): a contact is told by its
method and whether opinions were collected, never by whom it was with.

Each entry links the deputy's own phone page of the record (``url``: the record's own page,
or the list page with the record's anchor); the staff record maps it to the staff page the
viewer may open (``activities.record.staff_url``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from lianxin.activities.models import (
    Activity,
    Assignment,
    CommitteeContact,
    FixedVoter,
    GoodDeed,
    Participant,
    VoterContact,
    VoterReport,
)
from lianxin.common.timeline import Entry, timeline_source


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@timeline_source("duty", _("值班"))
def duty_entries(person_id: int, start: dt.date, end: dt.date) -> Iterator[Entry]:
    """His posts on published rosters: served, missed, excused — and past posts still marked
    scheduled (nobody confirmed them). Future posts are plans, not record."""
    today = timezone.localdate()
    rows = (
        Assignment.objects.filter(
            person_id=person_id,
            shift__roster__status="published",
            shift__date__gte=start,
            shift__date__lt=end,
        )
        .filter(~Q(status=Assignment.Status.SCHEDULED) | Q(shift__date__lt=today))
        .select_related("shift__station")
        .order_by("shift__date", "shift__starts_at", "pk")
    )
    for a in rows:
        shift = a.shift
        yield Entry(
            day=shift.date,
            kind="duty",
            title=_g("值班 · %(station)s") % {"station": shift.station.name},
            detail=f"{shift.starts_at:%H:%M}–{shift.ends_at:%H:%M} {a.get_role_display()}",
            status=a.get_status_display(),
            url=reverse("mobile:duty_shift", args=[a.pk]),
            tags=(a.status,),
        )


@timeline_source("activity", _("履职活动"))
def activity_entries(person_id: int, start: dt.date, end: dt.date) -> Iterator[Entry]:
    """Activities he attended; a self-reported one shows its approval, a rejected one is not
    on the record (PERF-3)."""
    rows = (
        Participant.objects.filter(
            person_id=person_id,
            attendance=Participant.Attendance.PRESENT,
            activity__starts_at__gte=_moment(start),
            activity__starts_at__lt=_moment(end),
        )
        .exclude(activity__status=Activity.Status.CANCELLED)
        .exclude(activity__approval=Activity.Approval.REJECTED)
        .select_related("activity__station", "activity__group", "activity__grid")
        .order_by("activity__starts_at", "pk")
    )
    for p in rows:
        act = p.activity
        where = act.grid or act.group or act.station or act.organiser_name
        detail = act.get_kind_display()
        if where:
            detail = f"{detail} · {where}"
        if act.approval == Activity.Approval.NOT_NEEDED:
            status = p.get_attendance_display()
        else:
            status = act.get_approval_display()
        yield Entry(
            day=timezone.localtime(act.starts_at).date(),
            kind="activity",
            title=act.title,
            detail=detail,
            status=status,
            url=reverse("mobile:activity_detail", args=[act.pk]),
            tags=(act.kind, act.approval),
        )


@timeline_source("voters", _("联系选民"))
def voter_entries(person_id: int, start: dt.date, end: dt.date) -> Iterator[Entry]:
    """His fixed voters' list (the day it was made and its size) and each contact."""
    lists: dict[int, list[dt.date]] = defaultdict(list)
    made = FixedVoter.objects.filter(
        deputy_id=person_id, created_at__gte=_moment(start), created_at__lt=_moment(end)
    ).values_list("year", "created_at")
    for year, created in made:
        lists[year].append(timezone.localtime(created).date())
    for year, days in sorted(lists.items()):
        yield Entry(
            day=min(days),
            kind="voters",
            title=_g("建立%(year)s年固定联系选民名单") % {"year": year},
            detail=_g("共%(n)s人") % {"n": len(days)},
            url=reverse("mobile:voters"),
            tags=("list",),
        )
    contacts = (
        VoterContact.objects.filter(
            deputy_id=person_id, contacted_on__gte=start, contacted_on__lt=end
        )
        .select_related("case")
        .order_by("contacted_on", "pk")
    )
    for c in contacts:
        parts = [_g("名单内选民") if c.voter_id else _g("其他选民")]
        if c.opinions.strip():
            parts.append(_g("收集意见建议"))
        if c.help_given.strip():
            parts.append(_g("帮助解决问题"))
        status = ""
        url = reverse("mobile:voters") + f"#contact-{c.pk}"  # his list and latest contacts
        if c.case is not None:
            status = _g("已转为群众意见 %(number)s") % {"number": c.case.number}
            url = reverse("mobile:case_detail", args=[c.case.pk])
        yield Entry(
            day=c.contacted_on,
            kind="voters",
            title=_g("联系选民 · %(method)s") % {"method": c.get_method_display()},
            detail="、".join(str(p) for p in parts),
            status=status,
            url=url,
            tags=("contact",),
        )


@timeline_source("report", _("向选民述职"))
def report_entries(person_id: int, start: dt.date, end: dt.date) -> Iterator[Entry]:
    rows = VoterReport.objects.filter(
        deputy_id=person_id, held_on__gte=start, held_on__lt=end
    ).order_by("held_on", "pk")
    for r in rows:
        yield Entry(
            day=r.held_on,
            kind="report",
            title=_g("向选民述职 · %(place)s") % {"place": r.place},
            detail=_g("参加选民%(n)s人") % {"n": r.voters_present},
            status=_g("满意%(a)s 基本满意%(b)s 不满意%(c)s")
            % {"a": r.satisfied, "b": r.basically, "c": r.dissatisfied},
            url=reverse("mobile:voter_reports") + f"#report-{r.pk}",
        )


@timeline_source("deed", _("为民办实事"))
def deed_entries(person_id: int, start: dt.date, end: dt.date) -> Iterator[Entry]:
    rows = (
        GoodDeed.objects.filter(deputy_id=person_id, done_on__gte=start, done_on__lt=end)
        .select_related("region")
        .order_by("done_on", "pk")
    )
    for d in rows:
        yield Entry(
            day=d.done_on,
            kind="deed",
            title=d.title,
            detail=d.region.name,
            status=d.get_status_display(),
            url=reverse("mobile:voter_deeds") + f"#deed-{d.pk}",
            tags=(d.status,),
        )


@timeline_source("committee", _("常委会组成人员联系代表"))
def committee_entries(person_id: int, start: dt.date, end: dt.date) -> Iterator[Entry]:
    """As a member he contacted a linked deputy; as a deputy a member contacted him."""
    rows = (
        CommitteeContact.objects.filter(contacted_on__gte=start, contacted_on__lt=end)
        .filter(Q(link__member_id=person_id) | Q(link__deputy_id=person_id))
        .select_related("link__member", "link__deputy")
        .order_by("contacted_on", "pk")
    )
    for c in rows:
        if c.link.member_id == person_id:
            title = _g("联系代表 %(name)s") % {"name": c.link.deputy.name}
        else:
            title = _g("常委会组成人员 %(name)s 联系本人") % {"name": c.link.member.name}
        yield Entry(
            day=c.contacted_on,
            kind="committee",
            title=title,
            detail=c.get_method_display(),
            url=reverse("mobile:voter_committee") + f"#committee-{c.pk}",
        )
