"""List filters of the organisation records (ORG-8, ORG-9, ORG-10, ORG-12), shared by the
staff pages and the API; every related choice is narrowed to reach (ActorFilterSet)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lianxin.common.filters import ActorFilterSet
from lianxin.directory.models import (
    CommitteeLink,
    DeputyGroup,
    Expert,
    ExpertAssignment,
    ExpertContribution,
    Grid,
    GridMember,
    GroupMembership,
)
from lianxin.regions.models import Region


class _RegionTreeFilter(django_filters.ModelChoiceFilter):
    """A region and everything under it (one prefix query, ORG-1)."""

    def __init__(self, field: str = "region", **kwargs: object) -> None:
        self.path_field = f"{field}__path__startswith"
        kwargs.setdefault("label", _("区域（含下级）"))
        super().__init__(queryset=Region.objects.all(), **kwargs)  # type: ignore[arg-type]

    def filter(self, qs: QuerySet, value: Region | None) -> QuerySet:  # type: ignore[type-arg, override]
        if not value:
            return qs
        return qs.filter(**{self.path_field: value.path})


class DeputyGroupFilter(ActorFilterSet):
    """块/条/链, region, congress, mixed, active (ORG-8)."""

    region = _RegionTreeFilter()

    class Meta:
        model = DeputyGroup
        fields = ["kind", "region", "congress", "mixed_levels", "is_active", "station"]


class GroupMembershipFilter(ActorFilterSet):
    class Meta:
        model = GroupMembership
        fields = ["group", "person", "position"]


class GridFilter(ActorFilterSet):
    region = _RegionTreeFilter()

    class Meta:
        model = Grid
        fields = ["region", "station", "is_active"]


class GridMemberFilter(ActorFilterSet):
    class Meta:
        model = GridMember
        fields = ["grid", "person", "role"]


class CommitteeLinkFilter(ActorFilterSet):
    open = django_filters.BooleanFilter(
        label=_("正在联系"), field_name="ends_on", lookup_expr="isnull"
    )

    class Meta:
        model = CommitteeLink
        fields = ["congress", "member", "deputy", "open"]


class ExpertFilter(ActorFilterSet):
    """By field, region, in the pool or not (ORG-12)."""

    region = _RegionTreeFilter()

    class Meta:
        model = Expert
        fields = ["field", "region", "is_active"]


def _experts() -> QuerySet[Expert]:
    return Expert.objects.select_related("person")  # their labels name the person


class ExpertAssignmentFilter(ActorFilterSet):
    expert = django_filters.ModelChoiceFilter(queryset=_experts(), label=_("专家"))

    class Meta:
        model = ExpertAssignment
        fields = ["expert", "station"]


class ExpertContributionFilter(ActorFilterSet):
    expert = django_filters.ModelChoiceFilter(queryset=_experts(), label=_("专家"))

    class Meta:
        model = ExpertContribution
        fields = ["expert", "station", "kind"]
