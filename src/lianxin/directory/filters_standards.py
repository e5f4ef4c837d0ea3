"""List filters of station standards and inspections (ORG-6), shared by pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lianxin.common.filters import ActorFilterSet
from lianxin.directory.models import Checklist, ChecklistItem, Inspection, Station


class ChecklistFilter(ActorFilterSet):
    class Meta:
        model = Checklist
        fields = ["is_active"]


class ChecklistItemFilter(ActorFilterSet):
    checklist = django_filters.ModelChoiceFilter(
        queryset=Checklist.objects.all(), label=_("阵地建设标准")
    )

    class Meta:
        model = ChecklistItem
        fields = ["checklist"]


class InspectionFilter(ActorFilterSet):
    station = django_filters.ModelChoiceFilter(queryset=Station.objects.all(), label=_("联络站"))
    checklist = django_filters.ModelChoiceFilter(
        queryset=Checklist.objects.all(), label=_("阵地建设标准")
    )
    passed = django_filters.ChoiceFilter(
        label=_("结论"), choices=[("1", _("达标")), ("0", _("未达标"))], method="filter_passed"
    )
    year = django_filters.NumberFilter(label=_("年度"), method="filter_year")

    class Meta:
        model = Inspection
        fields = ["station", "checklist", "passed", "year"]

    def filter_year(
        self, queryset: QuerySet[Inspection], name: str, value: int | None
    ) -> QuerySet[Inspection]:
        return queryset.filter(inspected_on__year=value) if value else queryset

    def filter_passed(
        self, queryset: QuerySet[Inspection], name: str, value: str
    ) -> QuerySet[Inspection]:
        return queryset.filter(passed=value == "1") if value in ("0", "1") else queryset
