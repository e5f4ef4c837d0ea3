"""/api/v1/ for the organisation records (API-1; ORG-8, ORG-9, ORG-10, ORG-12): the same reach
and rules as the staff pages. Writes go through ``save_instance``, which also runs the actor
rules (ORG-9: a deputy placed in a grid of another township answers 400, in Chinese). Ending a
membership is writing its ``ends_on``; nothing is deleted. The expert's phone stays on the
person record and is never part of these answers (SEC-2)."""

from __future__ import annotations

from typing import Any

from lianxin.common.api_base import ScopedSerializer, ScopedViewSet
from lianxin.directory import filters_org
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


def _serializer(model: type, field_names: list[str]) -> type[ScopedSerializer]:
    meta = type("Meta", (), {"model": model, "fields": ["id", *field_names]})
    return type(f"{model.__name__}Serializer", (ScopedSerializer,), {"Meta": meta})


def _viewset(
    model: Any,
    serializer: type,
    filterset: type,
    search: list[str],
    ordering: list[str],
    select: list[str],
) -> type[ScopedViewSet]:
    return type(
        f"{model.__name__}ViewSet",
        (ScopedViewSet,),
        {
            "queryset": model._default_manager.select_related(*select),
            "serializer_class": serializer,
            "filterset_class": filterset,
            "search_fields": search,
            "ordering_fields": ordering,
            "ordering": [ordering[0], "id"],
            "__doc__": f"{model._meta.verbose_name} ({model.__name__}), within the caller's reach.",
        },
    )


DeputyGroupSerializer = _serializer(
    DeputyGroup,
    [
        "name",
        "kind",
        "region",
        "congress",
        "mixed_levels",
        "field",
        "station",
        "description",
        "is_active",
    ],
)
GroupMembershipSerializer = _serializer(
    GroupMembership, ["group", "person", "position", "starts_on", "ends_on"]
)
GridSerializer = _serializer(
    Grid, ["name", "region", "station", "boundary", "households", "is_active"]
)
GridMemberSerializer = _serializer(GridMember, ["grid", "person", "role", "starts_on", "ends_on"])
CommitteeLinkSerializer = _serializer(
    CommitteeLink, ["congress", "member", "deputy", "starts_on", "ends_on"]
)
ExpertSerializer = _serializer(
    Expert,
    ["person", "region", "field", "organisation", "qualification", "expertise", "is_active"],
)
ExpertAssignmentSerializer = _serializer(
    ExpertAssignment, ["expert", "station", "starts_on", "ends_on"]
)
ExpertContributionSerializer = _serializer(
    ExpertContribution, ["expert", "station", "kind", "happened_on", "summary", "people_served"]
)

DeputyGroupViewSet = _viewset(
    DeputyGroup,
    DeputyGroupSerializer,
    filters_org.DeputyGroupFilter,
    ["name", "field"],
    ["name", "kind"],
    ["region", "congress"],
)
GroupMembershipViewSet = _viewset(
    GroupMembership,
    GroupMembershipSerializer,
    filters_org.GroupMembershipFilter,
    ["person__name"],
    ["starts_on", "position"],
    ["person", "group"],
)
GridViewSet = _viewset(
    Grid, GridSerializer, filters_org.GridFilter, ["name", "boundary"], ["name"], ["region"]
)
GridMemberViewSet = _viewset(
    GridMember,
    GridMemberSerializer,
    filters_org.GridMemberFilter,
    ["person__name"],
    ["starts_on", "role"],
    ["person", "grid"],
)
CommitteeLinkViewSet = _viewset(
    CommitteeLink,
    CommitteeLinkSerializer,
    filters_org.CommitteeLinkFilter,
    ["member__name", "deputy__name"],
    ["starts_on"],
    ["member", "deputy"],
)
ExpertViewSet = _viewset(
    Expert,
    ExpertSerializer,
    filters_org.ExpertFilter,
    ["person__name", "organisation", "expertise"],
    ["field", "organisation"],
    ["person", "region"],
)
ExpertAssignmentViewSet = _viewset(
    ExpertAssignment,
    ExpertAssignmentSerializer,
    filters_org.ExpertAssignmentFilter,
    ["expert__person__name", "station__name"],
    ["starts_on"],
    ["expert", "station"],
)
ExpertContributionViewSet = _viewset(
    ExpertContribution,
    ExpertContributionSerializer,
    filters_org.ExpertContributionFilter,
    ["summary", "expert__person__name"],
    ["happened_on", "kind"],
    ["expert", "station"],
)

ROUTES = [
    ("deputy-groups", DeputyGroupViewSet, "deputygroup"),
    ("group-memberships", GroupMembershipViewSet, "groupmembership"),
    ("grids", GridViewSet, "grid"),
    ("grid-members", GridMemberViewSet, "gridmember"),
    ("committee-links", CommitteeLinkViewSet, "committeelink"),
    ("experts", ExpertViewSet, "expert"),
    ("expert-assignments", ExpertAssignmentViewSet, "expertassignment"),
    ("expert-contributions", ExpertContributionViewSet, "expertcontribution"),
]
