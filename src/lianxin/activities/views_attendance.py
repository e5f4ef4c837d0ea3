"""Attendance pages (DUTY-3): the station's check-in QR (a screen that refreshes itself, and
a code printed for the day), the deputy's check-in on his phone, the station's duty of the
day with staff confirmation and leave, absences, and the window units' attendance report.

Thin views (STYLE 5): reach through the permission module (404 outside it), the work in
``activities.duty.checkin`` and ``activities.duty.attendance``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import Actor, Perm, get_in_reach_or_404, scope
from lianxin.activities.duty import attendance, checkin
from lianxin.activities.forms_attendance import (
    AbsenceFilter,
    ConfirmForm,
    ExcuseForm,
    parse_month,
)
from lianxin.activities.models import Assignment, Roster, Shift
from lianxin.common import sheets
from lianxin.common.errors import DomainError, NotAllowed
from lianxin.common.qr import qr_svg_inline
from lianxin.common.staff_views import Column, ScopedListView
from lianxin.common.views import requires
from lianxin.directory.models import Person, Station
from lianxin.holidays.deadlines import beijing_date

L = gettext_lazy
REPORT_ROLES = frozenset({Role.OFFICE, Role.LEADERSHIP, Role.STATION, Role.UNIT})


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined, no-any-return]


def _today() -> dt.date:
    return beijing_date(timezone.now())


def _day(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return _today()


# --- The station's check-in codes ---------------------------------------------------------------


def _code_context(request: HttpRequest, station: Station) -> dict[str, Any]:
    now = timezone.now()
    code = checkin.current_screen_code(station, now)
    url = request.build_absolute_uri(checkin.checkin_path(station, code))
    today = beijing_date(now)
    return {
        "station": station,
        # segno's own SVG markup for a URL we built: no user text inside.
        "qr_svg": mark_safe(qr_svg_inline(url)),  # noqa: S308
        "checkin_url": url,
        "seconds_left": checkin.seconds_left(now),
        "window_minutes": checkin.window_minutes(),
        "now": timezone.localtime(now),
        "today": today,
        "shifts": attendance.station_day(station, today),
    }


@never_cache
@requires(Perm.MANAGE_DUTY)
def checkin_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """签到二维码: for a screen at the station; the code refreshes itself (htmx polling)."""
    station = get_in_reach_or_404(_actor(request), Station, pk=pk)
    return render(request, "activities/attendance_screen.html", _code_context(request, station))


@never_cache
@requires(Perm.MANAGE_DUTY)
def checkin_screen_code(request: HttpRequest, pk: int) -> HttpResponse:
    """The part of the screen that changes: the QR code and today's check-ins."""
    station = get_in_reach_or_404(_actor(request), Station, pk=pk)
    return render(
        request, "activities/attendance_screen_code.html", _code_context(request, station)
    )


@never_cache
@requires(Perm.MANAGE_DUTY)
def checkin_printed(request: HttpRequest, pk: int) -> HttpResponse:
    """Today's printed check-in code on an A4 sheet: valid for this calendar day only."""
    station = get_in_reach_or_404(_actor(request), Station, pk=pk)
    now = timezone.now()
    code = checkin.today_printed_code(station, now)
    url = request.build_absolute_uri(checkin.checkin_path(station, code))
    return render(
        request,
        "activities/attendance_printed.html",
        {
            "station": station,
            "qr_svg": mark_safe(qr_svg_inline(url)),  # noqa: S308 - segno's SVG of our URL
            "checkin_url": url,
            "today": beijing_date(now),
            "back_url": reverse("duty:station_today", args=[station.pk]),
        },
    )


# --- The deputy's phone -------------------------------------------------------------------------


def _my_posts(actor: Actor, first: dt.date, last: dt.date) -> list[Assignment]:
    if actor.person_id is None:
        return []
    return list(
        Assignment.objects.filter(
            person_id=actor.person_id,
            shift__roster__status=Roster.Status.PUBLISHED,
            shift__date__gte=first,
            shift__date__lte=last,
        )
        .select_related("shift__station")
        .order_by("shift__date", "shift__starts_at", "pk")
    )


