"""Generic staff pages: list (search, filters, sorting, paging), detail, create/edit.

Every app's staff pages are thin subclasses of these (STYLE 5). Reach comes from the
permission module: lists show ``scope(actor, ...)``; detail and edit look the object up with
``get_in_reach_or_404``; saving goes through ``lianxin.common.services.save_record``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import generic

from lianxin.accounts.permissions import (
    Perm,
    can_edit,
    can_edit_model,
    get_in_reach_or_404,
    scope,
)
from lianxin.common.paging import CappedPaginator
from lianxin.common.services import save_record
from lianxin.common.views import ActorRequiredMixin

# Extra buttons beside 新增 on a list page (e.g. 导入 / 导出Excel, ORG-14), registered by
# the module serving them under the list's URL name: (actor) -> [(label, url)].
ListActions = Callable[[Any], list[tuple[str, str]]]
LIST_ACTIONS: dict[str, ListActions] = {}


class Column:
    """One column of a list table: an attribute path, a header, and an optional sort key."""

    def __init__(self, attr: str, label: Any, sort: str | None = None, link: bool = False) -> None:
        self.attr, self.label, self.sort, self.link = attr, label, sort, link

    def value(self, obj: Any) -> Any:
        value = obj
        for part in self.attr.split("."):
            value = getattr(value, part, None)
            if callable(value):
                value = value()
            if value is None:
                return ""
        return value


class ScopedListView(ActorRequiredMixin, generic.ListView):  # type: ignore[type-arg]
    """``model``, ``columns``, ``search_fields``, ``filterset_class`` (django-filter)."""

    permission = Perm.VIEW_DIRECTORY
    model: type[models.Model]
    paginate_by = 25
    # Totals stop at 10,000 rows ("超过 10,000 条"): counting a province costs seconds (issue 7).
    paginator_class = CappedPaginator
    template_name = "staff/list.html"
    columns: list[Column] = []
    search_fields: list[str] = []
    filterset_class: Any = None
    title: Any = ""
    create_url_name: str | None = None
    detail_url_name: str | None = None
    default_ordering: list[str] | None = None
    select_related: list[str] = []

    def base_queryset(self) -> models.QuerySet[Any]:
        qs = self.model._default_manager.all()
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        return qs

    def get_queryset(self) -> models.QuerySet[Any]:
        qs = scope(self.actor, self.base_queryset())
        q = self.request.GET.get("q", "").strip()
        if q and self.search_fields:
            condition = models.Q()
            for name in self.search_fields:
                condition |= models.Q(**{f"{name}__icontains": q})
            qs = qs.filter(condition)
        self.filterset = None
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(
                self.request.GET or None, queryset=qs, actor=self.actor
            )
            if self.filterset.is_bound and self.filterset.is_valid():
                qs = self.filterset.qs
        sort = self.request.GET.get("sort", "")
        allowed = {c.sort for c in self.columns if c.sort}
        if sort.lstrip("-") in allowed:
            qs = qs.order_by(sort, "pk")
        elif self.default_ordering:
            qs = qs.order_by(*self.default_ordering)
        return qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        ctx.update(
            title=self.title or self.model._meta.verbose_name_plural,
            columns=self.columns,
            rows=[
                (obj, [table_cell(c.value(obj)) for c in self.columns], self.detail_url(obj))
                for obj in ctx["object_list"]
            ],
            # The same rows with each cell's header, for the phone's card layout.
            labelled_rows=[],
            q=self.request.GET.get("q", ""),
            sort=self.request.GET.get("sort", ""),
            filterset=self.filterset,
            querystring=params.urlencode(),
            # Sorting keeps the search and every filter; only the sort key changes.
            sort_base=_without(params, "sort"),
            searchable=bool(self.search_fields),
            can_create=bool(self.create_url_name) and can_edit_model(self.actor, self.model),
            create_url=reverse(self.create_url_name) if self.create_url_name else "",
            list_actions=self.list_actions(),
        )
        ctx["labelled_rows"] = [
            (url, list(zip([c.label for c in self.columns], values, strict=True)))
            for _obj, values, url in ctx["rows"]
        ]
        return ctx

    def list_actions(self) -> list[tuple[str, str]]:
        match = self.request.resolver_match
        actions = LIST_ACTIONS.get(match.view_name if match else "")
        return actions(self.actor) if actions else []

    def detail_url(self, obj: Any) -> str:
        return reverse(self.detail_url_name, args=[obj.pk]) if self.detail_url_name else ""


def _without(params: Any, key: str) -> str:
    copy = params.copy()
    copy.pop(key, None)
    encoded = copy.urlencode()
    return f"{encoded}&" if encoded else ""


class ScopedDetailView(ActorRequiredMixin, generic.DetailView):  # type: ignore[type-arg]
    permission = Perm.VIEW_DIRECTORY
    template_name = "staff/detail.html"
    fields: list[str] = []
    edit_url_name: str | None = None
    list_url_name: str | None = None

    def get_object(self, queryset: Any = None) -> Any:
        return get_in_reach_or_404(self.actor, self.model, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        obj = ctx["object"]
        ctx["fields"] = [
            (obj._meta.get_field(name).verbose_name, _display(obj, name)) for name in self.fields
        ]
        ctx["can_edit"] = bool(self.edit_url_name) and can_edit(self.actor, obj)
        ctx["edit_url"] = reverse(self.edit_url_name, args=[obj.pk]) if self.edit_url_name else ""
        ctx["list_url"] = reverse(self.list_url_name) if self.list_url_name else ""
        ctx["list_label"] = obj._meta.verbose_name_plural
        ctx["title"] = str(obj)
        return ctx


def _display(obj: Any, name: str) -> Any:
    getter = getattr(obj, f"get_{name}_display", None)
    if getter is not None:
        return getter()
    value = getattr(obj, name)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    return "" if value is None else value


def table_cell(value: Any) -> Any:
    """A value as a table shows it (UI.md): dates as 2026-11-22, Beijing time, 是/否."""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


class ScopedFormView(ActorRequiredMixin, generic.FormView):  # type: ignore[type-arg]
    """Create (no ``pk``) or edit (``pk``) one record through ``save_record``.

    The form is a ModelForm that accepts ``actor=`` so its choices can be narrowed to the
    actor's reach. A failed save keeps what was typed and shows errors in Chinese.
    """

    permission = Perm.EDIT_DIRECTORY
    template_name = "staff/form.html"
    model: type[models.Model]
    form_class: type[forms.ModelForm]  # type: ignore[type-arg]
    success_url_name: str | None = None  # detail page; gets the object's pk
    list_url_name: str | None = None  # for the breadcrumb; guessed from success_url_name
    object: models.Model | None = None

    def get_object(self) -> models.Model | None:
        if "pk" not in self.kwargs:
            return None
        obj = get_in_reach_or_404(self.actor, self.model, pk=self.kwargs["pk"])
        if not can_edit(self.actor, obj):
            from django.http import Http404

            raise Http404
        return obj

    def get_form_kwargs(self) -> dict[str, Any]:
        self.object = self.get_object()
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        kwargs["actor"] = self.actor
        return kwargs

    def form_valid(self, form: forms.ModelForm) -> HttpResponse:  # type: ignore[type-arg]
        try:
            obj = save_record(actor=self.actor, form=form)
        except ValidationError as exc:
            for field, errors in (
                exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
            ):
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        return HttpResponseRedirect(self.success_url_for(obj))

    def success_url_for(self, obj: models.Model) -> str:
        if self.success_url_name:
            return reverse(self.success_url_name, args=[obj.pk])
        return "/"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        verbose = self.model._meta.verbose_name
        ctx["title"] = (_("编辑%(name)s") if self.object else _("新增%(name)s")) % {"name": verbose}
        ctx["object"] = self.object
        # The breadcrumb and the cancel link: back to the record, or to its list.
        ctx["list_url"] = self._list_url()
        ctx["list_label"] = self.model._meta.verbose_name_plural
        ctx["detail_url"] = (
            self.success_url_for(self.object)
            if self.object is not None and self.success_url_name
            else ""
        )
        ctx["cancel_url"] = ctx["detail_url"] or ctx["list_url"] or "/"
        return ctx

    def _list_url(self) -> str:
        name = self.list_url_name or (
            self.success_url_name.replace("_detail", "_list") if self.success_url_name else ""
        )
        try:
            return reverse(name) if name else ""
        except NoReverseMatch:
            return ""
