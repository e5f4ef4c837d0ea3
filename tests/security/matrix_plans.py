"""The permission matrix's plan records of one township (ACT-1, ACT-3; engineer PLANS): the
township congress's training plan, and the township station's annual activity plan with one
planned item."""

from __future__ import annotations

from typing import Any

from django.db import models

from lianxin.activities.models import ActivityPlan, PlanItem, TrainingPlan

# Tables the matrix counts before and after each write.
TRACKED: list[type[models.Model]] = [TrainingPlan, ActivityPlan, PlanItem]


def plan_objects(t: Any) -> dict[type[models.Model], models.Model]:
    training = TrainingPlan.objects.create(
        congress=t.congress, year=2026, title=f"{t.region.name}代表培训", level=t.congress.level,
        theme="初任培训", planned_classes=2,
    )  # fmt: skip
    plan = ActivityPlan.objects.create(station=t.station, year=2026, note="矩阵计划")
    item = PlanItem.objects.create(plan=plan, month=3, kind="stool", title="矩阵小板凳议事")
    return {TrainingPlan: training, ActivityPlan: plan, PlanItem: item}
