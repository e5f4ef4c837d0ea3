"""Pages of the duty set-up (DUTY-1, DUTY-2): staff pages for patterns, the pool, leave and
swap approval under /staff/duty/; the deputy's "我的值班" under /m/duty/.

Thin views (STYLE 5): look records up within reach (404 otherwise), validate the form, call one
service of ``duty/setup.py`` or ``duty/swaps.py``, answer. A ``NotAllowed`` is a 404; a
``Conflict`` (somebody acted first, or the shift changed) is a message on the same page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import (
    Actor,
    Perm,
    can_edit,
    can_edit_model,
    get_in_reach_or_404,
    scope,
)
from lianxin.activities import forms_setup as forms
from lianxin.activities.duty import mine, setup, swaps
from lianxin.activities.models import (
    Assignment,
    DutyLeave,
    DutyPattern,
    PoolMember,
    Roster,
    SwapRequest,
)
from lianxin.activities.models.duty import DutyRole
from lianxin.common.errors import Conflict, DomainError, NotAllowed
from lianxin.common.staff_views import LIST_ACTIONS, Column, ScopedDetailView, ScopedListView
from lianxin.common.views import requires
from lianxin.directory.models import Delegation, HandlingUnit, Person

L = gettext_lazy


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined, no-any-return]


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _add_errors(form: Any, exc: ValidationError) -> None:
    """A service's ValidationError onto the form: by field where the form has it."""
    items = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    for field, errors in items:
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


class FnColumn(Column):
    """A list column computed from the row."""

    def __init__(self, fn: Callable[[Any], Any], label: Any, sort: str | None = None) -> None:
        super().__init__("", label, sort)
        self.fn = fn

    def value(self, obj: Any) -> Any:
        return self.fn(obj)


def _times(obj: Any) -> str:
    return f"{obj.starts_at:%H:%M}—{obj.ends_at:%H:%M}"


def _station_prefill(request: HttpRequest) -> dict[str, Any]:
    """``?station=`` (from a station's page), else station staff's own station."""
    raw = request.GET.get("station", "")
    if raw.isdigit():
        return {"station": int(raw)}
    assignment = _actor(request).assignment
    if assignment is not None and assignment.role == Role.STATION and assignment.station_id:
        return {"station": assignment.station_id}
    return {}


# --- Patterns (DUTY-1) -------------------------------------------------------------------------


class PatternList(ScopedListView):
    permission = Perm.VIEW_DUTY
    model = DutyPattern
    title = L("值班规则")
    columns = [
        Column("name", L("名称"), sort="name"),
        Column("station.name", L("联络站"), sort="station__path"),
        FnColumn(setup.describe, L("值班日")),
        FnColumn(_times, L("时间")),
        FnColumn(lambda p: setup.needs_text(p.needs()), L("每班人数")),
        Column("is_active", L("启用"), sort="is_active"),
    ]
    search_fields = ["name", "station__name"]
    filterset_class = forms.PatternFilter
    default_ordering = ["station__path", "name"]
    create_url_name = "duty:pattern_create"
    detail_url_name = "duty:pattern_detail"

    def base_queryset(self) -> QuerySet[DutyPattern]:
        return DutyPattern.objects.select_related("station").prefetch_related("requirements")


