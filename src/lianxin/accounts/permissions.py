"""The one permission module (SEC-1): who may see and do what, by role and reach.

Pages, the API and the admin all ask here. Reach follows SPEC section 0:
- congress office staff and leadership: their region and every region below it;
- station staff: their station and the stations under it, and the deputies sitting there;
- handling-unit staff: their unit and its sub-units, nothing else;
- a deputy: his own record and his stations;
- the three administrators (三员分立): accounts and configuration / roles and policies /
  the audit trail — none can do the others' work.

Anything outside reach is treated as missing: views answer 404, never 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.http import Http404

from lianxin.accounts.models import Role, RoleAssignment

if TYPE_CHECKING:
    from lianxin.accounts.models import User

M = TypeVar("M", bound=models.Model)


class Perm(StrEnum):
    """Capabilities. A role holds a fixed set; reach narrows the records they apply to."""

    VIEW_DIRECTORY = "directory.view"
    EDIT_DIRECTORY = "directory.edit"  # congresses, persons, mandates, units (office)
    EDIT_STATION = "directory.edit_station"  # station records, staff and members
    VIEW_REGIONS = "regions.view"
    EDIT_REGIONS = "regions.edit"
    REVEAL_PERSONAL = "personal.reveal"  # see SEC-2 data in clear; every reveal audited
    MANAGE_ACCOUNTS = "accounts.manage"  # system administrator
    MANAGE_ROLES = "accounts.roles"  # security administrator
    MANAGE_CALENDAR = "config.calendar"  # holiday table (system configuration)
    VIEW_CALENDAR = "calendar.view"  # read the official calendar (every role; deadlines)
    READ_AUDIT = "audit.read"  # audit administrator
    WRITE_AUDIT = "audit.write"  # held by no role: the audit trail is append-only (SEC-4)
    VIEW_OWN_RECORD = "self.view"  # a deputy's own record
    USE_INBOX = "inbox.use"
    USE_ADMIN = "admin.use"  # the Django admin, scoped like every page
    USE_API_TOKEN = "api.token"  # noqa: S105 - a capability name, not a secret
    PRINT_CODES = "directory.print_codes"  # QR posters and cards within reach (ORG-13)
    VIEW_CASES = "cases.view"  # citizens' cases within reach (CASE)
    HANDLE_CASES = "cases.handle"  # act on them as the transition table allows (CASE-3)
    CONFIGURE_CASES = "cases.configure"  # categories, procedure, deadlines of a congress
    VIEW_ACTIVITIES = "activities.view"  # activities, training, voter work within reach (ACT, VOT)
    MANAGE_ACTIVITIES = "activities.manage"  # organise, sign in, approve, confirm, plans
    MANAGE_TRAINING = "activities.training"  # a congress's training plans (ACT-3): its office
    RECORD_OWN_WORK = "activities.own"  # a deputy's own voters, contacts, deeds, self-reports
    CALL_VOTERS = "activities.callback"  # the office's monthly callback sample (VOT-1)
    VIEW_DUTY = "duty.view"  # duty rosters, check-ins and absences within reach (DUTY)
    MANAGE_DUTY = "duty.manage"  # patterns, pools, leave, rosters, swaps, staff check-in
    MANAGE_ALLOWANCES = "duty.allowances"  # allowance rates, recipients, monthly statements


_STAFF_COMMON = {Perm.USE_INBOX, Perm.USE_API_TOKEN}

ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.OFFICE: frozenset(
        {
            Perm.VIEW_DIRECTORY,
            Perm.EDIT_DIRECTORY,
            Perm.EDIT_STATION,
            Perm.VIEW_REGIONS,
            Perm.EDIT_REGIONS,
            Perm.REVEAL_PERSONAL,
            Perm.USE_ADMIN,
            Perm.PRINT_CODES,
            *_STAFF_COMMON,
        }
    ),
    Role.LEADERSHIP: frozenset(
        {Perm.VIEW_DIRECTORY, Perm.VIEW_REGIONS, Perm.PRINT_CODES, *_STAFF_COMMON}
    ),
    Role.STATION: frozenset(
        {
            Perm.VIEW_DIRECTORY,
            Perm.EDIT_STATION,
            Perm.VIEW_REGIONS,
            Perm.PRINT_CODES,
            *_STAFF_COMMON,
        }
    ),
    Role.UNIT: frozenset({Perm.VIEW_DIRECTORY, *_STAFF_COMMON}),
    Role.DEPUTY: frozenset({Perm.VIEW_OWN_RECORD, Perm.VIEW_DIRECTORY, Perm.USE_INBOX}),
    Role.SYSTEM_ADMIN: frozenset(
        {
            Perm.MANAGE_ACCOUNTS,
            Perm.MANAGE_CALENDAR,
            Perm.VIEW_REGIONS,
            Perm.EDIT_REGIONS,
            Perm.USE_ADMIN,
            Perm.USE_INBOX,
        }
    ),
    Role.SECURITY_ADMIN: frozenset({Perm.MANAGE_ROLES, Perm.VIEW_REGIONS, Perm.USE_INBOX}),
    Role.AUDIT_ADMIN: frozenset({Perm.READ_AUDIT, Perm.USE_INBOX}),
}
# Every role may read the official calendar: deadlines are shown everywhere (CASE-4).
ROLE_PERMS = {role: perms | {Perm.VIEW_CALENDAR} for role, perms in ROLE_PERMS.items()}
# Citizens' cases (CASE): what each role may do is the transition table's rows for it; these
# capabilities open the pages and the API.
_CASE_PERMS: dict[str, set[Perm]] = {
    Role.OFFICE: {Perm.VIEW_CASES, Perm.HANDLE_CASES, Perm.CONFIGURE_CASES},
    Role.LEADERSHIP: {Perm.VIEW_CASES},
    Role.STATION: {Perm.VIEW_CASES, Perm.HANDLE_CASES},
    Role.UNIT: {Perm.VIEW_CASES, Perm.HANDLE_CASES},
    Role.DEPUTY: {Perm.VIEW_CASES, Perm.HANDLE_CASES},
}
ROLE_PERMS = {role: perms | _CASE_PERMS.get(role, set()) for role, perms in ROLE_PERMS.items()}
# Activities and voters (ACT, VOT, ORG-10, PERF-1): offices and stations organise and confirm;
# a deputy records his own work; the office calls voters back.
_ACTIVITY_PERMS: dict[str, set[Perm]] = {
    Role.OFFICE: {
        Perm.VIEW_ACTIVITIES,
        Perm.MANAGE_ACTIVITIES,
        Perm.MANAGE_TRAINING,
        Perm.CALL_VOTERS,
    },
    Role.LEADERSHIP: {Perm.VIEW_ACTIVITIES},
    Role.STATION: {Perm.VIEW_ACTIVITIES, Perm.MANAGE_ACTIVITIES},
    Role.DEPUTY: {Perm.VIEW_ACTIVITIES, Perm.RECORD_OWN_WORK},
}
ROLE_PERMS = {role: perms | _ACTIVITY_PERMS.get(role, set()) for role, perms in ROLE_PERMS.items()}
# Duty rosters (DUTY): stations and offices run them; a deputy sees his own shifts (and checks
# in, requests swaps through the services); a unit sees its heads' attendance; leadership reads.
_DUTY_PERMS: dict[str, set[Perm]] = {
    Role.OFFICE: {Perm.VIEW_DUTY, Perm.MANAGE_DUTY, Perm.MANAGE_ALLOWANCES},
    Role.LEADERSHIP: {Perm.VIEW_DUTY},
    Role.STATION: {Perm.VIEW_DUTY, Perm.MANAGE_DUTY},
    Role.UNIT: {Perm.VIEW_DUTY},
    Role.DEPUTY: {Perm.VIEW_DUTY},
}
ROLE_PERMS = {role: perms | _DUTY_PERMS.get(role, set()) for role, perms in ROLE_PERMS.items()}


@dataclass(frozen=True)
class Actor:
    """The account acting now, in one of its role assignments."""

    user: Any  # User or AnonymousUser
    assignment: RoleAssignment | None

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))

    @property
    def role(self) -> str | None:
        return self.assignment.role if self.assignment else None

    @property
    def person_id(self) -> int | None:
        person = getattr(self.user, "person", None) if self.is_authenticated else None
        return person.pk if person is not None else None

    def has(self, perm: Perm) -> bool:
        if not self.is_authenticated or self.assignment is None or not self.user.is_active:
            return False
        return perm in ROLE_PERMS.get(self.assignment.role, frozenset())

    def label(self) -> str:
        return str(self.assignment) if self.assignment else ""


ANONYMOUS = Actor(user=None, assignment=None)


def actor_for(user: User, assignment_id: int | None = None) -> Actor:
    """The actor for a user in the given (or his first active) assignment."""
    assignments = RoleAssignment.objects.filter(user=user, is_active=True).select_related(
        "region", "station", "unit"
    )
    chosen = None
    if assignment_id is not None:
        chosen = assignments.filter(pk=assignment_id).first()
    if chosen is None:
        chosen = assignments.order_by("pk").first()
    return Actor(user=user, assignment=chosen)


# --- Reach -------------------------------------------------------------------------------
# One function per model label: (actor) -> Q over that model, or None for "everything".
# A model without an entry is out of reach for everybody but what ``ALL_REACH`` grants.

ScopeFn = Callable[[Actor], Q | None]
_SCOPES: dict[str, ScopeFn] = {}
# Models whose editing reach is narrower than their reading reach (e.g. a township office reads
# the county's station checklist but edits only its own): (actor) -> Q, as for ``reach``.
_EDIT_SCOPES: dict[str, ScopeFn] = {}
NOTHING = Q(pk__in=[])


def reach(label: str) -> Callable[[ScopeFn], ScopeFn]:
    """Registers the reach of one model; apps register theirs in their ``reach.py``."""

    def register(fn: ScopeFn) -> ScopeFn:
        _SCOPES[label] = fn
        return fn

    return register


def edit_reach(label: str) -> Callable[[ScopeFn], ScopeFn]:
    """Registers a narrower reach for editing one model (within its reading reach)."""

    def register(fn: ScopeFn) -> ScopeFn:
        _EDIT_SCOPES[label] = fn
        return fn

    return register


def region_path(actor: Actor) -> str | None:
    """The materialised path of the region the actor's assignment covers."""
    a = actor.assignment
    if a is None:
        return None
    if a.role in (Role.OFFICE, Role.LEADERSHIP) and a.region_id:
        return a.region.path  # type: ignore[union-attr]
    return None


