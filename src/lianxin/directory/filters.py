"""List filters of the directory, shared by staff pages and the API (django-filter)."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lianxin.common.filters import ActorFilterSet
from lianxin.directory.models import (
    Body,
    BodyMembership,
    Congress,
    Delegation,
    HandlingUnit,
    Mandate,
    Person,
    Session,
    Station,
    StationMembership,
    StationStaff,
    Term,
    UnitContact,
    WorkPlan,
)
from lianxin.regions.models import Region


def _terms() -> QuerySet[Term]:
    return Term.objects.select_related("congress")  # their labels name the congress


def _bodies() -> QuerySet[Body]:
    return Body.objects.select_related("congress")


class CongressFilter(ActorFilterSet):
    class Meta:
        model = Congress
        fields = ["level"]


class TermFilter(ActorFilterSet):
    class Meta:
        model = Term
        fields = ["congress", "is_current"]


class SessionFilter(ActorFilterSet):
    term = django_filters.ModelChoiceFilter(queryset=_terms(), label=_("届次"))

    class Meta:
        model = Session
        fields = ["term"]


class BodyFilter(ActorFilterSet):
    term = django_filters.ModelChoiceFilter(queryset=_terms(), label=_("届次"))

    class Meta:
        model = Body
        fields = ["congress", "kind", "term"]


class BodyMembershipFilter(ActorFilterSet):
    body = django_filters.ModelChoiceFilter(queryset=_bodies(), label=_("机构"))

    class Meta:
        model = BodyMembership
        fields = ["body", "person"]


class WorkPlanFilter(ActorFilterSet):
    class Meta:
        model = WorkPlan
        fields = ["congress", "year", "status"]


class DelegationFilter(ActorFilterSet):
    term = django_filters.ModelChoiceFilter(queryset=_terms(), label=_("届次"))

    class Meta:
        model = Delegation
        fields = ["term"]


def _serving(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": Mandate.Status.SERVING})


class PersonFilter(ActorFilterSet):
    """Status (serving / ended), the level of the congress, deputy or 议政代表 (ORG-3)."""

    STATUS_CHOICES = [("serving", _("在任")), ("ended", _("已终止"))]
    KIND_CHOICES = Mandate.Kind.choices

    status = django_filters.ChoiceFilter(
        label=_("任职状态"), choices=STATUS_CHOICES, method="filter_status"
    )
    level = django_filters.ChoiceFilter(
        label=_("人大级别"), choices=Congress.Level.choices, method="filter_level"
    )
    kind = django_filters.ChoiceFilter(label=_("身份"), choices=KIND_CHOICES, method="filter_kind")
    region = django_filters.ModelChoiceFilter(
        label=_("所在地区"),
        queryset=Region.objects.filter(level__gte=Region.Level.COUNTY),
        method="filter_region",
    )

    class Meta:
        model = Person
        fields = ["status", "level", "kind", "region"]

    def _mandates(self) -> QuerySet[Mandate]:
        return Mandate.objects.filter(person=OuterRef("pk"))

    def filter_status(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        serving = Exists(self._mandates().filter(_serving()))
        if value == "serving":
            return queryset.filter(serving)
        return queryset.filter(Exists(self._mandates()), ~serving)

    def filter_level(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return queryset.filter(Exists(self._mandates().filter(term__congress__level=value)))

    def filter_kind(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return queryset.filter(Exists(self._mandates().filter(kind=value)))

    def filter_region(
        self, queryset: QuerySet[Person], name: str, value: Region
    ) -> QuerySet[Person]:
        return queryset.filter(region__path__startswith=value.path)


class MandateFilter(ActorFilterSet):
    term = django_filters.ModelChoiceFilter(queryset=_terms(), label=_("届次"))
    level = django_filters.ChoiceFilter(
        label=_("人大级别"), choices=Congress.Level.choices, field_name="term__congress__level"
    )

    class Meta:
        model = Mandate
        fields = ["person", "term", "kind", "status", "level", "delegation"]


class StationFilter(ActorFilterSet):
    """Every ORG-4 type; the stations under one station (``under``: one prefix query)."""

    under = django_filters.ModelChoiceFilter(
        label=_("上级站点（含所有下级）"), queryset=Station.objects.all(), method="filter_under"
    )

    class Meta:
        model = Station
        fields = ["kind", "is_active", "parent", "under", "congress"]

    def filter_under(
        self, queryset: QuerySet[Station], name: str, value: Station
    ) -> QuerySet[Station]:
        return queryset.filter(path__startswith=value.path)


class StationStaffFilter(ActorFilterSet):
    class Meta:
        model = StationStaff
        fields = ["station", "role", "side", "person"]


class StationMembershipFilter(ActorFilterSet):
    class Meta:
        model = StationMembership
        fields = ["station", "kind", "person"]


class HandlingUnitFilter(ActorFilterSet):
    class Meta:
        model = HandlingUnit
        fields = ["kind", "is_active", "parent"]


class UnitContactFilter(ActorFilterSet):
    class Meta:
        model = UnitContact
        fields = ["unit", "person", "is_primary"]
