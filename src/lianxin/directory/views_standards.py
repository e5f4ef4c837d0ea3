"""Staff pages of station standards and inspections (ORG-6) and of handover (CASE-12).

Checklists are read up the region tree and edited only below it (edit reach in
``directory/reach.py``); inspections are the office's records of fact: recorded and corrected
through ``services.inspection_record``, never deleted; station staff read their own.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lianxin.accounts.permissions import (
    Actor,
    Perm,
    can_edit,
    can_edit_model,
    get_in_reach_or_404,
    in_reach,
    scope,
)
from lianxin.common.errors import Conflict, NotAllowed
from lianxin.common.staff_views import LIST_ACTIONS, Column, ScopedListView
from lianxin.common.views import requires
from lianxin.directory import handover, services
from lianxin.directory.filters_standards import ChecklistFilter, InspectionFilter
from lianxin.directory.forms_standards import (
    ChecklistForm,
    ChecklistItemForm,
    HandoverForm,
    InspectionForm,
    InspectionStartForm,
    ScoreRow,
    note_key,
)
from lianxin.directory.models import (
    Checklist,
    ChecklistItem,
    Inspection,
    InspectionScore,
    Person,
    Station,
)
from lianxin.directory.views import DirectoryDetailView, DirectoryFormView, Section

L = gettext_lazy


def _d(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if value else "—"


def verdict(inspection: Inspection) -> str:
    return _("达标") if inspection.passed else _("未达标")


def _kinds_label(checklist: Checklist) -> str:
    labels = dict(Station.Kind.choices)
    if not checklist.station_kinds:
        return _("所有类型")
    return _("、").join(str(labels.get(k, k)) for k in checklist.station_kinds)


# --- Checklists -------------------------------------------------------------------------------


class ChecklistList(ScopedListView):
    model = Checklist
    title = L("阵地建设标准")
    columns = [
        Column("name", L("名称"), sort="name"),
        Column("region.name", L("适用区域")),
        Column("pass_score", L("达标分数"), sort="pass_score"),
        Column("is_active", L("启用")),
    ]
    search_fields = ["name", "description"]
    filterset_class = ChecklistFilter
    select_related = ["region"]
    default_ordering = ["region__path", "name"]
    create_url_name = "directory:checklist_create"
    detail_url_name = "directory:checklist_detail"


def _checklist_actions(actor: Actor) -> list[tuple[str, str]]:
    if not can_edit_model(actor, Checklist):
        return []
    return [
        (_("从模板新建"), reverse("directory:checklist_templates")),
        (_("未检查的站点"), reverse("directory:inspection_missing")),
    ]


LIST_ACTIONS["directory:checklist_list"] = _checklist_actions


class ChecklistDetail(DirectoryDetailView):
    model = Checklist
    template_name = "directory/checklist_detail.html"
    fields = ["name", "region", "pass_score", "description", "is_active"]
    edit_url_name = "directory:checklist_edit"
    list_url_name = "directory:checklist_list"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        checklist: Checklist = ctx["object"]
        ctx["fields"].insert(2, (_("适用站点类型"), _kinds_label(checklist)))
        items = list(
            checklist.items.annotate(
                used=Exists(InspectionScore.objects.filter(item=OuterRef("pk")))
            )
        )
        ctx["items"] = items
        ctx["total"] = sum(i.max_score for i in items)
        if ctx["can_edit"]:
            next_order = max((i.order for i in items), default=0) + 1
            ctx["item_form"] = ChecklistItemForm(
                actor=self.actor, initial={"checklist": checklist.pk, "order": next_order}
            )
        return ctx

    def sections(self, obj: Checklist) -> list[Section]:
        recent = scope(
            self.actor, obj.inspections.select_related("station").order_by("-inspected_on", "-pk")
        )[:20]
        return [
            Section(
                title=L("最近的检查"),
                headers=[L("检查日期"), L("联络站"), L("得分"), L("结论")],
                rows=[
                    (
                        reverse("directory:inspection_detail", args=[i.pk]),
                        [
                            _d(i.inspected_on),
                            i.station.name,
                            f"{i.score}/{i.max_score}",
                            verdict(i),
                        ],
                    )
                    for i in recent
                ],
                empty=L("还没有按此标准进行的检查。"),
            )
        ]


class ChecklistFormView(DirectoryFormView):
    model = Checklist
    form_class = ChecklistForm
    prefill = ["region"]
    success_url_name = "directory:checklist_detail"

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        a = self.actor.assignment
        if "region" not in initial and a is not None and a.region_id:
            initial["region"] = a.region_id
        return initial


class ChecklistItemFormView(DirectoryFormView):
    model = ChecklistItem
    form_class = ChecklistItemForm
    prefill = ["checklist"]
    list_url_name = "directory:checklist_list"

    def success_url_for(self, obj: Any) -> str:
        return reverse("directory:checklist_detail", args=[obj.checklist_id])


@require_POST
@requires(Perm.EDIT_DIRECTORY)
def checklist_item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Deletes an item no inspection has used (ORG-6); a used one stays, with a message."""
    actor = request.actor  # type: ignore[attr-defined]
    item = get_in_reach_or_404(actor, ChecklistItem, pk=pk)
    try:
        services.checklist_item_delete(actor=actor, item=item)
    except NotAllowed as exc:
        raise Http404 from exc
    except Conflict as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("已删除项目“%(title)s”。") % {"title": item.title})
    return redirect("directory:checklist_detail", pk=item.checklist_id)