def station_path(actor: Actor) -> str | None:
    a = actor.assignment
    if a is not None and a.role == Role.STATION and a.station_id:
        return a.station.path  # type: ignore[union-attr]
    return None


def unit_path(actor: Actor) -> str | None:
    a = actor.assignment
    if a is not None and a.role == Role.UNIT and a.unit_id:
        return a.unit.path  # type: ignore[union-attr]
    return None


def scope(actor: Actor, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    """The records of ``queryset`` within the actor's reach."""
    if not actor.is_authenticated or actor.assignment is None:
        return queryset.none()
    fn = _SCOPES.get(queryset.model._meta.label_lower)
    if fn is None:
        return queryset.none()
    condition = fn(actor)
    if condition is None:
        return queryset
    return (
        queryset.filter(condition).distinct()
        if _needs_distinct(condition)
        else queryset.filter(condition)
    )


def _needs_distinct(condition: Q) -> bool:
    """Conditions across multi-valued relations (``__`` through a reverse FK) may repeat rows."""

    def walk(q: Any) -> bool:
        if isinstance(q, Q):
            return any(walk(child) for child in q.children)
        if not isinstance(q, tuple):
            return False  # an expression such as ``Exists``: one row per record
        key = q[0]
        return (
            "memberships__" in key
            or "mandates__" in key
            or "station_roles__" in key
            or "unit_contacts__" in key
            or "grid_roles__" in key
            or "assignments__" in key
            or "members__" in key
            or "duty_pools__" in key
        )

    return walk(condition)


def in_reach(actor: Actor, obj: models.Model) -> bool:
    return scope(actor, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def get_in_reach_or_404(actor: Actor, queryset: models.QuerySet[M] | type[M], **lookup: Any) -> M:
    """The one object matching ``lookup`` within reach; missing and forbidden look the same."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    try:
        return scope(actor, qs).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# Which capability viewing and editing each model needs. Editing also needs reach.
MODEL_PERMS: dict[str, tuple[Perm, Perm]] = {}


def model_perms(label: str, view: Perm, edit: Perm) -> None:
    MODEL_PERMS[label] = (view, edit)


def can_view_model(actor: Actor, model: type[models.Model]) -> bool:
    perms = MODEL_PERMS.get(model._meta.label_lower)
    return perms is not None and actor.has(perms[0])


def can_edit_model(actor: Actor, model: type[models.Model]) -> bool:
    perms = MODEL_PERMS.get(model._meta.label_lower)
    return perms is not None and actor.has(perms[1])


def can_edit(actor: Actor, obj: models.Model) -> bool:
    if not (can_edit_model(actor, type(obj)) and in_reach(actor, obj)):
        return False
    narrower = _EDIT_SCOPES.get(obj._meta.label_lower)
    if narrower is None:
        return True
    condition = narrower(actor)
    qs = type(obj)._default_manager.filter(pk=obj.pk)
    return (qs if condition is None else qs.filter(condition)).exists()


def can_reveal_personal(actor: Actor, obj: models.Model) -> bool:
    return actor.has(Perm.REVEAL_PERSONAL) and in_reach(actor, obj)