@requires(Perm.VIEW_DUTY)
def pattern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One pattern: its days in words, the posts of a shift, the next dates, its rosters."""
    actor = _actor(request)
    pattern = get_in_reach_or_404(actor, DutyPattern.objects.select_related("station"), pk=pk)
    may_edit = can_edit(actor, pattern) and actor.has(Perm.MANAGE_DUTY)
    rosters = scope(actor, pattern.rosters.order_by("-starts_on"))[:20]
    return render(
        request,
        "activities/setup_pattern_detail.html",
        {
            "title": pattern.name,
            "pattern": pattern,
            "describe": setup.describe(pattern),
            "needs": setup.needs_text(pattern.needs()),
            "preview": _preview(pattern),
            "rosters": [(r, _url("duty:roster_detail", r.pk)) for r in rosters],
            "may_edit": may_edit,
            "new_roster_url": _url("duty:roster_create") if may_edit else "",
        },
    )


def _preview(pattern: DutyPattern) -> list[tuple[Any, str]]:
    return [(d, setup.weekday_label(d.weekday())) for d in setup.upcoming_dates(pattern)]


@requires(Perm.MANAGE_DUTY)
def pattern_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """新增/编辑值班规则, with 预览日期 before saving."""
    actor = _actor(request)
    instance = None
    if pk is not None:
        instance = get_in_reach_or_404(actor, DutyPattern, pk=pk)
        if not can_edit(actor, instance):
            raise Http404
    preview: list[tuple[Any, str]] | None = None
    if request.method == "POST":
        form = forms.PatternForm(request.POST, instance=instance, actor=actor)
        if form.is_valid():
            if "preview" in request.POST:
                preview = _preview(form.instance)
            else:
                try:
                    pattern = setup.pattern_save(
                        actor=actor, pattern=form.instance, requirements=form.requirements()
                    )
                except NotAllowed as exc:
                    raise Http404 from exc
                except ValidationError as exc:
                    _add_errors(form, exc)
                else:
                    messages.success(request, _("已保存值班规则“%(n)s”。") % {"n": pattern.name})
                    return redirect("duty:pattern_detail", pk=pattern.pk)
    else:
        form = forms.PatternForm(instance=instance, actor=actor, initial=_station_prefill(request))
    verbose = DutyPattern._meta.verbose_name
    return render(
        request,
        "activities/setup_pattern_form.html",
        {
            "form": form,
            "object": instance,
            "title": (_("编辑%(name)s") if instance else _("新增%(name)s")) % {"name": verbose},
            "list_url": reverse("duty:pattern_list"),
            "list_label": DutyPattern._meta.verbose_name_plural,
            "detail_url": reverse("duty:pattern_detail", args=[pk]) if pk else "",
            "cancel_url": reverse("duty:pattern_detail", args=[pk])
            if pk
            else reverse("duty:pattern_list"),
            "preview": preview,
        },
    )


@require_POST
@requires(Perm.MANAGE_DUTY)
def pattern_active(request: HttpRequest, pk: int) -> HttpResponse:
    """停用 or 启用 a pattern."""
    actor = _actor(request)
    pattern = get_in_reach_or_404(actor, DutyPattern, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        setup.pattern_set_active(actor=actor, pattern=pattern, active=active)
    except NotAllowed as exc:
        raise Http404 from exc
    messages.success(request, _("已启用。") if active else _("已停用，以后不再按此规则排班。"))
    return redirect("duty:pattern_detail", pk=pk)


# --- The pool (DUTY-2) -------------------------------------------------------------------------


def _pool_who(member: PoolMember) -> str:
    if member.role == DutyRole.UNIT_HEAD:
        return member.unit.name if member.unit_id else "—"  # type: ignore[union-attr]
    return member.delegation.name if member.delegation_id else "—"  # type: ignore[union-attr]


class PoolList(ScopedListView):
    permission = Perm.VIEW_DUTY
    model = PoolMember
    title = L("值班人员库")
    columns = [
        Column("person.name", L("姓名"), sort="person__name"),
        Column("get_role_display", L("岗位"), sort="role"),
        Column("station.name", L("联络站"), sort="station__path"),
        FnColumn(_pool_who, L("代表团/单位")),
        FnColumn(lambda m: setup.weekdays_text(m.unavailable_weekdays or []), L("固定不能值班")),
        Column("max_per_month", L("每月上限")),
        Column("is_active", L("参加排班"), sort="is_active"),
    ]
    search_fields = ["person__name", "note"]
    filterset_class = forms.PoolFilter
    select_related = ["person", "station", "delegation", "unit"]
    default_ordering = ["station__path", "role", "person__name"]
    create_url_name = "duty:pool_create"
    paginate_by = 50

    def detail_url(self, obj: Any) -> str:
        return reverse("duty:pool_edit", args=[obj.pk]) if self._may_edit else ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        self._may_edit = can_edit_model(self.actor, PoolMember)
        return super().get_context_data(**kwargs)


def _pool_actions(actor: Actor) -> list[tuple[str, str]]:
    if not actor.has(Perm.MANAGE_DUTY):
        return []
    return [(_("批量添加"), reverse("duty:pool_bulk"))]


LIST_ACTIONS["duty:pool_list"] = _pool_actions


def _pool_list_url(station_id: int | None) -> str:
    url = reverse("duty:pool_list")
    return f"{url}?station={station_id}" if station_id else url


@requires(Perm.MANAGE_DUTY)
def pool_create(request: HttpRequest) -> HttpResponse:
    """添加一名值班人员."""
    actor = _actor(request)
    if request.method == "POST":
        form = forms.PoolAddForm(request.POST, actor=actor)
        if form.is_valid():
            data = form.cleaned_data
            try:
                member = setup.pool_add(
                    actor=actor,
                    station=data["station"],
                    person=data["person"],
                    role=data["role"],
                    delegation=data.get("delegation"),
                    unit=data.get("unit"),
                    unavailable_weekdays=data.get("unavailable_weekdays") or [],
                    max_per_month=data.get("max_per_month"),
                    note=data.get("note", ""),
                )
            except NotAllowed as exc:
                raise Http404 from exc
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("已将 %(name)s 加入%(station)s值班人员库。")
                    % {"name": member.person.name, "station": member.station.name},
                )
                return redirect(_pool_list_url(member.station_id))
    else:
        form = forms.PoolAddForm(actor=actor, initial=_station_prefill(request))
    return render(
        request,
        "activities/setup_form.html",
        {
            "form": form,
            "title": _("添加值班人员"),
            "list_url": reverse("duty:pool_list"),
            "list_label": PoolMember._meta.verbose_name_plural,
            "cancel_url": reverse("duty:pool_list"),
            "bulk_url": reverse("duty:pool_bulk"),
        },
    )


@requires(Perm.MANAGE_DUTY)
def pool_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """One pool entry: weekdays he never serves, his monthly maximum, 停用."""
    actor = _actor(request)
    member = get_in_reach_or_404(
        actor, PoolMember.objects.select_related("person", "station"), pk=pk
    )
    if not can_edit(actor, member):
        raise Http404
    if request.method == "POST":
        form = forms.PoolEditForm(request.POST, instance=member, actor=actor)
        if form.is_valid():
            try:
                setup.pool_member_update(actor=actor, member=member, **form.changes())
            except NotAllowed as exc:
                raise Http404 from exc
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect(_pool_list_url(member.station_id))
    else:
        form = forms.PoolEditForm(instance=member, actor=actor)
    upcoming = setup.upcoming_assignments(member).order_by("shift__date")[:20]
    return render(
        request,
        "activities/setup_form.html",
        {
            "form": form,
            "object": member,
            "title": _("%(name)s · %(station)s")
            % {
                "name": member.person.name,
                "station": member.station.name,
            },
            "subtitle": member.get_role_display(),
            "list_url": reverse("duty:pool_list"),
            "list_label": PoolMember._meta.verbose_name_plural,
            "cancel_url": _pool_list_url(member.station_id),
            "upcoming": upcoming,
        },
    )


@requires(Perm.MANAGE_DUTY)
def pool_bulk(request: HttpRequest) -> HttpResponse:
    """批量添加: the station's sitting deputies, a delegation, a window unit's head."""
    actor = _actor(request)
    initial = _station_prefill(request)
    station_form = forms.StationDeputiesForm(actor=actor, initial=initial, prefix="s")
    delegation_form = forms.DelegationForm(actor=actor, initial=initial, prefix="d")
    unit_form = forms.UnitHeadsForm(actor=actor, initial=initial, prefix="u")
    if request.method == "POST":
        action = request.POST.get("action", "")
        chosen: Any = {
            "station": forms.StationDeputiesForm(request.POST, actor=actor, prefix="s"),
            "delegation": forms.DelegationForm(request.POST, actor=actor, prefix="d"),
            "unit": forms.UnitHeadsForm(request.POST, actor=actor, prefix="u"),
        }.get(action)
        if chosen is None:
            raise Http404
        if chosen.is_valid():
            data = chosen.cleaned_data
            try:
                if action == "station":
                    done = setup.pool_add_station_deputies(actor=actor, station=data["station"])
                elif action == "delegation":
                    done = setup.pool_add_delegation(
                        actor=actor, station=data["station"], delegation=data["delegation"]
                    )
                else:
                    done = setup.pool_add_unit_contacts(
                        actor=actor,
                        station=data["station"],
                        unit=data["unit"],
                        primary_only=bool(data.get("primary_only")),
                    )
            except NotAllowed as exc:
                raise Http404 from exc
            except ValidationError as exc:
                _add_errors(chosen, exc)
            else:
                messages.success(request, done.message())
                return redirect(_pool_list_url(data["station"].pk))
        if action == "station":
            station_form = chosen
        elif action == "delegation":
            delegation_form = chosen
        else:
            unit_form = chosen
    return render(
        request,
        "activities/setup_pool_bulk.html",
        {
            "title": _("批量添加值班人员"),
            "station_form": station_form,
            "delegation_form": delegation_form,
            "unit_form": unit_form,
            "has_delegations": scope(actor, Delegation.objects.all()).exists(),
            "has_units": scope(actor, HandlingUnit.objects.filter(is_active=True)).exists(),
            "list_url": reverse("duty:pool_list"),
            "list_label": PoolMember._meta.verbose_name_plural,
        },
    )


# --- Leave (DUTY-2) ----------------------------------------------------------------------------


def _leave_where(leave: DutyLeave) -> str:
    return leave.station.name if leave.station_id else _("所有站点")  # type: ignore[union-attr]


class LeaveList(ScopedListView):
    permission = Perm.VIEW_DUTY
    model = DutyLeave
    title = L("值班请假")
    columns = [
        Column("person.name", L("人员"), sort="person__name"),
        FnColumn(_leave_where, L("范围")),
        Column("starts_on", L("开始日期"), sort="starts_on"),
        Column("ends_on", L("结束日期"), sort="ends_on"),
        Column("reason", L("事由")),
    ]
    search_fields = ["person__name", "reason"]
    filterset_class = forms.LeaveFilter
    select_related = ["person", "station"]
    default_ordering = ["-starts_on", "-pk"]
    create_url_name = "duty:leave_create"
    detail_url_name = "duty:leave_detail"


class LeaveDetail(ScopedDetailView):
    permission = Perm.VIEW_DUTY
    model = DutyLeave
    template_name = "activities/setup_leave_detail.html"
    fields = ["person", "starts_on", "ends_on", "reason", "created_by", "created_at"]
    list_url_name = "duty:leave_list"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        leave: DutyLeave = ctx["object"]
        ctx["fields"].insert(1, (_("范围"), _leave_where(leave)))
        ctx["may_cancel"] = setup.may_cancel_leave(self.actor, leave) and self.actor.has(
            Perm.MANAGE_DUTY
        )
        ctx["during"] = list(scope(self.actor, setup.shifts_during(leave))[:50])
        ctx["title"] = _("%(name)s的请假") % {"name": leave.person.name}
        return ctx


@requires(Perm.MANAGE_DUTY)
def leave_create(request: HttpRequest) -> HttpResponse:
    """Staff enter leave for a person of their pool."""
    actor = _actor(request)
    if request.method == "POST":
        form = forms.LeaveForm(request.POST, actor=actor)
        if form.is_valid():
            data = form.cleaned_data
            member = data["member"]
            try:
                leave = setup.leave_add(
                    actor=actor,
                    person=member.person,
                    station=member.station,
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    reason=data.get("reason", ""),
                )
            except NotAllowed as exc:
                raise Http404 from exc
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("已登记请假。"))
                during = setup.shifts_during(leave).count()
                if during:
                    messages.warning(
                        request,
                        _("请假期间此人已有 %(n)s 个已发布的班次，请安排换班或调整排班。")
                        % {"n": during},
                    )
                return redirect("duty:leave_detail", pk=leave.pk)
    else:
        initial: dict[str, Any] = {}
        raw = request.GET.get("member", "")
        if raw.isdigit():
            initial["member"] = int(raw)
        form = forms.LeaveForm(actor=actor, initial=initial)
    return render(
        request,
        "activities/setup_form.html",
        {
            "form": form,
            "title": _("登记请假"),
            "list_url": reverse("duty:leave_list"),
            "list_label": DutyLeave._meta.verbose_name_plural,
            "cancel_url": reverse("duty:leave_list"),
        },
    )


@require_POST
@requires(Perm.MANAGE_DUTY)
def leave_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    leave = get_in_reach_or_404(actor, DutyLeave, pk=pk)
    if not can_edit(actor, leave):
        raise Http404
    try:
        kept = setup.leave_cancel(actor=actor, leave=leave)
    except NotAllowed:
        messages.error(request, _("这条请假不能撤销（已结束，或不是本站登记的）。"))
        return redirect("duty:leave_detail", pk=pk)
    if kept is None:
        messages.success(request, _("已撤销请假。"))
        return redirect("duty:leave_list")
    messages.success(request, _("已销假：请假到昨天为止。"))
    return redirect("duty:leave_detail", pk=pk)


# --- Swaps (DUTY-2) ----------------------------------------------------------------------------


def _swap_day(swap: SwapRequest) -> Any:
    return swap.assignment.shift.date


class SwapList(ScopedListView):
    permission = Perm.VIEW_DUTY
    model = SwapRequest
    title = L("换班审批")
    columns = [
        Column("requester.name", L("申请人")),
        FnColumn(swaps.kind_label, L("方式")),
        FnColumn(_swap_day, L("班次日期")),
        FnColumn(lambda s: s.assignment.shift.station.name, L("联络站")),
        Column("counterpart.name", L("对方")),
        Column("get_status_display", L("状态"), sort="status"),
        Column("created_at", L("申请时间"), sort="created_at"),
    ]
    search_fields = ["requester__name", "counterpart__name", "reason"]
    filterset_class = forms.SwapFilter
    select_related = ["requester", "counterpart", "assignment__shift__station"]
    detail_url_name = "duty:swap_detail"

    def get_queryset(self) -> QuerySet[SwapRequest]:
        qs = super().get_queryset()
        if self.request.GET.get("sort"):
            return qs
        waiting = Case(
            When(status=SwapRequest.Status.AGREED, then=Value(0)),
            When(status=SwapRequest.Status.PENDING, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return qs.order_by(waiting, "-created_at", "-pk")


@requires(Perm.VIEW_DUTY)
def swap_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request: both shifts, what stands in the way, and the staff's decision."""
    actor = _actor(request)
    get_in_reach_or_404(actor, SwapRequest, pk=pk)
    swap = swaps.load_swap(pk)
    is_open = swap.status in swaps.OPEN
    may_decide = swap.status == SwapRequest.Status.AGREED and swaps.may_decide(actor, swap)
    return render(
        request,
        "activities/setup_swap_detail.html",
        {
            "title": _("换班申请"),
            "swap": swap,
            "kind": swaps.kind_label(swap),
            "void": swaps.void_reason(swap) if is_open else "",
            "problems": swaps.refusals(swap) if swap.status == SwapRequest.Status.AGREED else [],
            "may_decide": may_decide,
            "form": forms.SwapDecisionForm(initial={"decision": "approve"}) if may_decide else None,
            "list_url": reverse("duty:swap_list"),
            "list_label": _("换班审批"),
        },
    )


