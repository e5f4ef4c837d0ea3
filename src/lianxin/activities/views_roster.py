"""Staff pages of duty rosters (DUTY-1, DUTY-2): the list, a new roster, its page (shifts by
month, progress polled with htmx while the solver runs, the solver's report), one shift's
edit, publishing, the Excel export.

Thin views (STYLE 5): the roster is looked up within reach (404 otherwise), forms are
validated, ``duty.planning`` does the work. A Conflict (somebody acted first, or the roster's
state does not allow it) becomes a message on the roster page.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any
from urllib.parse import quote

import django_filters
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lianxin.accounts.permissions import Actor, Perm, can_edit, can_edit_model, get_in_reach_or_404
from lianxin.activities.duty import planning
from lianxin.activities.forms_roster import PublishForm, RosterForm, ShiftEditForm
from lianxin.activities.models import Assignment, Roster, Shift
from lianxin.activities.models.duty import DutyRole
from lianxin.audit.models import AuditEntry
from lianxin.audit.services import record
from lianxin.common import sheets
from lianxin.common.errors import Conflict, NotAllowed
from lianxin.common.filters import ActorFilterSet
from lianxin.common.staff_views import Column, ScopedListView
from lianxin.common.views import requires
from lianxin.directory.models import Station

L = gettext_lazy
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WEEKDAYS = [L("周一"), L("周二"), L("周三"), L("周四"), L("周五"), L("周六"), L("周日")]
ROLE_LABELS = dict(DutyRole.choices)


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined, no-any-return]


# --- The list ------------------------------------------------------------------------------


class RosterFilter(ActorFilterSet):
    station = django_filters.ModelChoiceFilter(
        label=L("联络站"), queryset=Station.objects.filter(is_active=True)
    )
    status = django_filters.ChoiceFilter(label=L("状态"), choices=Roster.Status.choices)

    class Meta:
        model = Roster
        fields: list[str] = []


class RosterList(ScopedListView):
    """排班表: the rosters of the stations within reach, newest period first."""

    permission = Perm.VIEW_DUTY
    model = Roster
    title = L("排班表")
    columns = [
        Column("name", L("名称"), sort="name"),
        Column("station.name", L("联络站")),
        Column("starts_on", L("开始日期"), sort="starts_on"),
        Column("ends_on", L("结束日期")),
        Column("get_status_display", L("状态"), sort="status"),
    ]
    search_fields = ["name", "station__name"]
    filterset_class = RosterFilter
    select_related = ["station"]
    default_ordering = ["-starts_on", "pk"]
    create_url_name = "duty:roster_create"
    detail_url_name = "duty:roster_detail"


# --- Create and edit -------------------------------------------------------------------------


def _form_page(request: HttpRequest, form: RosterForm, title: str, cancel: str, **ctx: Any):
    return render(
        request,
        "activities/roster_form.html",
        {
            "form": form,
            "title": title,
            "cancel_url": cancel,
            "list_url": reverse("duty:roster_list"),
            "list_label": _("排班表"),
            **ctx,
        },
    )


def _errors_to_form(form: RosterForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


@requires(Perm.MANAGE_DUTY)
def roster_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not can_edit_model(actor, Roster):
        raise Http404
    today = timezone.localdate()
    initial = {
        "starts_on": dt.date(today.year + 1, 1, 1),
        "ends_on": dt.date(today.year + 1, 12, 31),
        "time_limit_seconds": 30,
    }
    form = RosterForm(request.POST or None, initial=initial, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            roster = planning.roster_create(
                actor=actor,
                pattern=data["pattern"],
                name=data["name"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                max_per_month=data.get("max_per_month"),
                time_limit_seconds=data["time_limit_seconds"],
            )
        except NotAllowed as exc:
            raise Http404 from exc
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(
                request,
                _("已新建排班表，生成 %(n)s 个班次。下一步：自动排班。")
                % {"n": roster.shifts.count()},
            )
            return redirect("duty:roster_detail", pk=roster.pk)
    return _form_page(request, form, _("新建排班表"), reverse("duty:roster_list"))


@requires(Perm.MANAGE_DUTY)
def roster_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    roster = get_in_reach_or_404(actor, Roster, pk=pk)
    if not can_edit(actor, roster):
        raise Http404
    detail = reverse("duty:roster_detail", args=[roster.pk])
    if roster.status in (Roster.Status.PUBLISHED, Roster.Status.SOLVING):
        messages.error(request, _("已发布或正在排班的排班表不能修改设置。"))
        return redirect(detail)
    form = RosterForm(request.POST or None, instance=roster, actor=actor)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data.get(name) for name in form.Meta.fields}
        try:
            planning.roster_update(actor=actor, roster=Roster.objects.get(pk=roster.pk), **values)
        except NotAllowed as exc:
            raise Http404 from exc
        except Conflict as exc:
            messages.error(request, str(exc.message))
            return redirect(detail)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(detail)
    return _form_page(request, form, _("修改排班表"), detail, object=roster, detail_url=detail)


# --- The roster page -----------------------------------------------------------------------


def _months(roster: Roster) -> list[dict[str, Any]]:
    """Shifts grouped by month, each with its people by role and its empty posts."""
    shifts = list(
        roster.shifts.order_by("date", "starts_at").prefetch_related(
            "assignments__person", "assignments__delegation", "assignments__unit"
        )
    )
    months: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    for shift in shifts:
        people = sorted(
            (a for a in shift.assignments.all() if a.status != Assignment.Status.EXCUSED),
            key=lambda a: (a.role, a.person.name),
        )
        posts = []
        for role, need in (shift.needs or {}).items():
            names = [a for a in people if a.role == role]
            posts.append(
                {
                    "role": ROLE_LABELS.get(role, role),
                    "people": names,
                    "missing": max(0, int(need) - len(names)),
                }
            )
        months[shift.date.year, shift.date.month].append(
            {
                "shift": shift,
                "weekday": WEEKDAYS[shift.date.weekday()],
                "posts": posts,
                "missing": sum(p["missing"] for p in posts),
            }
        )
    return [
        {"label": _("%(y)s年%(m)s月") % {"y": y, "m": m}, "rows": rows}
        for (y, m), rows in sorted(months.items())
    ]


def _report(roster: Roster) -> dict[str, Any]:
    report = roster.report or {}
    shift_dates = dict(roster.shifts.values_list("pk", "date"))
    uncovered = [
        {
            **item,
            "role_label": ROLE_LABELS.get(item.get("role", ""), item.get("role", "")),
            "text": planning.reason_text(item),
            "exists": item.get("shift") in shift_dates,
        }
        for item in report.get("uncovered", [])
    ]
    spreads = [
        {**values, "role": ROLE_LABELS.get(role, role)}
        for role, values in (report.get("spreads") or {}).items()
    ]
    return {
        "has_result": "status" in report,
        "complete": report.get("complete"),
        "fair": report.get("fair"),
        "edited": report.get("edited"),
        "widened": report.get("widened", 0),
        "seconds": report.get("wall_seconds"),
        "uncovered": uncovered,
        "spreads": spreads,
        "error": report.get("error"),
        "missing_years": report.get("missing_years") or [],
        "accepted": report.get("accepted_uncovered") or [],
    }


def _detail_context(actor: Actor, roster: Roster) -> dict[str, Any]:
    editable = can_edit(actor, roster)
    unpublished = roster.status in planning.UNPUBLISHED
    stale = (
        roster.status == Roster.Status.SOLVING
        and roster.updated_at < timezone.now() - planning.STALE_SOLVE
    )
    return {
        "object": roster,
        "roster": roster,
        "title": roster.name,
        "solving": roster.status == Roster.Status.SOLVING,
        "report": _report(roster),
        "current": [
            {**values, "role": ROLE_LABELS.get(role, role)}
            for role, values in planning.current_spreads(roster).items()
        ],
        "can_edit": editable,
        "can_solve": editable and (unpublished or stale),
        "can_publish": editable and unpublished and roster.shifts.exists(),
        "can_change": editable and unpublished,
        "can_edit_shifts": editable and roster.status != Roster.Status.SOLVING,
        "shift_count": roster.shifts.count(),
    }


@requires(Perm.VIEW_DUTY)
def roster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    roster = get_in_reach_or_404(actor, Roster.objects.select_related("station", "pattern"), pk=pk)
    ctx = _detail_context(actor, roster)
    if request.headers.get("HX-Request"):
        if ctx["solving"]:
            return render(request, "activities/_roster_progress.html", ctx)
        # The solve ended: the whole page again, with the roster and its report.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    ctx["months"] = _months(roster)
    return render(request, "activities/roster_detail.html", ctx)


@require_POST
@requires(Perm.MANAGE_DUTY)
def roster_solve(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    roster = get_in_reach_or_404(actor, Roster, pk=pk)
    try:
        roster = planning.roster_solve_start(actor=actor, roster=roster)
    except NotAllowed as exc:
        raise Http404 from exc
    except Conflict as exc:
        messages.error(request, str(exc.message))
    else:
        if roster.status == Roster.Status.SOLVING:  # a worker runs it
            messages.info(request, _("已开始自动排班。可以离开本页，稍后回来查看结果。"))
        else:  # run in this process (the embedded default): the result is here
            messages.info(request, _("自动排班已完成，请查看排班结果。"))
    return redirect("duty:roster_detail", pk=roster.pk)


@require_POST
@requires(Perm.MANAGE_DUTY)
def roster_generate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    roster = get_in_reach_or_404(actor, Roster, pk=pk)
    try:
        result = planning.roster_generate_shifts(actor=actor, roster=roster)
    except NotAllowed as exc:
        raise Http404 from exc
    except Conflict as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("班次已按值班规则重新生成：新增 %(c)s 个，删除 %(r)s 个，保留 %(k)s 个。")
            % {"c": result.created, "r": result.removed, "k": result.kept},
        )
    return redirect("duty:roster_detail", pk=roster.pk)


@requires(Perm.MANAGE_DUTY)
def roster_publish(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    roster = get_in_reach_or_404(actor, Roster.objects.select_related("station"), pk=pk)
    if not can_edit(actor, roster):
        raise Http404
    detail = reverse("duty:roster_detail", args=[roster.pk])
    form = PublishForm(request.POST if request.method == "POST" else None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            planning.roster_publish(
                actor=actor, roster=roster, accept_uncovered=form.cleaned_data["accept"]
            )
        except NotAllowed as exc:
            raise Http404 from exc
        except Conflict as exc:
            messages.error(request, str(exc.message))
            return redirect(detail)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(reverse("duty:roster_publish", args=[roster.pk]))
        messages.success(request, _("排班表已发布，已通知排班人员。"))
        return redirect(detail)
    empty = [
        {
            "shift": shift,
            "weekday": WEEKDAYS[shift.date.weekday()],
            "role": ROLE_LABELS.get(role, role),
            "missing": missing,
        }
        for shift, role, missing in planning.uncovered_posts(roster)
    ]
    problems = [planning.violation_text(v) for v in planning.check(roster, accept_uncovered=True)]
    return render(
        request,
        "activities/roster_publish.html",
        {
            "object": roster,
            "roster": roster,
            "form": form,
            "empty": empty,
            "problems": problems,
            "can_publish": roster.status in planning.UNPUBLISHED,
            "title": _("发布排班表"),
            "detail_url": detail,
            "list_url": reverse("duty:roster_list"),
            "list_label": _("排班表"),
        },
    )


# --- One shift -------------------------------------------------------------------------------


def _member_label(member: Any) -> str:
    extra = (
        member.delegation.name if member.delegation else (member.unit.name if member.unit else "")
    )
    role = ROLE_LABELS.get(member.role, member.role)
    return f"{member.person.name}（{role}{'·' + extra if extra else ''}）"


@requires(Perm.MANAGE_DUTY)
def shift_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    shift = get_in_reach_or_404(actor, Shift.objects.select_related("roster", "station"), pk=pk)
    roster = shift.roster
    if not can_edit(actor, roster):
        raise Http404
    here = reverse("duty:shift_edit", args=[shift.pk])
    members = planning.pool_choices(roster, shift, (shift.needs or {}).keys())
    by_pk = {m.pk: m for m in members}
    form = ShiftEditForm(
        request.POST or None,
        members=[(m.pk, _member_label(m)) for m in members],
        actor=actor,
    )
    if request.method == "POST":
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(here)
        data = form.cleaned_data
        assignment = None
        if data.get("assignment"):
            assignment = Assignment.objects.filter(pk=data["assignment"], shift=shift).first()
            if assignment is None:
                messages.error(request, _("该人员已不在这个班次中，请刷新后再试。"))
                return redirect(here)
        member = by_pk.get(data.get("member") or 0)
        if data["op"] in (form.ADD, form.REPLACE) and member is None:
            messages.error(request, _("请从本站值班人员库中选择人员。"))
            return redirect(here)
        try:
            if data["op"] == form.ADD and member is not None:
                planning.assignment_add(actor=actor, shift=shift, member=member)
                messages.success(request, _("已安排 %(name)s。") % {"name": member.person.name})
            elif data["op"] == form.REMOVE and assignment is not None:
                planning.assignment_remove(actor=actor, assignment=assignment)
                messages.success(request, _("已移除。"))
            elif assignment is not None and member is not None:
                planning.assignment_replace(actor=actor, assignment=assignment, member=member)
                messages.success(request, _("已替换为 %(name)s。") % {"name": member.person.name})
        except NotAllowed as exc:
            raise Http404 from exc
        except Conflict as exc:
            messages.error(request, str(exc.message))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect(here)
    people = list(
        shift.assignments.select_related("person", "delegation", "unit").order_by(
            "role", "person__name"
        )
    )
    posts = []
    for role, need in (shift.needs or {}).items():
        on = [a for a in people if a.role == role]
        posts.append(
            {
                "role": role,
                "label": ROLE_LABELS.get(role, role),
                "need": need,
                "people": on,
                "missing": max(0, int(need) - len(on)),
                "choices": [(m.pk, _member_label(m)) for m in members if m.role == role],
            }
        )
    return render(
        request,
        "activities/roster_shift.html",
        {
            "shift": shift,
            "roster": roster,
            "object": roster,
            "form": form,
            "posts": posts,
            "weekday": WEEKDAYS[shift.date.weekday()],
            "can_change": roster.status != Roster.Status.SOLVING,
            "title": _("调整班次：%(date)s") % {"date": shift.date.isoformat()},
            "detail_url": reverse("duty:roster_detail", args=[roster.pk]),
            "list_url": reverse("duty:roster_list"),
            "list_label": _("排班表"),
        },
    )


# --- Excel -----------------------------------------------------------------------------------


@requires(Perm.VIEW_DUTY)
def roster_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The roster as an XLSX of text cells: one row per person on a shift, and the empty
    posts; names and delegations only (no personal data)."""
    actor = _actor(request)
    roster = get_in_reach_or_404(actor, Roster.objects.select_related("station"), pk=pk)
    headers = [_("日期"), _("星期"), _("时间"), _("岗位"), _("姓名"), _("代表团/单位"), _("状态")]
    rows: list[list[Any]] = []
    for month in _months(roster):
        for row in month["rows"]:
            shift = row["shift"]
            when = f"{shift.starts_at:%H:%M}-{shift.ends_at:%H:%M}"
            for post in row["posts"]:
                for a in post["people"]:
                    group = (
                        a.delegation.name if a.delegation_id else (a.unit.name if a.unit_id else "")
                    )
                    rows.append(
                        [shift.date.isoformat(), row["weekday"], when, post["role"],
                         a.person.name, group, a.get_status_display()]
                    )  # fmt: skip
                for _n in range(post["missing"]):
                    rows.append(
                        [shift.date.isoformat(), row["weekday"], when, post["role"], "",
                         "", _("缺人")]
                    )  # fmt: skip
    data = sheets.write_xlsx([str(h) for h in headers], rows, title=roster.name[:31])
    record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        obj=roster,
        changes={"rows": len(rows)},
        note=_("导出排班表"),
    )
    response = HttpResponse(data, content_type=XLSX)
    name = f"{roster.name}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "no-store"
    return response
