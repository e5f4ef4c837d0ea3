"""Reach of duty records (SPEC section 0, SEC-1, DUTY).

The office reaches the stations of its region and the congresses there; station staff their
station and the stations under it; a deputy (or a window-unit head with a deputy account) his
own pool entries, leave, shifts and swaps; unit staff the assignments of their unit's heads
(their attendance counts in the unit's evaluation, DUTY-3); leadership reads its region.
Allowances (DUTY-4) are the office's alone.
"""

from __future__ import annotations

from django.db.models import Q

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import (
    NOTHING,
    Actor,
    Perm,
    model_perms,
    reach,
    region_path,
    station_path,
    unit_path,
)

for _label in ("dutypattern", "requirement", "poolmember", "dutyleave", "roster", "shift"):
    model_perms(f"activities.{_label}", Perm.VIEW_DUTY, Perm.MANAGE_DUTY)
model_perms("activities.assignment", Perm.VIEW_DUTY, Perm.MANAGE_DUTY)
model_perms("activities.swaprequest", Perm.VIEW_DUTY, Perm.MANAGE_DUTY)
for _label in ("allowancerate", "allowancerecipient", "allowancestatement", "allowanceline"):
    model_perms(f"activities.{_label}", Perm.MANAGE_ALLOWANCES, Perm.MANAGE_ALLOWANCES)


def _office(actor: Actor) -> str | None:
    return region_path(actor) if actor.role in (Role.OFFICE, Role.LEADERSHIP) else None


def _station_q(actor: Actor, prefix: str) -> Q | None:
    """Office and leadership: stations of their region; station staff: their subtree."""
    if path := _office(actor):
        return Q(**{f"{prefix}station__region__path__startswith": path})
    if path := station_path(actor):
        return Q(**{f"{prefix}station__path__startswith": path})
    return None


def _own(actor: Actor, field: str) -> Q:
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(**{field: actor.person_id})
    return NOTHING


@reach("activities.dutypattern")
def pattern_reach(actor: Actor) -> Q | None:
    return _station_q(actor, "") or NOTHING


@reach("activities.requirement")
def requirement_reach(actor: Actor) -> Q | None:
    return _station_q(actor, "pattern__") or NOTHING


@reach("activities.poolmember")
def pool_reach(actor: Actor) -> Q | None:
    if (q := _station_q(actor, "")) is not None:
        return q
    return _own(actor, "person_id")


@reach("activities.dutyleave")
def leave_reach(actor: Actor) -> Q | None:
    """Leave is the person's own; staff reach the leave of the persons in their pools."""
    if path := _office(actor):
        return Q(person__duty_pools__station__region__path__startswith=path) | Q(
            station__region__path__startswith=path
        )
    if path := station_path(actor):
        return Q(person__duty_pools__station__path__startswith=path) | Q(
            station__path__startswith=path
        )
    return _own(actor, "person_id")


@reach("activities.roster")
def roster_reach(actor: Actor) -> Q | None:
    if (q := _station_q(actor, "")) is not None:
        return q
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(status="published", shifts__assignments__person_id=actor.person_id)
    return NOTHING


@reach("activities.shift")
def shift_reach(actor: Actor) -> Q | None:
    if (q := _station_q(actor, "")) is not None:
        return q
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(roster__status="published", assignments__person_id=actor.person_id)
    return NOTHING


@reach("activities.assignment")
def assignment_reach(actor: Actor) -> Q | None:
    if (q := _station_q(actor, "shift__")) is not None:
        return q
    if path := unit_path(actor):
        return Q(role="unit_head", unit__path__startswith=path, shift__roster__status="published")
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(person_id=actor.person_id, shift__roster__status="published")
    return NOTHING


@reach("activities.swaprequest")
def swap_reach(actor: Actor) -> Q | None:
    if (q := _station_q(actor, "assignment__shift__")) is not None:
        return q
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(requester_id=actor.person_id) | Q(counterpart_id=actor.person_id)
    return NOTHING


def _congress_q(actor: Actor, prefix: str) -> Q:
    if actor.role == Role.OFFICE and (path := region_path(actor)):
        return Q(**{f"{prefix}congress__region__path__startswith": path})
    return NOTHING


@reach("activities.allowancerate")
def rate_reach(actor: Actor) -> Q | None:
    return _congress_q(actor, "")


@reach("activities.allowancerecipient")
def recipient_reach(actor: Actor) -> Q | None:
    return _congress_q(actor, "")


@reach("activities.allowancestatement")
def statement_reach(actor: Actor) -> Q | None:
    return _congress_q(actor, "")


@reach("activities.allowanceline")
def line_reach(actor: Actor) -> Q | None:
    return _congress_q(actor, "statement__")


# --- Activities, training, voters (ACT, VOT, ORG-10) ------------------------------------------