@require_POST
@requires(Perm.MANAGE_DUTY)
def swap_decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    swap = get_in_reach_or_404(actor, SwapRequest, pk=pk)
    form = forms.SwapDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择“批准”或“不批准”。"))
        return redirect("duty:swap_detail", pk=pk)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        swaps.swap_decide(
            actor=actor, swap=swap, approve=approve, note=form.cleaned_data.get("note", "")
        )
    except NotAllowed as exc:
        raise Http404 from exc
    except (Conflict, DomainError) as exc:
        messages.error(request, str(exc.message))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已批准，班次已调换。") if approve else _("已退回申请。"))
    return redirect("duty:swap_detail", pk=pk)


# --- The deputy's phone (UI.md) ----------------------------------------------------------------


def _person(actor: Actor) -> Person | None:
    return Person.objects.filter(pk=actor.person_id).first() if actor.person_id else None


@requires(Perm.VIEW_OWN_RECORD)
def mobile_duty(request: HttpRequest) -> HttpResponse:
    """我的值班: today's shift first, then the shifts to come, swaps waiting for his answer,
    past shifts with how they went (到岗/缺岗/请假)."""
    actor = _actor(request)
    return render(
        request,
        "activities/mobile_duty.html",
        {"tab": "duty", "person": _person(actor), "duty": mine.my_duty(actor)},
    )