@never_cache
@requires(Perm.VIEW_DUTY)
def mobile_checkin_home(request: HttpRequest) -> HttpResponse:
    """值班签到: today's shifts (and the week's next ones) and how to check in."""
    actor = _actor(request)
    today = _today()
    posts = _my_posts(actor, today, today + dt.timedelta(days=7))
    return render(
        request,
        "activities/attendance_mobile_home.html",
        {
            "tab": "duty",
            "has_person": actor.person_id is not None,
            "today_posts": [_post(a) for a in posts if a.shift.date == today],
            "next_posts": [_post(a) for a in posts if a.shift.date > today],
            "today": today,
        },
    )


def _post(assignment: Assignment) -> dict[str, Any]:
    shift = assignment.shift
    return {
        "assignment": assignment,
        "shift": shift,
        "opens": timezone.localtime(checkin.opens_at(shift)),
        "present": assignment.status == Assignment.Status.PRESENT,
    }


@never_cache
@requires(Perm.VIEW_DUTY)
def mobile_checkin(request: HttpRequest, key: str, code: str) -> HttpResponse:
    """The page a scan of the station's code opens: checks the deputy in, or says why not.
    A visitor who is not logged in is sent to the login page and back here."""
    actor = _actor(request)
    result = checkin.check_in(actor=actor, station_key=key, code=code)
    return render(
        request,
        "activities/attendance_checkin.html",
        {
            "tab": "duty",
            "result": result,
            "ok": result.ok,
            "message": result.message,
            "posts": [_post(a) for a in result.today],
        },
    )


# --- The station's duty of the day ---------------------------------------------------------------


@never_cache
@requires(Perm.MANAGE_DUTY)
def attendance_home(request: HttpRequest) -> HttpResponse:
    """值班签到: the stations within reach with today's shifts, check-ins and 空岗."""
    actor = _actor(request)
    today = _today()
    stations = scope(actor, Station.objects.filter(is_active=True)).order_by("path")
    todays = Shift.objects.filter(date=today, roster__status=Roster.Status.PUBLISHED)
    stations = stations.annotate(
        shifts_today=Count("shifts", filter=Q(shifts__in=todays), distinct=True),
        flagged_today=Count(
            "shifts",
            filter=Q(shifts__in=todays, shifts__empty_flagged_at__isnull=False),
            distinct=True,
        ),
    )
    page = Paginator(stations, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/attendance_home.html",
        {
            "title": _("值班签到"),
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "today": today,
        },
    )


@never_cache
@requires(Perm.MANAGE_DUTY)
def station_today(request: HttpRequest, pk: int) -> HttpResponse:
    """今日值班: the station's shifts of a day, who is checked in, staff confirm and leave."""
    actor = _actor(request)
    station = get_in_reach_or_404(actor, Station, pk=pk)
    day = _day(request)
    today = _today()
    shifts = []
    for shift in attendance.station_day(station, day):
        posts: list[dict[str, Any]] = []
        for a in shift.assignments.all():
            posts.append(
                {
                    "a": a,
                    "can_confirm": day <= today and a.status != Assignment.Status.PRESENT,
                    "can_excuse": a.status
                    in (Assignment.Status.SCHEDULED, Assignment.Status.ABSENT),
                }
            )
        shifts.append(
            {
                "shift": shift,
                "posts": posts,
                "uncovered": attendance.uncovered(shift),
                "present": sum(1 for p in posts if p["a"].status == Assignment.Status.PRESENT),
            }
        )
    return render(
        request,
        "activities/attendance_today.html",
        {
            "title": _("今日值班") if day == today else _("值班情况"),
            "station": station,
            "day": day,
            "today": today,
            "is_today": day == today,
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
            "shifts": shifts,
            "confirm_form": ConfirmForm(),
            "excuse_form": ExcuseForm(),
        },
    )


def _back(assignment: Assignment) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        attendance.today_url(assignment.shift.station, assignment.shift.date)
    )


def _form_errors(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@never_cache
@require_POST
@requires(Perm.MANAGE_DUTY)
def assignment_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    assignment = get_in_reach_or_404(
        actor, Assignment.objects.select_related("shift__station", "person"), pk=pk
    )
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(assignment)
    try:
        attendance.confirm_present(
            actor=actor, assignment=assignment, arrived_at=form.cleaned_data.get("arrived_at")
        )
    except NotAllowed as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("已确认 %(name)s 到岗。") % {"name": assignment.person.name})
    return _back(assignment)


