"""Activity pages (ACT-1, ACT-2, PERF-3): staff list, create, edit, cancel, invite, mark
attendance, the sign-in QR screen, outcomes, photos, collected opinions, self-report approval,
group minimums; the deputy's phone pages (his activities, 补报活动, sign-in by the QR code).

Thin views (STYLE 5): reach through the permission module (404 outside it), the work in
``activities.events``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lianxin.accounts.permissions import (
    Actor,
    Perm,
    can_edit,
    get_in_reach_or_404,
    in_reach,
    scope,
)
from lianxin.activities import events
from lianxin.activities.duty import checkin
from lianxin.activities.forms_events import (
    ActivityFilter,
    ActivityForm,
    DecisionForm,
    InviteForm,
    MarkForm,
    OpinionFormSet,
    OutcomeForm,
    PhotoForm,
    SelfReportForm,
)
from lianxin.activities.models import (
    Activity,
    ActivityKind,
    ActivityPhoto,
    Participant,
    PlanItem,
    TrainingPlan,
)
from lianxin.common.errors import DomainError
from lianxin.common.qr import qr_svg_inline
from lianxin.common.views import requires
from lianxin.holidays.deadlines import beijing_date

PAGE_SIZE = 20


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined, no-any-return]


def _detail(activity: Activity) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("activities:event_detail", args=[activity.pk]))


def _form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errs in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errs)
    else:
        form.add_error(None, exc)


def _page(request: HttpRequest, qs: QuerySet[Any]) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _querystring(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- Staff: list, create, edit, cancel ---------------------------------------------------------


@requires(Perm.VIEW_ACTIVITIES)
def event_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    qs = scope(actor, Activity.objects.select_related("station", "group")).order_by(
        "-starts_at", "-pk"
    )
    filters = ActivityFilter(request.GET or None, actor=actor)
    if filters.is_valid():
        data = filters.cleaned_data
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if data.get("station"):
            qs = qs.filter(station__path__startswith=data["station"].path)
        if month := data.get("month"):
            start = dt.datetime(month.year, month.month, 1, tzinfo=events.BEIJING)
            nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            end = dt.datetime(nxt.year, nxt.month, 1, tzinfo=events.BEIJING)
            qs = qs.filter(starts_at__gte=start, starts_at__lt=end)
    page = _page(request, qs)
    return render(
        request,
        "activities/event_list.html",
        {
            "title": _("履职活动"),
            "filters": filters,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "querystring": _querystring(request),
            "can_manage": actor.has(Perm.MANAGE_ACTIVITIES),
            "pending": events.pending_reports(actor).count(),
        },
    )


def _prefill(actor: Actor, params: Any) -> dict[str, Any]:
    """A class of a training plan (``?training_plan=``, ACT-3) or an item of a station's
    annual plan (``?plan_item=``, ACT-1) starts the form filled in; anything out of reach is
    ignored."""
    initial: dict[str, Any] = {}
    raw_plan, raw_item = params.get("training_plan", ""), params.get("plan_item", "")
    if raw_plan.isdigit():
        plan = (
            scope(actor, TrainingPlan.objects.select_related("congress"))
            .filter(pk=int(raw_plan))
            .first()
        )
        if plan is not None:
            initial.update(
                kind=ActivityKind.TRAINING,
                training_plan=plan.pk,
                title=plan.title,
                organiser_name=plan.congress.name,
            )
    if raw_item.isdigit():
        item = (
            scope(actor, PlanItem.objects.select_related("plan")).filter(pk=int(raw_item)).first()
        )
        if item is not None:
            initial.update(
                kind=item.kind, title=item.title, station=item.plan.station_id, plan_item=item.pk
            )
    return initial


@requires(Perm.MANAGE_ACTIVITIES)
def event_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    initial = _prefill(actor, request.GET) if request.method == "GET" else None
    form = ActivityForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            activity = events.save_activity(actor=actor, activity=form.instance)
        except ValidationError as exc:
            form.instance.pk = None
            _form_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("活动已发布。"))
            return _detail(activity)
    return render(
        request,
        "activities/event_form.html",
        {"title": _("发布活动"), "form": form, "cancel_url": reverse("activities:event_list")},
    )


def _editable_or_404(actor: Actor, pk: int) -> Activity:
    activity = get_in_reach_or_404(actor, Activity, pk=pk)
    if not can_edit(actor, activity) or activity.approval != Activity.Approval.NOT_NEEDED:
        raise Http404
    return activity


def _edit(request: HttpRequest, pk: int, form_class: Any, title: str) -> HttpResponse:
    actor = _actor(request)
    activity = _editable_or_404(actor, pk)
    before = events.snapshot(activity)
    form = form_class(request.POST or None, instance=activity, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            events.save_activity(actor=actor, activity=form.instance, before=before)
        except ValidationError as exc:
            _form_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("已保存。"))
            return _detail(activity)
        activity.refresh_from_db()
    return render(
        request,
        "activities/event_form.html",
        {
            "title": title,
            "form": form,
            "activity": activity,
            "cancel_url": reverse("activities:event_detail", args=[activity.pk]),
        },
    )


@requires(Perm.MANAGE_ACTIVITIES)
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, pk, ActivityForm, _("修改活动"))


@requires(Perm.MANAGE_ACTIVITIES)
def event_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """After the activity: minutes, outcomes, problems solved on the spot, research report."""
    return _edit(request, pk, OutcomeForm, _("活动纪要与成效"))


@require_POST
@requires(Perm.MANAGE_ACTIVITIES)
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    activity = get_in_reach_or_404(actor, Activity, pk=pk)
    try:
        events.cancel_activity(
            actor=actor, activity=activity, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("活动已取消。"))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return _detail(activity)


@require_POST
@requires(Perm.MANAGE_ACTIVITIES)
def event_held(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    activity = get_in_reach_or_404(actor, Activity, pk=pk)
    try:
        events.mark_held(actor=actor, activity=activity)
        messages.success(request, _("已标记为已开展，可以登记活动纪要和成效。"))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return _detail(activity)


# --- Staff: detail, invitations, attendance, photos ------------------------------------------


@requires(Perm.VIEW_ACTIVITIES)
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    activity = get_in_reach_or_404(
        actor,
        Activity.objects.select_related("station", "group", "grid", "training_plan", "region"),
        pk=pk,
    )
    editable = can_edit(actor, activity)
    return render(
        request,
        "activities/event_detail.html",
        _detail_context(actor, activity, editable),
    )


def _detail_context(
    actor: Actor, activity: Activity, editable: bool, invite_form: InviteForm | None = None
) -> dict[str, Any]:
    return {
        "title": activity.title,
        "activity": activity,
        "editable": editable and activity.status != Activity.Status.CANCELLED,
        "participants": activity.participants.select_related("person").order_by(
            "-invited", "person__name"
        ),
        "photos": activity.photos.all(),
        "cases": [link.case for link in activity.case_links.select_related("case")],
        "invite_form": invite_form
        or (InviteForm(actor=actor, activity=activity) if editable else None),
        "photo_form": PhotoForm() if editable else None,
        "counts": events.counts(activity),
        "training_plan_url": reverse("activities:training_detail", args=[activity.training_plan_id])
        if activity.training_plan_id
        and activity.training_plan is not None
        and in_reach(actor, activity.training_plan)
        else "",
        "self_report": activity.approval != Activity.Approval.NOT_NEEDED,
        "decision_form": DecisionForm()
        if editable and activity.approval == Activity.Approval.PENDING
        else None,
    }


@require_POST
@requires(Perm.MANAGE_ACTIVITIES)
def event_invite(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    activity = get_in_reach_or_404(actor, Activity, pk=pk)
    if not can_edit(actor, activity):
        raise Http404
    form = InviteForm(request.POST, actor=actor, activity=activity)
    if form.is_valid():
        try:
            added = events.invite(actor=actor, activity=activity, persons=form.chosen())
        except (ValidationError, DomainError) as exc:
            form.add_error(None, getattr(exc, "message", None) or exc.messages[0])  # type: ignore[union-attr]
        else:
            messages.success(request, _("已邀请 %(n)s 名代表。") % {"n": added})
            return _detail(activity)
    return render(
        request,
        "activities/event_detail.html",
        _detail_context(actor, activity, True, invite_form=form),
    )


@require_POST
@requires(Perm.MANAGE_ACTIVITIES)
def participant_mark(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    participant = get_in_reach_or_404(actor, Participant.objects.select_related("activity"), pk=pk)
    form = MarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("出席情况不正确。"))
        return _detail(participant.activity)
    try:
        events.mark(
            actor=actor, participant=participant, attendance=form.cleaned_data["attendance"]
        )
    except (DomainError, ValidationError):
        raise Http404 from None
    messages.success(request, _("已登记 %(name)s 的出席情况。") % {"name": participant.person.name})
    return _detail(participant.activity)


@require_POST
@requires(Perm.MANAGE_ACTIVITIES)
def event_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    activity = get_in_reach_or_404(actor, Activity, pk=pk)
    if not can_edit(actor, activity):
        raise Http404
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择照片。"))
        return _detail(activity)
    try:
        events.add_photo(actor=actor, activity=activity, upload=form.cleaned_data["image"])
        messages.success(request, _("照片已上传。"))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return _detail(activity)


@requires(Perm.VIEW_ACTIVITIES)
def event_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A photo, for whoever reaches its activity (activities.reach)."""
    photo = get_in_reach_or_404(_actor(request), ActivityPhoto, pk=pk)
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response  # type: ignore[return-value]