def _my_assignment(actor: Actor, pk: int) -> Assignment:
    if actor.person_id is None:
        raise Http404
    return get_in_reach_or_404(
        actor,
        Assignment.objects.filter(
            person_id=actor.person_id, shift__roster__status=Roster.Status.PUBLISHED
        ).select_related("shift__station", "shift__roster", "person"),
        pk=pk,
    )


@requires(Perm.VIEW_OWN_RECORD)
def mobile_shift(request: HttpRequest, pk: int) -> HttpResponse:
    """One of his shifts: where and when, who else is on it (names only), and the swap form."""
    actor = _actor(request)
    assignment = _my_assignment(actor, pk)
    assignment.status_text = mine.status_label(assignment)  # type: ignore[attr-defined]
    can_swap = mine.may_swap(assignment)
    takes, exchanges = mine.swap_options(assignment) if can_swap else ([], [])
    form = forms.SwapRequestForm(takes=takes, exchanges=exchanges)
    if request.method == "POST" and can_swap:
        form = forms.SwapRequestForm(request.POST, takes=takes, exchanges=exchanges)
        if form.is_valid():
            kind, target = form.target()
            counterpart, theirs = None, None
            if kind == "swap":
                theirs = Assignment.objects.filter(pk=target).first()
            else:
                counterpart = Person.objects.filter(pk=target).first()
            try:
                swaps.swap_request(
                    actor=actor,
                    assignment=assignment,
                    counterpart=counterpart,
                    counterpart_assignment=theirs,
                    reason=form.cleaned_data["reason"],
                )
            except NotAllowed as exc:
                raise Http404 from exc
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("已发出申请，等对方同意后由站点审批。"))
                return redirect("mobile:duty_shift", pk=assignment.pk)
    requests = (
        SwapRequest.objects.filter(assignment=assignment)
        .select_related("counterpart", "counterpart_assignment__shift")
        .order_by("-created_at")
    )
    return render(
        request,
        "activities/mobile_shift.html",
        {
            "tab": "duty",
            "person": _person(actor),
            "a": assignment,
            "shift": assignment.shift,
            "station": assignment.shift.station,
            "co_duty": mine.co_duty(assignment),
            "can_swap": can_swap,
            "has_options": bool(takes or exchanges),
            "form": form,
            "requests": list(requests),
            "is_today": assignment.shift.date == timezone.localdate(),
        },
    )