@never_cache
@require_POST
@requires(Perm.MANAGE_DUTY)
def assignment_excuse(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    assignment = get_in_reach_or_404(
        actor, Assignment.objects.select_related("shift__station", "person"), pk=pk
    )
    form = ExcuseForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(assignment)
    try:
        attendance.mark_excused(actor=actor, assignment=assignment, note=form.cleaned_data["note"])
    except NotAllowed as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("已登记 %(name)s 请假。") % {"name": assignment.person.name})
    return _back(assignment)


# --- Absences ----------------------------------------------------------------------------------


class AbsenceList(ScopedListView):
    """缺岗记录: absences within reach, by station, month and person."""

    permission = Perm.VIEW_DUTY
    model = Assignment
    title = L("缺岗记录")
    template_name = "activities/attendance_absences.html"
    filterset_class = AbsenceFilter
    columns = [
        Column("shift.date", L("日期"), sort="shift__date"),
        Column("shift.station", L("联络站")),
        Column("person.name", L("姓名"), sort="person__name"),
        Column("get_role_display", L("岗位")),
        Column("unit", L("窗口单位")),
    ]
    default_ordering = ["-shift__date", "shift__starts_at", "person__name", "pk"]

    def base_queryset(self) -> QuerySet[Assignment]:
        return Assignment.objects.filter(
            attendance.PUBLISHED, status=Assignment.Status.ABSENT
        ).select_related("shift__station", "person", "unit")

    def detail_url(self, obj: Any) -> str:
        return reverse("duty:person_absences", args=[obj.person_id])


@never_cache
@requires(Perm.VIEW_DUTY)
def person_absences(request: HttpRequest, pk: int) -> HttpResponse:
    """One person's absences (and leave) within the actor's reach, newest first."""
    actor = _actor(request)
    person = get_in_reach_or_404(actor, Person, pk=pk)
    rows = (
        scope(actor, Assignment.objects.filter(attendance.PUBLISHED, person=person))
        .filter(status__in=[Assignment.Status.ABSENT, Assignment.Status.EXCUSED])
        .select_related("shift__station")
        .order_by("-shift__date", "-shift__starts_at", "pk")
    )
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    recent = attendance.recent_absences(person.pk, timezone.now())
    return render(
        request,
        "activities/attendance_person.html",
        {
            "title": _("%(name)s的缺岗与请假") % {"name": person.name},
            "person": person,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "recent": scope(actor, recent).count(),
            "window_days": attendance.absence_window().days,
        },
    )


# --- The window units' attendance report ---------------------------------------------------------


def _report_month(request: HttpRequest) -> dt.date:
    return parse_month(request.GET.get("month")) or _today().replace(day=1)


def _may_report(actor: Actor) -> None:
    if actor.role not in REPORT_ROLES:
        raise Http404


@never_cache
@requires(Perm.VIEW_DUTY)
def unit_report(request: HttpRequest) -> HttpResponse:
    """窗口单位值班考勤: per unit and month, for the units' evaluation (DUTY-3)."""
    actor = _actor(request)
    _may_report(actor)
    month = _report_month(request)
    rows = attendance.unit_report(actor, month)
    return render(
        request,
        "activities/attendance_units.html",
        {
            "title": _("窗口单位值班考勤"),
            "month": month,
            "month_value": month.strftime("%Y-%m"),
            "rows": rows,
            "late_minutes": int(attendance.late_after().total_seconds() // 60),
        },
    )


REPORT_HEADERS = [L("单位"), L("应到"), L("到岗"), L("按时到岗"), L("缺岗"), L("请假"), L("到岗率")]


@never_cache
@requires(Perm.VIEW_DUTY)
def unit_report_export(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    _may_report(actor)
    month = _report_month(request)
    rows = [
        [r.unit, r.posts, r.present, r.on_time, r.absent, r.excused, r.rate_text]
        for r in attendance.unit_report(actor, month)
    ]
    data = sheets.write_xlsx(
        [str(h) for h in REPORT_HEADERS], rows, title=f"{month:%Y-%m}窗口单位值班考勤"
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="unit-duty-{month:%Y-%m}.xlsx"'
    return response