@requires(Perm.EDIT_DIRECTORY)
def checklist_templates(request: HttpRequest) -> HttpResponse:
    """从模板新建: the shipped checklists (七有, 八有), created for the office's region."""
    actor = request.actor  # type: ignore[attr-defined]
    if request.method == "POST":
        try:
            checklist = services.checklist_from_template(
                actor=actor, key=request.POST.get("template", "")
            )
        except NotAllowed:
            messages.error(request, _("只有人大机关工作人员可以为本区域新建标准。"))
        except Conflict as exc:
            messages.error(request, str(exc.message))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已新建“%(name)s”标准。") % {"name": checklist.name})
            return redirect("directory:checklist_detail", pk=checklist.pk)
    a = actor.assignment
    return render(
        request,
        "directory/checklist_templates.html",
        {
            "title": _("从模板新建阵地建设标准"),
            "templates": list(services.CHECKLIST_TEMPLATES.values()),
            "region": a.region if a is not None else None,
            "list_url": reverse("directory:checklist_list"),
            "list_label": _("阵地建设标准"),
        },
    )


# --- Inspections ------------------------------------------------------------------------------


class ScoreColumn(Column):
    def value(self, obj: Any) -> Any:
        return f"{obj.score}/{obj.max_score}"


class VerdictColumn(Column):
    def value(self, obj: Any) -> Any:
        return verdict(obj)


class InspectionList(ScopedListView):
    model = Inspection
    title = L("阵地检查")
    columns = [
        Column("inspected_on", L("检查日期"), sort="inspected_on"),
        Column("station.name", L("联络站"), sort="station__name"),
        Column("checklist.name", L("标准")),
        ScoreColumn("score", L("得分"), sort="score"),
        VerdictColumn("passed", L("结论"), sort="passed"),
        Column("inspectors", L("检查人员")),
    ]
    search_fields = ["station__name", "inspectors", "findings"]
    filterset_class = InspectionFilter
    select_related = ["station", "checklist"]
    default_ordering = ["-inspected_on", "-pk"]
    create_url_name = "directory:inspection_create"
    detail_url_name = "directory:inspection_detail"


def _inspection_actions(actor: Actor) -> list[tuple[str, str]]:
    if not can_edit_model(actor, Inspection):
        return []
    return [(_("本年度未检查的站点"), reverse("directory:inspection_missing"))]