@requires(Perm.VIEW_OWN_RECORD)
def mobile_swaps(request: HttpRequest) -> HttpResponse:
    """换班: requests waiting for his answer (同意/不同意) and his own (撤回)."""
    actor = _actor(request)
    if request.method == "POST":
        raw, answer = request.POST.get("swap", ""), request.POST.get("answer", "")
        if not raw.isdigit() or answer not in ("agree", "decline", "cancel"):
            raise Http404
        swap = get_in_reach_or_404(actor, SwapRequest, pk=int(raw))
        try:
            if answer == "cancel":
                swaps.swap_cancel(actor=actor, swap=swap)
                messages.success(request, _("已撤回换班申请。"))
            else:
                swaps.swap_answer(actor=actor, swap=swap, agree=answer == "agree")
                messages.success(
                    request,
                    _("已同意，等待站点审批。") if answer == "agree" else _("已回复不同意。"),
                )
        except NotAllowed as exc:
            raise Http404 from exc
        except (Conflict, DomainError) as exc:
            messages.error(request, str(exc.message))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("mobile:duty_swaps")
    requests = mine.swaps_of(actor)
    return render(
        request,
        "activities/mobile_swaps.html",
        {
            "tab": "duty",
            "person": _person(actor),
            "to_answer": [
                s
                for s in requests
                if s.counterpart_id == actor.person_id and s.status == SwapRequest.Status.PENDING
            ],
            "others": [
                s
                for s in requests
                if not (
                    s.counterpart_id == actor.person_id and s.status == SwapRequest.Status.PENDING
                )
            ],
            "open": swaps.OPEN,
        },
    )


