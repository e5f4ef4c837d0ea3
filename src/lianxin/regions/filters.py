"""Region filters shared by the list page and the API (ORG-1)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.permissions import scope
from lianxin.common.filters import ActorFilterSet
from lianxin.regions.models import Region


class RegionFilter(ActorFilterSet):
    parent = django_filters.NumberFilter(field_name="parent_id", label=_("上级区划编号"))
    level = django_filters.ChoiceFilter(choices=Region.Level.choices, label=_("级别"))
    subtree = django_filters.NumberFilter(
        method="filter_subtree", label=_("此区划及其所有下级（区划编号）")
    )
    code_is_local = django_filters.BooleanFilter(label=_("本地生成代码"))
    q = django_filters.CharFilter(method="filter_q", label=_("名称或代码"))

    class Meta:
        model = Region
        fields = ["parent", "level", "subtree", "code_is_local", "q"]

    def filter_subtree(self, queryset: QuerySet[Region], name: str, value: Any) -> QuerySet[Region]:
        """One indexed prefix query on the materialised path, whatever the depth."""
        base = Region.objects.filter(pk=value)
        if self.actor is not None:
            base = scope(self.actor, base)
        path = base.values_list("path", flat=True).first()
        return queryset.filter(path__startswith=path) if path else queryset.none()

    def filter_q(self, queryset: QuerySet[Region], name: str, value: str) -> QuerySet[Region]:
        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value))


def subtree(region: Region) -> QuerySet[Region]:
    """This region and everything under it: one prefix query (ORG-1)."""
    return Region.objects.filter(path__startswith=region.path)
