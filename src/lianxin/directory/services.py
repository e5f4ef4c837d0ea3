"""Writes of the core directory that are more than "save this form" (ORG-2, ORG-3).

Plain create/edit of directory records goes through ``lianxin.common.services.save_record``
(pages) and ``save_instance`` (API); what has rules of its own lives here.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import Actor, can_edit
from lianxin.common.errors import Conflict, NotAllowed
from lianxin.common.services import actor_rule
from lianxin.directory.models import GridMember, Mandate, Person, StationMembership, WorkPlan
from lianxin.regions.models import Region


@transaction.atomic
def mandate_end(
    *,
    actor: Actor,
    mandate: Mandate,
    ended_on: datetime.date,
    reason: str,
    note: str = "",
) -> Mandate:
    """Ends a serving mandate (代表资格终止, 辞职) with its reason and date (ORG-3)."""
    if not can_edit(actor, mandate):
        raise NotAllowed
    errors: dict[str, str] = {}
    if reason not in Mandate.EndReason.values:
        errors["reason"] = _("请选择终止原因。")
    if ended_on is None:
        errors["ended_on"] = _("请填写终止日期。")
    elif ended_on < mandate.started_on:
        errors["ended_on"] = _("终止日期不能早于任职日期。")
    if errors:
        raise ValidationError(errors)
    status = (
        Mandate.Status.RESIGNED
        if reason == Mandate.EndReason.RESIGNATION
        else Mandate.Status.TERMINATED
    )
    locked = Mandate.objects.select_for_update().get(pk=mandate.pk)
    if locked.status != Mandate.Status.SERVING:
        raise Conflict(_("该任职已经终止。"))
    locked.status, locked.ended_on = status, ended_on
    locked.end_reason, locked.end_note = reason, note.strip()[:200]
    locked.save(update_fields=["status", "ended_on", "end_reason", "end_note", "updated_at"])
    return locked


@transaction.atomic
def workplan_publish(*, actor: Actor, plan: WorkPlan) -> WorkPlan:
    """Publishes the annual deputy-work plan (代表法 §43); publishing twice changes nothing."""
    if not can_edit(actor, plan):
        raise NotAllowed
    locked = WorkPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.status == WorkPlan.Status.PUBLISHED:
        return locked
    locked.status, locked.published_at = WorkPlan.Status.PUBLISHED, timezone.now()
    locked.save(update_fields=["status", "published_at", "updated_at"])
    return locked


# --- Grids (ORG-9) -----------------------------------------------------------------------------


def _township_path(region: Region | None) -> str | None:
    """The path of the township (or street) a region lies in; None above township level."""
    if region is None or region.level < Region.Level.TOWNSHIP:
        return None
    parts = region.path.strip("/").split("/")
    return "/" + "/".join(parts[: len(parts) - (region.level - Region.Level.TOWNSHIP)]) + "/"


def home_townships(person: Person) -> set[str]:
    """The townships a deputy belongs to: where he lives (his region) and where his home
    station is (ORG-7, ORG-9)."""
    found = {_township_path(person.region)} if person.region_id else set()
    homes = StationMembership.objects.filter(
        person=person, kind=StationMembership.Kind.HOME, ends_on__isnull=True
    ).select_related("station__region")
    found |= {_township_path(m.station.region) for m in homes}
    return {path for path in found if path}


def _actor_region_path(actor: Actor) -> str | None:
    """The region an actor's reach covers as a whole: an office's region, or the region of a
    station staff member's station."""
    a = actor.assignment
    if a is None:
        return None
    if a.role in (Role.OFFICE, Role.LEADERSHIP) and a.region_id:
        return a.region.path  # type: ignore[union-attr]
    if a.role == Role.STATION and a.station_id:
        return a.station.region.path  # type: ignore[union-attr]
    return None


@actor_rule("directory.gridmember")
def check_grid_assignment(actor: Actor, member: GridMember) -> None:
    """ORG-9: a deputy is assigned to a grid of his own township; a grid of another township
    takes him only when the staff assigning him reach both townships (e.g. the county office)."""
    if member.role != GridMember.Role.DEPUTY or member.ends_on is not None:
        return
    grid_township = _township_path(member.grid.region)
    homes = home_townships(member.person)
    if not homes or grid_township in homes:
        return
    covered = _actor_region_path(actor)
    if (
        covered
        and grid_township
        and grid_township.startswith(covered)
        and all(home.startswith(covered) for home in homes)
    ):
        return
    raise ValidationError(
        {
            "person": _(
                "%(name)s 不属于本网格所在的乡镇（街道）；跨乡镇编入网格须由同时管辖两地的"
                "人大机关工作人员办理。"
            )
            % {"name": member.person.name}
        }
    )