@requires(Perm.VIEW_OWN_RECORD)
def mobile_leave(request: HttpRequest) -> HttpResponse:
    """我要请假: his own leave, everywhere or at one of his stations; cancel one not over."""
    actor = _actor(request)
    person = _person(actor)
    stations = list(setup.my_pool_stations(actor.person_id))
    form = forms.MyLeaveForm(stations=stations)
    if request.method == "POST" and person is not None:
        if "cancel" in request.POST:
            raw = request.POST.get("cancel", "")
            leave = DutyLeave.objects.filter(
                pk=int(raw) if raw.isdigit() else 0, person_id=person.pk
            ).first()
            if leave is None:
                raise Http404
            try:
                setup.leave_cancel(actor=actor, leave=leave)
            except NotAllowed:
                messages.error(request, _("这条请假已经结束，不能撤销。"))
            else:
                messages.success(request, _("已撤销请假。"))
            return redirect("mobile:duty_leave")
        form = forms.MyLeaveForm(request.POST, stations=stations)
        if form.is_valid():
            data = form.cleaned_data
            station = next((s for s in stations if str(s.pk) == data.get("station")), None)
            try:
                leave = setup.leave_add(
                    actor=actor,
                    person=person,
                    station=station,
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    reason=data.get("reason", ""),
                )
            except NotAllowed as exc:
                raise Http404 from exc
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("已登记请假，排班时不会安排您。"))
                during = setup.shifts_during(leave).count()
                if during:
                    messages.warning(
                        request,
                        _("请假期间您已有 %(n)s 个班次，请在班次页面申请换班或代班。")
                        % {"n": during},
                    )
                return redirect("mobile:duty_leave")
    return render(
        request,
        "activities/mobile_leave.html",
        {
            "tab": "duty",
            "person": person,
            "form": form,
            "leave": list(mine.my_leave(actor)),
            "today": timezone.localdate(),
        },
    )
