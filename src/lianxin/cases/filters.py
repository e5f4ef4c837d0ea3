"""Filters of the office's triage and dispatch queue (CASE-2, CASE-4, CASE-11)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.cases.models import TERMINAL_STATUSES, Case, Category
from lianxin.common.filters import ActorFilterSet
from lianxin.directory.models import Station


class CaseFilter(ActorFilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Case.Status.choices)
    scope = django_filters.ChoiceFilter(label=_("分级"), choices=Case.Scope.choices)
    category = django_filters.ModelChoiceFilter(
        label=_("类别"), queryset=Category.objects.filter(is_active=True)
    )
    station = django_filters.ModelChoiceFilter(
        label=_("联络站"), queryset=Station.objects.filter(is_active=True)
    )
    priority = django_filters.ChoiceFilter(label=_("紧急程度"), choices=Case.Priority.choices)
    overdue = django_filters.BooleanFilter(
        label=_("已超期"),
        method="filter_overdue",
        widget=forms.Select(
            choices=[("", _("全部")), ("true", _("已超期")), ("false", _("未超期"))]
        ),
    )
    received_from = django_filters.DateFilter(
        label=_("受理日期起"),
        field_name="received_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    received_to = django_filters.DateFilter(
        label=_("受理日期止"),
        field_name="received_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """The 联络站 choices go down to two region levels below the office's own (a province
        office: the stations of its cities and counties; a county office: all of its own), as
        the persons list's 所在地区 does: a select of a province's 13,000 stations took about
        two seconds to render on every load of its queue (issue 7)."""
        super().__init__(*args, **kwargs)
        assignment = self.actor.assignment if self.actor is not None else None
        region = assignment.region if assignment is not None else None
        if region is not None:
            field = self.form.fields["station"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = field.queryset.filter(  # type: ignore[union-attr]
                region__level__lte=region.level + 2
            )

    def filter_overdue(self, queryset: QuerySet[Case], name: str, value: Any) -> QuerySet[Case]:
        if value is None:
            return queryset
        late = queryset.filter(due_at__lt=timezone.now()).exclude(status__in=TERMINAL_STATUSES)
        return late if value else queryset.exclude(pk__in=late.values("pk"))