# --- Staff: the sign-in QR screen --------------------------------------------------------------


@never_cache
@requires(Perm.MANAGE_ACTIVITIES)
def event_signin_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """活动签到二维码: for a screen at the venue; the page reloads itself as the code changes."""
    actor = _actor(request)
    activity = get_in_reach_or_404(actor, Activity, pk=pk)
    now = timezone.now()
    code = events.current_code(activity, now)
    url = request.build_absolute_uri(events.signin_path(activity, code))
    return render(
        request,
        "activities/event_signin_screen.html",
        {
            "activity": activity,
            # segno's own SVG markup for a URL we built: no user text inside.
            "qr_svg": mark_safe(qr_svg_inline(url)),  # noqa: S308
            "signin_url": url,
            "seconds_left": checkin.seconds_left(now),
            "present": activity.participants.filter(
                attendance=Participant.Attendance.PRESENT
            ).count(),
        },
    )


# --- Staff: collected opinions -----------------------------------------------------------------


@requires(Perm.MANAGE_ACTIVITIES)
def event_opinions(request: HttpRequest, pk: int) -> HttpResponse:
    """收集的意见: a formset of opinions filed as cases in one step (ACT-1, CASE-1)."""
    actor = _actor(request)
    activity = get_in_reach_or_404(actor, Activity, pk=pk)
    if not can_edit(actor, activity) or activity.status == Activity.Status.CANCELLED:
        raise Http404
    formset = OpinionFormSet(request.POST or None, form_kwargs={"actor": actor}, prefix="op")
    error = ""
    if request.method == "POST" and formset.is_valid():
        opinions = [
            events.Opinion(
                category=f.cleaned_data["category"],
                text=f.cleaned_data["text"],
                region=f.cleaned_data.get("region"),
                place=f.cleaned_data.get("place", ""),
                name=f.cleaned_data.get("name", ""),
                phone=f.cleaned_data.get("phone", ""),
            )
            for f in formset.forms
            if f.has_changed() and f.cleaned_data
        ]
        if not opinions:
            error = _("请至少填写一条意见。")
        else:
            try:
                cases = events.file_opinions(actor=actor, activity=activity, opinions=opinions)
            except ValidationError as exc:
                error = "；".join(exc.messages)
            except DomainError as exc:
                error = str(exc.message)
            else:
                messages.success(
                    request,
                    _("已登记 %(n)s 条意见：%(numbers)s。")
                    % {"n": len(cases), "numbers": "、".join(c.number for c in cases)},
                )
                return _detail(activity)
    return render(
        request,
        "activities/event_opinions.html",
        {
            "title": _("登记收集的意见"),
            "activity": activity,
            "formset": formset,
            "error": error,
            "deputy": events.first_present_deputy(activity),
        },
    )