LIST_ACTIONS["directory:inspection_list"] = _inspection_actions


class InspectionDetail(DirectoryDetailView):
    model = Inspection
    template_name = "directory/inspection_detail.html"
    fields = [
        "station",
        "checklist",
        "inspected_on",
        "inspectors",
        "findings",
        "rectification",
        "recorded_by",
    ]
    edit_url_name = "directory:inspection_edit"
    list_url_name = "directory:inspection_list"

    def get_object(self, queryset: Any = None) -> Any:
        return get_in_reach_or_404(
            self.actor,
            Inspection.objects.select_related("station", "checklist", "recorded_by"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        inspection: Inspection = ctx["object"]
        ctx["fields"].insert(
            3,
            (_("得分"), f"{inspection.score}/{inspection.max_score}（{verdict(inspection)}）"),
        )
        ctx["history_url"] = (
            reverse("directory:inspection_list") + f"?station={inspection.station_id}"
        )
        return ctx

    def sections(self, obj: Inspection) -> list[Section]:
        scores = obj.scores.select_related("item").order_by("item__order", "item__pk")
        return [
            Section(
                title=L("各项得分"),
                headers=[L("序号"), L("项目"), L("得分"), L("分值"), L("说明")],
                rows=[
                    ("", [s.item.order, s.item.title, s.score, s.max_score, s.note]) for s in scores
                ],
            )
        ]


def _rows_of_checklist(checklist: Checklist) -> list[ScoreRow]:
    return [
        ScoreRow(i.pk, i.order, i.title, i.requirement, i.max_score)
        for i in checklist.items.order_by("order", "pk")
    ]


def _scores_from(form: InspectionForm) -> list[services.ItemScore]:
    data = form.cleaned_data
    return [
        services.ItemScore(
            r.item_id, data.get(services.score_key(r.item_id)), data.get(note_key(r.item_id), "")
        )
        for r in form.rows
    ]


def _add_errors(form: Any, exc: ValidationError) -> None:
    for key, errors in (
        exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    ):
        for error in errors:
            form.add_error(key if key in form.fields else None, error)


def _scoring_page(
    request: HttpRequest, form: InspectionForm, title: str, **extra: Any
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "list_url": reverse("directory:inspection_list"),
        "list_label": _("阵地检查"),
        "cancel_url": extra.pop("cancel_url", reverse("directory:inspection_list")),
        **extra,
    }
    return render(request, "directory/inspection_form.html", context)


def _chosen(actor: Actor, source: Any) -> tuple[Station | None, Checklist | None]:
    """The station and checklist named by ``source`` (GET or POST) within reach."""
    station = checklist = None
    raw_station, raw_checklist = source.get("station", ""), source.get("checklist", "")
    if str(raw_station).isdigit():
        station = scope(actor, Station.objects.filter(pk=raw_station)).first()
    if str(raw_checklist).isdigit():
        checklist = scope(actor, Checklist.objects.filter(pk=raw_checklist, is_active=True)).first()
    return station, checklist


@requires(Perm.EDIT_DIRECTORY)
def inspection_create(request: HttpRequest) -> HttpResponse:
    """The scoring page for a new inspection (ORG-6): first the station and the checklist,
    then one row per item. Bad input keeps what was typed and saves nothing."""
    actor = request.actor  # type: ignore[attr-defined]
    if not can_edit_model(actor, Inspection):
        raise Http404
    source = request.POST if request.method == "POST" else request.GET
    station, checklist = _chosen(actor, source)
    if station is None or checklist is None or not checklist.applies_to(station):
        start = InspectionStartForm(
            actor=actor, initial={"station": station, "checklist": checklist}
        )
        problems = []
        if station is not None and checklist is not None:
            problems.append(_("该标准不适用于这个联络站。"))
        elif request.method == "POST":
            problems.append(_("请先选择联络站和适用的标准。"))
        return render(
            request,
            "directory/inspection_start.html",
            {
                "form": start,
                "problems": problems,
                "title": _("新增阵地检查"),
                "list_url": reverse("directory:inspection_list"),
                "list_label": _("阵地检查"),
                "cancel_url": reverse("directory:inspection_list"),
                "applicable": services.applicable_checklists(actor, station) if station else [],
                "station": station,
            },
        )
    rows = _rows_of_checklist(checklist)
    initial = {"station": station.pk, "checklist": checklist.pk}
    if request.method != "POST":
        return _scoring_page(
            request,
            InspectionForm(actor=actor, rows=rows, initial=initial),
            _("阵地检查：%(station)s") % {"station": station.name},
            checklist=checklist,
            station=station,
        )
    form = InspectionForm(request.POST, actor=actor, rows=rows, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.inspection_record(
                actor=actor,
                station=data["station"],
                checklist=data["checklist"],
                inspected_on=data["inspected_on"],
                inspectors=data["inspectors"],
                findings=data["findings"],
                rectification=data["rectification"],
                scores=_scores_from(form),
            )
        except NotAllowed as exc:
            raise Http404 from exc
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("已保存：得分 %(score)s/%(max)s，%(verdict)s。")
                % {
                    "score": inspection.score,
                    "max": inspection.max_score,
                    "verdict": verdict(inspection),
                },
            )
            return redirect("directory:inspection_detail", pk=inspection.pk)
    return _scoring_page(
        request,
        form,
        _("阵地检查：%(station)s") % {"station": station.name},
        checklist=checklist,
        station=station,
    )


@requires(Perm.EDIT_DIRECTORY)
def inspection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Corrects a recorded inspection (the office only); the total and verdict are computed
    again. Inspections are never deleted (ORG-6)."""
    actor = request.actor  # type: ignore[attr-defined]
    inspection = get_in_reach_or_404(
        actor, Inspection.objects.select_related("station", "checklist"), pk=pk
    )
    if not can_edit(actor, inspection):
        raise Http404
    scores = list(inspection.scores.select_related("item").order_by("item__order", "item__pk"))
    rows = [
        ScoreRow(s.item_id, s.item.order, s.item.title, s.item.requirement, s.max_score)
        for s in scores
    ]
    initial: dict[str, Any] = {
        "inspected_on": inspection.inspected_on,
        "inspectors": inspection.inspectors,
        "findings": inspection.findings,
        "rectification": inspection.rectification,
    }
    for s in scores:
        initial[services.score_key(s.item_id)] = s.score
        initial[note_key(s.item_id)] = s.note
    form = InspectionForm(
        request.POST or None, actor=actor, rows=rows, creating=False, initial=initial
    )
    detail_url = reverse("directory:inspection_detail", args=[inspection.pk])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.inspection_record(
                actor=actor,
                station=inspection.station,
                checklist=inspection.checklist,
                inspection=inspection,
                inspected_on=data["inspected_on"],
                inspectors=data["inspectors"],
                findings=data["findings"],
                rectification=data["rectification"],
                scores=_scores_from(form),
            )
        except NotAllowed as exc:
            raise Http404 from exc
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("已更正，得分和结论已重新计算。"))
            return redirect(detail_url)
    return _scoring_page(
        request,
        form,
        _("更正阵地检查：%(station)s") % {"station": inspection.station.name},
        checklist=inspection.checklist,
        station=inspection.station,
        object=inspection,
        detail_url=detail_url,
        cancel_url=detail_url,
    )


@requires(Perm.EDIT_DIRECTORY)
def inspection_missing(request: HttpRequest) -> HttpResponse:
    """Active stations within reach that no inspection scored in the year (this year unless
    ``?year=`` says otherwise), for the office to plan its rounds (ORG-6)."""
    actor = request.actor  # type: ignore[attr-defined]
    today = timezone.localdate()
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year + 1 else today.year
    inspected = Inspection.objects.filter(station=OuterRef("pk"), inspected_on__year=year)
    stations = (
        scope(actor, Station.objects.filter(is_active=True).select_related("region"))
        .filter(~Exists(inspected))
        .order_by("path")
    )
    rows = [
        (
            s,
            reverse("directory:station_detail", args=[s.pk]),
            reverse("directory:inspection_create") + f"?station={s.pk}",
        )
        for s in stations
    ]
    return render(
        request,
        "directory/inspection_missing.html",
        {
            "title": _("%(year)s年未检查的站点") % {"year": year},
            "rows": rows,
            "year": year,
            "years": list(range(today.year, today.year - 5, -1)),
            "list_url": reverse("directory:inspection_list"),
            "list_label": _("阵地检查"),
        },
    )


def station_inspection_section(actor: Actor, station: Station) -> Section:
    """阵地检查 on a station's page: the latest results, the verdict and a link to all."""
    latest = scope(
        actor,
        Inspection.objects.filter(station=station)
        .select_related("checklist")
        .order_by("-inspected_on", "-pk"),
    )[:3]
    add_url = ""
    if can_edit_model(actor, Inspection) and in_reach(actor, station):
        add_url = reverse("directory:inspection_create") + f"?station={station.pk}"
    return Section(
        title=L("阵地检查"),
        headers=[L("检查日期"), L("标准"), L("得分"), L("结论")],
        rows=[
            (
                reverse("directory:inspection_detail", args=[i.pk]),
                [_d(i.inspected_on), i.checklist.name, f"{i.score}/{i.max_score}", verdict(i)],
            )
            for i in latest
        ],
        add_url=add_url,
        more_url=reverse("directory:inspection_list") + f"?station={station.pk}",
        empty=L("尚未检查。"),
    )


# --- Handover (CASE-12) -----------------------------------------------------------------------


@requires(Perm.EDIT_DIRECTORY)
def person_handover(request: HttpRequest, pk: int) -> HttpResponse:
    """离任交接: what a person leaving his job is responsible for, each with where to hand it
    over, and 办理离任, which ends his staff posts on a date (CASE-12)."""
    actor = request.actor  # type: ignore[attr-defined]
    person = get_in_reach_or_404(actor, Person, pk=pk)
    if not can_edit(actor, person):
        raise Http404
    form = HandoverForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            ended = services.staff_leave(
                actor=actor, person=person, ended_on=form.cleaned_data["ended_on"]
            )
        except NotAllowed as exc:
            raise Http404 from exc
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if ended:
                messages.success(
                    request,
                    _("已办理离任：%(n)s个职务已结束，岗位已列入空缺岗位。") % {"n": ended},
                )
            else:
                messages.info(request, _("他没有需要结束的站点、网格或小组职务。"))
            return redirect("directory:person_handover", pk=person.pk)
    items = handover.responsibilities(actor, person)
    detail_url = reverse("directory:person_detail", args=[person.pk])
    return render(
        request,
        "directory/person_handover.html",
        {
            "title": _("离任交接：%(name)s") % {"name": person.name},
            "object": person,
            "form": form,
            "items": items,
            "ending": [i for i in items if i.ends_on_leave],
            "list_url": reverse("directory:person_list"),
            "list_label": _("代表与人员"),
            "detail_url": detail_url,
            "cancel_url": detail_url,
        },
    )


@requires(Perm.EDIT_DIRECTORY)
def vacancies(request: HttpRequest) -> HttpResponse:
    """空缺岗位: stations without a 站长, groups without a leader, grids without a head."""
    actor = request.actor  # type: ignore[attr-defined]
    return render(
        request,
        "directory/vacancies.html",
        {"title": _("空缺岗位"), "rows": handover.vacancies(actor)},
    )
