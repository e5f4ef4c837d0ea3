"""离任交接 (CASE-12): what a person leaving a job is responsible for, and the posts left vacant.

``responsibilities(actor, person)`` asks every registered source; the directory registers its
own here (station posts, group leaders, grid posts, standing committee links, expert
assignments, role assignments). Apps built later (cases, duty rosters) add theirs with
``@responsibility_source`` so the handover page lists their open work too, e.g.::

    @responsibility_source
    def open_cases(actor, person):
        return [Responsibility(kind=_("经办案件"), ...) for case in ...]
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import Actor, scope
from lianxin.directory.models import (
    CommitteeLink,
    DeputyGroup,
    ExpertAssignment,
    Grid,
    GridMember,
    GroupMembership,
    Person,
    Station,
    StationStaff,
)


@dataclass(frozen=True)
class Responsibility:
    """One open thing a person is responsible for, with where to hand it to someone else."""

    kind: str  # 站点职务, 网格, ...
    title: str  # what exactly: "甲镇代表联络站 · 站长"
    since: datetime.date | None
    reassign_url: str = ""  # the edit form of the record; empty when the actor cannot
    ends_on_leave: bool = False  # ended by 办理离任 (the post is then listed as vacant)
    note: str = ""


Source = Callable[[Actor, Person], list[Responsibility]]
_SOURCES: list[Source] = []


def responsibility_source(fn: Source) -> Source:
    """Registers a source of open responsibilities (idempotent)."""
    if fn not in _SOURCES:
        _SOURCES.append(fn)
    return fn


def responsibilities(actor: Actor, person: Person) -> list[Responsibility]:
    """Everything open ``person`` is responsible for, as far as ``actor`` reaches."""
    found: list[Responsibility] = []
    for source in _SOURCES:
        found.extend(source(actor, person))
    return found


def url_or_blank(names: tuple[str, ...], pk: int) -> str:
    """The first of ``names`` that exists (pages built by other modules may not yet)."""
    for name in names:
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            continue
    return ""


def _open(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": today})


# Posts that 办理离任 ends (CASE-12): staff posts, not what he holds as a deputy.
LEAVING_GRID_ROLES = (GridMember.Role.HEAD, GridMember.Role.MEMBER)
LEAVING_GROUP_POSITIONS = (GroupMembership.Position.LEADER, GroupMembership.Position.VICE_LEADER)


def station_posts(actor: Actor, person: Person) -> QuerySet[StationStaff]:
    return scope(
        actor,
        StationStaff.objects.filter(person=person, ends_on__isnull=True).select_related("station"),
    )


def grid_posts(actor: Actor, person: Person) -> QuerySet[GridMember]:
    return scope(
        actor,
        GridMember.objects.filter(
            person=person, role__in=LEAVING_GRID_ROLES, ends_on__isnull=True
        ).select_related("grid"),
    )


def group_posts(actor: Actor, person: Person) -> QuerySet[GroupMembership]:
    return scope(
        actor,
        GroupMembership.objects.filter(
            person=person, position__in=LEAVING_GROUP_POSITIONS, ends_on__isnull=True
        ).select_related("group"),
    )


@responsibility_source
def _station_staff(actor: Actor, person: Person) -> list[Responsibility]:
    return [
        Responsibility(
            kind=_("联络站职务"),
            title=f"{s.station.name} · {s.get_role_display()}",
            since=s.starts_on,
            reassign_url=url_or_blank(("directory:stationstaff_edit",), s.pk),
            ends_on_leave=True,
        )
        for s in station_posts(actor, person)
    ]


@responsibility_source
def _groups(actor: Actor, person: Person) -> list[Responsibility]:
    return [
        Responsibility(
            kind=_("代表小组职务"),
            title=f"{m.group.name} · {m.get_position_display()}",
            since=m.starts_on,
            reassign_url=url_or_blank(
                ("directory:groupmember_edit", "directory:groupmembership_edit"), m.pk
            ),
            ends_on_leave=True,
            note=_("仍为代表的，离任后保留组员身份。"),
        )
        for m in group_posts(actor, person)
    ]


@responsibility_source
def _grids(actor: Actor, person: Person) -> list[Responsibility]:
    return [
        Responsibility(
            kind=_("网格职务"),
            title=f"{g.grid.name} · {g.get_role_display()}",
            since=g.starts_on,
            reassign_url=url_or_blank(("directory:gridmember_edit",), g.pk),
            ends_on_leave=True,
        )
        for g in grid_posts(actor, person)
    ]


@responsibility_source
def _committee_links(actor: Actor, person: Person) -> list[Responsibility]:
    links = scope(
        actor,
        CommitteeLink.objects.filter(member=person, ends_on__isnull=True).select_related("deputy"),
    )
    return [
        Responsibility(
            kind=_("常委会组成人员联系代表"),
            title=_("联系代表 %(name)s") % {"name": link.deputy.name},
            since=link.starts_on,
            reassign_url=url_or_blank(
                ("directory:committeelink_edit", "directory:link_edit"), link.pk
            ),
        )
        for link in links
    ]


@responsibility_source
def _expert_assignments(actor: Actor, person: Person) -> list[Responsibility]:
    assignments = scope(
        actor,
        ExpertAssignment.objects.filter(expert__person=person, ends_on__isnull=True).select_related(
            "station", "expert"
        ),
    )
    return [
        Responsibility(
            kind=_("专家进站"),
            title=f"{a.station.name} · {a.expert.get_field_display()}",
            since=a.starts_on,
            reassign_url=url_or_blank(("directory:expertassignment_edit",), a.pk),
        )
        for a in assignments
    ]


@responsibility_source
def _accounts(actor: Actor, person: Person) -> list[Responsibility]:
    """His role assignments: granted and withdrawn by the security administrator (三员分立)."""
    if not person.account_id:
        return []
    from lianxin.accounts.models import RoleAssignment

    assignments = RoleAssignment.objects.filter(
        user_id=person.account_id, is_active=True
    ).select_related("region", "station", "unit")
    return [
        Responsibility(
            kind=_("账号角色"),
            title=str(a),
            since=None,
            note=_("由安全管理员收回或调整。"),
        )
        for a in assignments
    ]


# --- Vacant posts (空缺岗位) ---------------------------------------------------------------------


@dataclass(frozen=True)
class Vacancy:
    kind: str
    name: str
    url: str  # the record's page, where the post is filled


def vacancies(actor: Actor) -> list[Vacancy]:
    """Active stations without an open 站长 (of the congress side), active groups without a
    leader, active grids without a grid head — within the actor's reach (CASE-12)."""
    heads = StationStaff.objects.filter(
        _open(),
        station=OuterRef("pk"),
        role=StationStaff.Role.HEAD,
        side=StationStaff.Side.CONGRESS,
    )
    leaders = GroupMembership.objects.filter(
        _open(), group=OuterRef("pk"), position=GroupMembership.Position.LEADER
    )
    grid_heads = GridMember.objects.filter(_open(), grid=OuterRef("pk"), role=GridMember.Role.HEAD)
    found: list[Vacancy] = []
    stations = scope(actor, Station.objects.filter(is_active=True)).filter(~Exists(heads))
    found += [
        Vacancy(_("联络站缺站长"), s.name, reverse("directory:station_detail", args=[s.pk]))
        for s in stations.order_by("path")
    ]
    groups = scope(actor, DeputyGroup.objects.filter(is_active=True)).filter(~Exists(leaders))
    found += [
        Vacancy(_("代表小组缺组长"), g.name, url_or_blank(("directory:group_detail",), g.pk))
        for g in groups.order_by("region__path", "name")
    ]
    grids = scope(actor, Grid.objects.filter(is_active=True)).filter(~Exists(grid_heads))
    found += [
        Vacancy(_("网格缺网格长"), g.name, url_or_blank(("directory:grid_detail",), g.pk))
        for g in grids.order_by("region__path", "name")
    ]
    return found