# --- Staff: self-reports to approve (PERF-3) ---------------------------------------------------


@requires(Perm.MANAGE_ACTIVITIES)
def event_pending(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    qs = (
        events.pending_reports(actor)
        .select_related("station")
        .prefetch_related("participants__person")
        .order_by("starts_at", "pk")
    )
    page = _page(request, qs)
    return render(
        request,
        "activities/event_pending.html",
        {
            "title": _("代表补报活动审核"),
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "form": DecisionForm(),
        },
    )


@require_POST
@requires(Perm.MANAGE_ACTIVITIES)
def event_decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    activity = get_in_reach_or_404(actor, Activity, pk=pk)
    note = request.POST.get("note", "")[:200]
    try:
        events.decide(
            actor=actor, activity=activity, approve="approve" in request.POST, note=str(note)
        )
        messages.success(request, _("审核完成。"))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return HttpResponseRedirect(reverse("activities:event_pending"))


# --- Group minimums (ACT-2) --------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return beijing_date(timezone.now()).year
    return year if 2000 <= year <= 2100 else beijing_date(timezone.now()).year


def _minimums_context(request: HttpRequest) -> dict[str, Any]:
    actor = _actor(request)
    year = _year(request)
    groups = events.groups_for(actor).select_related("congress").order_by("name")
    page = _page(request, groups)
    return {
        "title": _("代表小组履职情况"),
        "year": year,
        "rows": events.group_minimums(page.object_list, year),
        "page_obj": page,
        "is_paginated": page.has_other_pages(),
        "querystring": _querystring(request),
    }


@requires(Perm.VIEW_ACTIVITIES)
def group_minimums(request: HttpRequest) -> HttpResponse:
    return render(request, "activities/event_minimums.html", _minimums_context(request))


@requires(Perm.RECORD_OWN_WORK)
def mobile_group_minimums(request: HttpRequest) -> HttpResponse:
    """The same page for the group leader on his phone."""
    context = _minimums_context(request)
    context["mobile"] = True
    return render(request, "activities/event_mobile_minimums.html", context)


# --- The deputy's phone ------------------------------------------------------------------------


@requires(Perm.RECORD_OWN_WORK)
def mobile_activities(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    qs: QuerySet[Participant] = Participant.objects.none()
    if actor.person_id is not None:
        qs = (
            Participant.objects.filter(person_id=actor.person_id)
            .select_related("activity", "activity__station")
            .order_by("-activity__starts_at", "-pk")
        )
    page = _page(request, qs)
    return render(
        request,
        "activities/event_mobile_list.html",
        {"page_obj": page, "is_paginated": page.has_other_pages(), "person": actor.person_id},
    )


@requires(Perm.RECORD_OWN_WORK)
def mobile_activity(request: HttpRequest, pk: int) -> HttpResponse:
    """One activity he took part in, as evidence on his record (PERF-1): when and where, who
    organised it, his sign-in, the station's approval of a self-report (PERF-3), the minutes,
    outcomes and photos. Another person's activity is 404."""
    actor = _actor(request)
    participant = (
        Participant.objects.filter(activity_id=pk, person_id=actor.person_id or 0)
        .select_related("activity", "activity__station", "activity__group", "activity__grid")
        .first()
    )
    if participant is None:
        raise Http404
    activity = participant.activity
    return render(
        request,
        "activities/event_mobile_detail.html",
        {
            "p": participant,
            "activity": activity,
            "organiser": activity.grid
            or activity.group
            or activity.station
            or activity.organiser_name,
            "photos": activity.photos.order_by("pk"),  # type: ignore[attr-defined]
            "counts": events.counts(activity),
        },
    )


@requires(Perm.RECORD_OWN_WORK)
def mobile_report(request: HttpRequest) -> HttpResponse:
    """补报活动 (PERF-3)."""
    actor = _actor(request)
    form = SelfReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            events.self_report(
                actor=actor,
                kind=d["kind"],
                title=d["title"],
                day=d["day"],
                place=d["place"],
                content=d["content"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("已提交，待联络站审核后计入履职记录。"))
            return HttpResponseRedirect(reverse("mobile:activities"))
    return render(
        request,
        "activities/event_mobile_report.html",
        {"form": form, "person": actor.person_id},
    )


@never_cache
@requires(Perm.RECORD_OWN_WORK)
def mobile_signin(request: HttpRequest, key: str, code: str) -> HttpResponse:
    """Opening the QR link is the act of signing in (as for duty check-in)."""
    result = events.sign_in(actor=_actor(request), key=key, code=code)
    return render(
        request,
        "activities/event_mobile_signin.html",
        {"result": result},
    )