for _label in ("activity", "participant", "activityphoto", "activityplan", "planitem"):
    model_perms(f"activities.{_label}", Perm.VIEW_ACTIVITIES, Perm.MANAGE_ACTIVITIES)
for _label in ("activitycase", "quota"):
    model_perms(f"activities.{_label}", Perm.VIEW_ACTIVITIES, Perm.MANAGE_ACTIVITIES)
# A congress's training plans are its office's (ACT-3); stations organise the classes.
model_perms("activities.trainingplan", Perm.VIEW_ACTIVITIES, Perm.MANAGE_TRAINING)
# A deputy's own work: he records it (services check it is his); staff confirm it.
for _label in ("fixedvoter", "votercontact", "voterreport", "gooddeed", "committeecontact"):
    model_perms(f"activities.{_label}", Perm.VIEW_ACTIVITIES, Perm.RECORD_OWN_WORK)
for _label in ("callbacksample", "callbackcall"):
    model_perms(f"activities.{_label}", Perm.CALL_VOTERS, Perm.CALL_VOTERS)


def _deputy_q(actor: Actor, field: str = "deputy") -> Q:
    """Records about a deputy: the office reaches deputies of its region or serving in its
    congresses; station staff the deputies sitting in their stations; a deputy himself."""
    prefix = f"{field}__"
    if path := _office(actor):
        return Q(**{f"{prefix}region__path__startswith": path}) | Q(
            **{f"{prefix}mandates__term__congress__region__path__startswith": path}
        )
    if path := station_path(actor):
        return Q(**{f"{prefix}station_memberships__station__path__startswith": path})
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(**{f"{field}_id": actor.person_id})
    return NOTHING


@reach("activities.activity")
def activity_reach(actor: Actor) -> Q | None:
    if path := _office(actor):
        return Q(region__path__startswith=path)
    if path := station_path(actor):
        return Q(station__path__startswith=path)
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(participants__person_id=actor.person_id)
    return NOTHING


def _via_activity(actor: Actor) -> Q:
    if path := _office(actor):
        return Q(activity__region__path__startswith=path)
    if path := station_path(actor):
        return Q(activity__station__path__startswith=path)
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(activity__participants__person_id=actor.person_id)
    return NOTHING


@reach("activities.participant")
def participant_reach(actor: Actor) -> Q | None:
    return _via_activity(actor)


@reach("activities.activityphoto")
def activity_photo_reach(actor: Actor) -> Q | None:
    return _via_activity(actor)


@reach("activities.activitycase")
def activity_case_reach(actor: Actor) -> Q | None:
    return _via_activity(actor)


@reach("activities.activityplan")
def activity_plan_reach(actor: Actor) -> Q | None:
    return _station_q(actor, "") or NOTHING


@reach("activities.planitem")
def plan_item_reach(actor: Actor) -> Q | None:
    return _station_q(actor, "plan__") or NOTHING


@reach("activities.trainingplan")
def training_plan_reach(actor: Actor) -> Q | None:
    if path := _office(actor):
        return Q(congress__region__path__startswith=path)
    return NOTHING


@reach("activities.quota")
def quota_reach(actor: Actor) -> Q | None:
    if path := _office(actor):
        return Q(congress__region__path__startswith=path)
    return NOTHING


@reach("activities.fixedvoter")
def fixed_voter_reach(actor: Actor) -> Q | None:
    """Voters' lists are the deputy's and the office's (which calls them back), not the
    station's: their names and phones are personal data (SEC-2)."""
    if path := _office(actor):
        return Q(region__path__startswith=path)
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(deputy_id=actor.person_id)
    return NOTHING


@reach("activities.votercontact")
def voter_contact_reach(actor: Actor) -> Q | None:
    return _deputy_q(actor)


@reach("activities.voterreport")
def voter_report_reach(actor: Actor) -> Q | None:
    return _deputy_q(actor)


@reach("activities.gooddeed")
def good_deed_reach(actor: Actor) -> Q | None:
    return _deputy_q(actor)


@reach("activities.committeecontact")
def committee_contact_reach(actor: Actor) -> Q | None:
    if path := _office(actor):
        return Q(link__congress__region__path__startswith=path)
    if actor.role == Role.DEPUTY and actor.person_id:
        return Q(link__member_id=actor.person_id) | Q(link__deputy_id=actor.person_id)
    return NOTHING


@reach("activities.callbacksample")
def callback_sample_reach(actor: Actor) -> Q | None:
    if actor.role == Role.OFFICE and (path := region_path(actor)):
        return Q(region__path__startswith=path)
    return NOTHING


@reach("activities.callbackcall")
def callback_call_reach(actor: Actor) -> Q | None:
    if actor.role == Role.OFFICE and (path := region_path(actor)):
        return Q(sample__region__path__startswith=path)
    return NOTHING
