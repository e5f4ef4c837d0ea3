"""Plan pages (ACT-1, ACT-3): a congress's training plans — list by year, create, edit, the
plan's classes held against planned with attendance per class and per person, its Excel
export — and each station's annual activity plan with its items, month by month beside the
activities held.

Thin views (STYLE 5): reach through the permission module (404 outside it), the work in
``activities.plans`` and ``activities.events``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lianxin.accounts.permissions import Actor, Perm, can_edit, get_in_reach_or_404, scope
from lianxin.activities import events, plans
from lianxin.activities.forms_plans import (
    ActivityPlanForm,
    PlanFilter,
    PlanItemForm,
    TrainingFilter,
    TrainingPlanForm,
)
from lianxin.activities.models import ActivityPlan, PlanItem, TrainingPlan
from lianxin.activities.views_events import _form_errors, _querystring
from lianxin.common import sheets
from lianxin.common.errors import DomainError
from lianxin.common.views import requires
from lianxin.holidays.deadlines import beijing_date

PAGE_SIZE = 20


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined, no-any-return]


def _page(request: HttpRequest, rows: Any, name: str = "page") -> Any:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get(name))


def _this_year() -> int:
    return beijing_date(timezone.now()).year


def _save_form(request: HttpRequest, form: Any, save: Any, done: str) -> Any:
    """Runs the service on a valid form; returns the saved record, or None with the errors
    put on the form (nothing saved)."""
    creating = form.instance.pk is None
    try:
        obj = save()
    except ValidationError as exc:
        if creating:  # the row was rolled back with the transaction
            form.instance.pk = None
            form.instance._state.adding = True
        _form_errors(form, exc)
    except DomainError as exc:
        form.add_error(None, str(exc.message))
    else:
        messages.success(request, done)
        return obj
    return None


# --- Training plans (ACT-3) --------------------------------------------------------------------


@requires(Perm.VIEW_ACTIVITIES)
def training_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    qs = scope(actor, TrainingPlan.objects.select_related("congress")).order_by(
        "-year", "congress__name", "title", "pk"
    )
    filters = TrainingFilter(request.GET or None)
    if filters.is_valid():
        data = filters.cleaned_data
        if data.get("year"):
            qs = qs.filter(year=data["year"])
        if data.get("level") is not None:
            qs = qs.filter(level=data["level"])
        if data.get("theme"):
            qs = qs.filter(theme__icontains=data["theme"].strip())
    page = _page(request, qs)
    held = dict(
        events.counted_activities()
        .filter(training_plan__in=[p.pk for p in page.object_list], status="held")
        .values_list("training_plan")
        .annotate(n=Count("pk"))
    )
    return render(
        request,
        "activities/plan_training_list.html",
        {
            "title": _("培训计划"),
            "filters": filters,
            "page_obj": page,
            "rows": [(p, held.get(p.pk, 0)) for p in page.object_list],
            "is_paginated": page.has_other_pages(),
            "querystring": _querystring(request),
            "can_manage": actor.has(Perm.MANAGE_TRAINING),
        },
    )


def _training_form_page(
    request: HttpRequest, form: TrainingPlanForm, title: str, cancel: str, plan: Any = None
) -> HttpResponse:
    return render(
        request,
        "activities/plan_form.html",
        {
            "title": title,
            "form": form,
            "cancel_url": cancel,
            "crumb_url": reverse("activities:training_list"),
            "crumb_label": _("培训计划"),
            "obj": plan,
            "obj_url": reverse("activities:training_detail", args=[plan.pk]) if plan else "",
        },
    )


@requires(Perm.MANAGE_TRAINING)
def training_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = TrainingPlanForm(
        request.POST or None, actor=actor, initial={"year": _this_year(), "planned_classes": 1}
    )
    if request.method == "POST" and form.is_valid():
        plan = _save_form(
            request,
            form,
            lambda: plans.save_training_plan(actor=actor, plan=form.instance),
            _("培训计划已保存。"),
        )
        if plan is not None:
            return HttpResponseRedirect(reverse("activities:training_detail", args=[plan.pk]))
    return _training_form_page(
        request, form, _("新建培训计划"), reverse("activities:training_list")
    )


def _editable(request: HttpRequest, queryset: QuerySet[Any], pk: int) -> Any:
    """The record to change: within reach and editable by the actor, else 404 (SEC-1)."""
    actor = _actor(request)
    obj = get_in_reach_or_404(actor, queryset, pk=pk)
    if not can_edit(actor, obj):
        raise Http404
    return obj


@requires(Perm.MANAGE_TRAINING)
def training_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    plan = _editable(request, TrainingPlan.objects.all(), pk)
    before = plans.snapshot(plan, plans.TRAINING_FIELDS)
    form = TrainingPlanForm(request.POST or None, instance=plan, actor=actor)
    if request.method == "POST" and form.is_valid():
        saved = _save_form(
            request,
            form,
            lambda: plans.save_training_plan(actor=actor, plan=form.instance, before=before),
            _("已保存。"),
        )
        if saved is not None:
            return HttpResponseRedirect(reverse("activities:training_detail", args=[plan.pk]))
        plan.refresh_from_db()
    detail = reverse("activities:training_detail", args=[plan.pk])
    return _training_form_page(request, form, _("修改培训计划"), detail, plan)


def _training(request: HttpRequest, pk: int) -> TrainingPlan:
    return get_in_reach_or_404(
        _actor(request), TrainingPlan.objects.select_related("congress"), pk=pk
    )


@never_cache
@requires(Perm.VIEW_ACTIVITIES)
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    plan = _training(request, pk)
    summary = events.training_summary(plan)
    trainees = _page(request, events.training_attendance(plan))
    editable = can_edit(actor, plan)
    return render(
        request,
        "activities/plan_training_detail.html",
        {
            "title": str(plan),
            "plan": plan,
            "summary": summary,
            "page_obj": trainees,
            "is_paginated": trainees.has_other_pages(),
            "querystring": "",
            "editable": editable,
            # Classes are organised by whoever manages activities within reach of the plan.
            "can_add_class": actor.has(Perm.MANAGE_ACTIVITIES),
            "new_class_url": reverse("activities:event_create") + f"?training_plan={plan.pk}",
        },
    )


EXPORT_CLASS_HEADERS = (
    L("期次"), L("班次名称"), L("时间"), L("地点"), L("状态"), L("学时"),
    L("应到"), L("实到"), L("缺席"), L("请假"), L("出席率"),
)  # fmt: skip
EXPORT_PERSON_HEADERS = (L("姓名"), L("参加期数"), L("出席"), L("缺席"), L("请假"))


@never_cache
@requires(Perm.VIEW_ACTIVITIES)
def training_export(request: HttpRequest, pk: int) -> HttpResponse:
    """导出Excel: each class with its attendance, then each person's attendance (ACT-3)."""
    plan = _training(request, pk)
    summary = events.training_summary(plan)
    rows: list[list[Any]] = []
    for n, c in enumerate(summary.classes, start=1):
        a = c.activity
        rows.append(
            [
                n,
                a.title,
                timezone.localtime(a.starts_at).strftime("%Y-%m-%d %H:%M"),
                a.place,
                a.get_status_display(),
                str(a.hours) if a.hours is not None else "",
                c.participants,
                c.present,
                c.absent,
                c.excused,
                f"{c.rate}%" if c.rate is not None else "",
            ]
        )
    rows.append([])
    rows.append([str(h) for h in EXPORT_PERSON_HEADERS])
    for t in events.training_attendance(plan):
        rows.append([t.name, t.listed, t.present, t.absent, t.excused])
    data = sheets.write_xlsx(
        [str(h) for h in EXPORT_CLASS_HEADERS], rows, title=f"{plan.year}{plan.title}"[:31]
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="training-{plan.pk}.xlsx"'
    return response


# --- Station annual activity plans (ACT-1) -----------------------------------------------------


@requires(Perm.VIEW_ACTIVITIES)
def plan_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    qs = scope(actor, ActivityPlan.objects.select_related("station")).order_by(
        "-year", "station__name", "pk"
    )
    filters = PlanFilter(request.GET or None, actor=actor)
    if filters.is_valid():
        data = filters.cleaned_data
        if data.get("year"):
            qs = qs.filter(year=data["year"])
        if data.get("station"):
            qs = qs.filter(station__path__startswith=data["station"].path)
    page = _page(request, qs)
    return render(
        request,
        "activities/plan_list.html",
        {
            "title": _("站点年度活动计划"),
            "filters": filters,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "querystring": _querystring(request),
            "can_manage": actor.has(Perm.MANAGE_ACTIVITIES),
        },
    )


def _plan_form_page(
    request: HttpRequest, form: Any, title: str, cancel: str, plan: Any = None, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "activities/plan_form.html",
        {
            "title": title,
            "form": form,
            "cancel_url": cancel,
            "crumb_url": reverse("activities:plan_list"),
            "crumb_label": _("站点年度活动计划"),
            "obj": plan,
            "obj_url": reverse("activities:plan_detail", args=[plan.pk]) if plan else "",
            **extra,
        },
    )


@requires(Perm.MANAGE_ACTIVITIES)
def plan_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    initial: dict[str, Any] = {"year": _this_year()}
    if actor.assignment is not None and actor.assignment.station_id:
        initial["station"] = actor.assignment.station_id
    form = ActivityPlanForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        plan = _save_form(
            request,
            form,
            lambda: plans.save_activity_plan(actor=actor, plan=form.instance),
            _("年度活动计划已创建，请逐月添加计划活动。"),
        )
        if plan is not None:
            return HttpResponseRedirect(reverse("activities:plan_detail", args=[plan.pk]))
    return _plan_form_page(request, form, _("新建年度活动计划"), reverse("activities:plan_list"))


@requires(Perm.MANAGE_ACTIVITIES)
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    plan = _editable(request, ActivityPlan.objects.select_related("station"), pk)
    before = plans.snapshot(plan, plans.PLAN_FIELDS)
    form = ActivityPlanForm(request.POST or None, instance=plan, actor=actor)
    if request.method == "POST" and form.is_valid():
        saved = _save_form(
            request,
            form,
            lambda: plans.save_activity_plan(actor=actor, plan=form.instance, before=before),
            _("已保存。"),
        )
        if saved is not None:
            return HttpResponseRedirect(reverse("activities:plan_detail", args=[plan.pk]))
        plan.refresh_from_db()
    detail = reverse("activities:plan_detail", args=[plan.pk])
    return _plan_form_page(request, form, _("修改年度活动计划"), detail, plan)


@never_cache
@requires(Perm.VIEW_ACTIVITIES)
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    plan = get_in_reach_or_404(actor, ActivityPlan.objects.select_related("station"), pk=pk)
    editable = can_edit(actor, plan)
    return render(
        request,
        "activities/plan_detail.html",
        {
            "title": str(plan),
            "plan": plan,
            "progress": plans.plan_months(plan),
            "editable": editable,
            "item_form": PlanItemForm(actor=actor) if editable else None,
        },
    )


@requires(Perm.MANAGE_ACTIVITIES)
def plan_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    """添加计划活动: GET shows the form, POST adds the item to the plan."""
    actor = _actor(request)
    plan = _editable(request, ActivityPlan.objects.select_related("station"), pk)
    form = PlanItemForm(request.POST or None, actor=actor, instance=PlanItem(plan=plan))
    if request.method == "POST" and form.is_valid():
        item = _save_form(
            request,
            form,
            lambda: plans.save_plan_item(actor=actor, item=form.instance),
            _("计划活动已添加。"),
        )
        if item is not None:
            return HttpResponseRedirect(reverse("activities:plan_detail", args=[plan.pk]))
    detail = reverse("activities:plan_detail", args=[plan.pk])
    return _plan_form_page(request, form, _("添加计划活动"), detail, plan)


@requires(Perm.MANAGE_ACTIVITIES)
def plan_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    item = _editable(request, PlanItem.objects.select_related("plan__station"), pk)
    before = plans.snapshot(item, plans.ITEM_FIELDS)
    form = PlanItemForm(request.POST or None, instance=item, actor=actor)
    if request.method == "POST" and form.is_valid():
        saved = _save_form(
            request,
            form,
            lambda: plans.save_plan_item(actor=actor, item=form.instance, before=before),
            _("已保存。"),
        )
        if saved is not None:
            return HttpResponseRedirect(reverse("activities:plan_detail", args=[item.plan_id]))
    detail = reverse("activities:plan_detail", args=[item.plan_id])
    return _plan_form_page(request, form, _("修改计划活动"), detail, item.plan)


@require_POST
@requires(Perm.MANAGE_ACTIVITIES)
def plan_item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    item = _editable(request, PlanItem.objects.select_related("plan__station"), pk)
    plan_id = item.plan_id
    try:
        plans.delete_plan_item(actor=actor, item=item)
        messages.success(request, _("计划活动已删除。"))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return HttpResponseRedirect(reverse("activities:plan_detail", args=[plan_id]))
