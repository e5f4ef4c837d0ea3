"""Plans (ACT-1, ACT-3): a congress's training plans and each station's annual activity plan.

Every write takes an ``Actor``, checks the capability (MANAGE_TRAINING for training plans, the
congress office's; MANAGE_ACTIVITIES for a station's plan and its items) and the reach of
``activities/reach.py``, validates the record and is audited. What a training plan has held is
``events.training_summary``; what a station's plan has done, month by month, is
``plan_months`` here: the items planned for each month beside the activities that count
(``events.counted_activities``) held at the station that month, Beijing time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import Actor, Perm, can_edit, in_reach
from lianxin.activities.events import counted_activities, year_bounds
from lianxin.activities.models import Activity, ActivityPlan, PlanItem, TrainingPlan
from lianxin.audit.models import AuditEntry
from lianxin.audit.services import record
from lianxin.common.errors import NotAllowed
from lianxin.holidays.deadlines import BEIJING, beijing_date

TRAINING_FIELDS = (
    "congress",
    "year",
    "title",
    "level",
    "theme",
    "audience",
    "planned_classes",
    "planned_hours",
    "description",
)
PLAN_FIELDS = ("station", "year", "note")
ITEM_FIELDS = ("month", "kind", "title", "note")


def snapshot(obj: Model, names: Iterable[str]) -> dict[str, Any]:
    """The fields as they are, before a form changes them (for the audit)."""
    return {name: str(getattr(obj, name, "")) for name in names}


def _save(
    *,
    actor: Actor,
    obj: Model,
    perm: Perm,
    names: Iterable[str],
    before: dict[str, Any] | None,
    out_of_reach: dict[str, str],
) -> None:
    """Checks, validates, saves and audits one plan record; ``out_of_reach`` names the field
    to blame (and its message) when the record would land outside the actor's reach."""
    if not actor.has(perm) or (obj.pk and not can_edit(actor, obj)):
        raise NotAllowed
    obj.full_clean()
    created = obj.pk is None
    with transaction.atomic():
        obj.save()
        if not can_edit(actor, obj):  # e.g. another township's station or congress chosen
            raise ValidationError(out_of_reach)
        after = snapshot(obj, names)
        old = before or {}
        changes = (
            after if created else {k: [old.get(k), v] for k, v in after.items() if old.get(k) != v}
        )
        record(
            actor=actor,
            action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
            obj=obj,
            changes=changes,
        )


# --- Training plans (ACT-3) --------------------------------------------------------------------


def save_training_plan(
    *, actor: Actor, plan: TrainingPlan, before: dict[str, Any] | None = None
) -> TrainingPlan:
    """Creates or updates a congress's training plan (its office, within reach)."""
    _save(
        actor=actor,
        obj=plan,
        perm=Perm.MANAGE_TRAINING,
        names=TRAINING_FIELDS,
        before=before,
        out_of_reach={"congress": _("所选人大不在您的管理范围内。")},
    )
    return plan


# --- Station annual activity plans (ACT-1) -----------------------------------------------------


def save_activity_plan(
    *, actor: Actor, plan: ActivityPlan, before: dict[str, Any] | None = None
) -> ActivityPlan:
    """Creates or updates a station's annual activity plan (its station staff, the office)."""
    _save(
        actor=actor,
        obj=plan,
        perm=Perm.MANAGE_ACTIVITIES,
        names=PLAN_FIELDS,
        before=before,
        out_of_reach={"station": _("所选联络站不在您的管理范围内。")},
    )
    return plan


def save_plan_item(
    *, actor: Actor, item: PlanItem, before: dict[str, Any] | None = None
) -> PlanItem:
    """Adds or changes one planned activity of a station's plan."""
    if not in_reach(actor, item.plan) or not can_edit(actor, item.plan):
        raise NotAllowed
    _save(
        actor=actor,
        obj=item,
        perm=Perm.MANAGE_ACTIVITIES,
        names=ITEM_FIELDS,
        before=before,
        out_of_reach={"title": _("该计划不在您的管理范围内。")},
    )
    return item


def delete_plan_item(*, actor: Actor, item: PlanItem) -> None:
    """Removes a planned activity; activities held under it stay, unlinked (SET_NULL)."""
    if not actor.has(Perm.MANAGE_ACTIVITIES) or not can_edit(actor, item):
        raise NotAllowed
    with transaction.atomic():
        record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            obj=item,
            changes=snapshot(item, ITEM_FIELDS),
        )
        item.delete()


@dataclass
class PlanMonth:
    """One month of a station's plan: what was planned beside what was held (ACT-1)."""

    month: int
    items: list[PlanItem] = field(default_factory=list)
    held: list[Activity] = field(default_factory=list)
    published: list[Activity] = field(default_factory=list)  # not yet marked held
    past: bool = False

    @property
    def missed(self) -> bool:
        """Items were planned, the month is over, and nothing was held at the station."""
        return self.past and bool(self.items) and not self.held


@dataclass
class PlanProgress:
    plan: ActivityPlan
    months: list[PlanMonth]
    done_items: set[int] = field(default_factory=set)  # items an activity held carried out

    @property
    def planned(self) -> int:
        return sum(len(m.items) for m in self.months)

    @property
    def held(self) -> int:
        return sum(len(m.held) for m in self.months)

    @property
    def missed_months(self) -> list[int]:
        return [m.month for m in self.months if m.missed]


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def station_activities(plan: ActivityPlan) -> Any:
    """Activities that count, organised at the plan's station (or the contact rooms under it)
    in the plan's calendar year, Beijing time."""
    start, end = year_bounds(plan.year)
    return counted_activities(
        Activity.objects.filter(
            station__path__startswith=plan.station.path, starts_at__gte=start, starts_at__lt=end
        )
    ).order_by("starts_at", "pk")


def plan_months(plan: ActivityPlan, today: dt.date | None = None) -> PlanProgress:
    """The twelve months of the plan: items planned, activities held and activities published
    but not yet marked held; a month is past once it has ended (Beijing time)."""
    today = today or beijing_date(timezone.now())
    months = [PlanMonth(month=m, past=_month_end(plan.year, m) < today) for m in range(1, 13)]
    for item in plan.items.all():
        months[item.month - 1].items.append(item)
    done: set[int] = set()
    for activity in station_activities(plan).select_related("station"):
        month = months[activity.starts_at.astimezone(BEIJING).month - 1]
        if activity.status == Activity.Status.HELD:
            month.held.append(activity)
            if activity.plan_item_id:
                done.add(activity.plan_item_id)
        else:
            month.published.append(activity)
    return PlanProgress(plan=plan, months=months, done_items=done)
