"""Staff pages of the region tree (ORG-1): browse, detail, create, edit, import."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.accounts.permissions import (
    Perm,
    can_edit,
    can_edit_model,
    get_in_reach_or_404,
    scope,
)
from lianxin.common.errors import NotAllowed
from lianxin.common.staff_views import Column, ScopedDetailView, ScopedListView
from lianxin.common.views import requires
from lianxin.regions import services
from lianxin.regions.forms import RegionCreateForm, RegionEditForm, RegionImportForm
from lianxin.regions.models import Region


def _ancestors(actor: Any, region: Region) -> list[tuple[Region, bool]]:
    """(ancestor, in reach) from the root down: one query for the names, one for reach."""
    ids = region.ancestor_ids()
    found = {r.pk: r for r in Region.objects.filter(pk__in=ids)}
    reachable = set(scope(actor, Region.objects.filter(pk__in=ids)).values_list("pk", flat=True))
    return [(found[i], i in reachable) for i in ids if i in found]


class RegionListView(ScopedListView):
    """The tree, one level at a time (``?parent=``), or a search over everything in reach."""

    permission = Perm.VIEW_REGIONS
    model = Region
    template_name = "regions/list.html"
    paginate_by = 50
    search_fields = ["name", "code"]
    columns = [
        Column("name", gettext_lazy("名称"), sort="name"),
        Column("code", gettext_lazy("区划代码"), sort="code"),
        Column("get_level_display", gettext_lazy("级别"), sort="level"),
        Column("kind", gettext_lazy("类型")),
    ]
    detail_url_name = "regions:detail"
    default_ordering = ["code"]

    def get_queryset(self) -> QuerySet[Any]:
        qs = super().get_queryset()
        self.parent: Region | None = None
        raw = self.request.GET.get("parent", "")
        if self.request.GET.get("q", "").strip():
            return qs  # a search covers the whole reach
        if raw:
            self.parent = get_in_reach_or_404(self.actor, Region, pk=raw)
            return qs.filter(parent=self.parent)
        # The top of the actor's reach: its shallowest regions.
        top = qs.order_by("depth").values_list("depth", flat=True).first()
        return qs.filter(depth=top) if top is not None else qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        parent = self.parent
        ctx.update(
            title=_("行政区划"),
            parent=parent,
            ancestors=_ancestors(self.actor, parent) if parent else [],
            can_add_child=bool(
                parent
                and parent.level in (Region.Level.COUNTY, Region.Level.TOWNSHIP)
                and can_edit_model(self.actor, Region)
            ),
            can_import=can_edit_model(self.actor, Region),
        )
        return ctx


class RegionDetailView(ScopedDetailView):
    permission = Perm.VIEW_REGIONS
    model = Region
    template_name = "regions/detail.html"
    fields = ["name", "code", "code_is_local", "level", "kind"]
    list_url_name = "regions:list"
    edit_url_name = "regions:edit"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        region: Region = ctx["object"]
        ctx["fields"] = [
            (label, (_("是") if value is True else _("否") if value is False else value))
            for label, value in ctx["fields"]
        ]
        editable = region.level in services.STAFF_LEVELS and can_edit(self.actor, region)
        ctx.update(
            ancestors=_ancestors(self.actor, region),
            can_edit=editable,
            child_count=region.children.count(),
            can_add_child=region.level in (Region.Level.COUNTY, Region.Level.TOWNSHIP)
            and can_edit_model(self.actor, Region),
        )
        return ctx


def _apply_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


@requires(Perm.EDIT_REGIONS)
def region_create(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    initial: dict[str, Any] = {}
    raw_parent = request.GET.get("parent", "")
    if raw_parent.isdigit():
        parent = get_in_reach_or_404(actor, Region, pk=raw_parent)
        initial = {"parent": parent.pk, "level": min(parent.level + 1, Region.Level.VILLAGE)}
    form = RegionCreateForm(request.POST or None, initial=initial, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            region = services.region_create(
                actor=actor,
                parent=data["parent"],
                name=data["name"],
                level=data["level"],
                code=data["code"],
                kind=data["kind"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except NotAllowed as exc:
            raise Http404 from exc
        else:
            messages.success(request, _("已新增区划：%(name)s") % {"name": region.name})
            return redirect("regions:detail", pk=region.pk)
    crumbs = {"list_url": reverse("regions:list"), "list_label": _("行政区划")}
    return render(
        request,
        "staff/form.html",
        {"form": form, "title": _("新增行政区划"), **crumbs, "cancel_url": crumbs["list_url"]},
    )


@requires(Perm.EDIT_REGIONS)
def region_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    region = get_in_reach_or_404(actor, Region, pk=pk)
    if region.level not in services.STAFF_LEVELS or not can_edit(actor, region):
        raise Http404
    form = RegionEditForm(
        request.POST or None,
        initial={"name": region.name, "kind": region.kind, "code": region.code},
        actor=actor,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.region_update(
                actor=actor, region=region, name=data["name"], kind=data["kind"], code=data["code"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("regions:detail", pk=region.pk)
    title = _("编辑行政区划：%(name)s") % {"name": region.name}
    detail_url = reverse("regions:detail", args=[region.pk])
    return render(
        request,
        "staff/form.html",
        {
            "form": form,
            "title": title,
            "object": region,
            "list_url": reverse("regions:list"),
            "list_label": _("行政区划"),
            "detail_url": detail_url,
            "cancel_url": detail_url,
        },
    )


@requires(Perm.EDIT_REGIONS)
def region_import(request: HttpRequest) -> HttpResponse:
    """Dry run lists every bad row and writes nothing; a real import is all or nothing."""
    actor = request.actor  # type: ignore[attr-defined]
    form = RegionImportForm(request.POST or None, request.FILES or None, actor=actor)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["sheet"]
        try:
            rows = services.read_sheet(upload, upload.name)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            result = services.regions_import(
                actor=actor, rows=rows, dry_run=form.cleaned_data["dry_run"]
            )
            if result.ok and not result.dry_run:
                messages.success(request, _("已导入%(n)s条区划。") % {"n": len(result.created)})
                return redirect("regions:list")
    return render(
        request,
        "regions/import.html",
        {"form": form, "result": result, "columns": services.SHEET_COLUMNS},
    )
