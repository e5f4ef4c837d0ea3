"""Training plans (ACT-3) and stations' annual plans (ACT-1) through the API (API-1): created
by the same services as the pages (capability, reach, Chinese messages, audit), listed within
reach, and shown on the pages once created."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.accounts.models import Role
from lianxin.activities.models import ActivityPlan, PlanItem, TrainingPlan
from lianxin.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _office(world, t=None):
    return world.client_for((t or world.a).office, Role.OFFICE)


def _staff(world, t=None):
    return world.client_for((t or world.a).station_staff, Role.STATION)


def _training(t, **extra) -> dict:
    body = {"congress": t.congress.pk, "year": 2026, "title": "预算审查监督专题培训",
            "level": t.congress.level, "theme": "预算审查监督", "planned_classes": 2,
            "planned_hours": 12}  # fmt: skip
    body.update(extra)
    return body


def test_the_office_creates_a_training_plan_and_it_is_on_the_plans_page(world):
    t = world.a
    response = _office(world).post("/api/v1/training-plans/", _training(t), content_type=JSON)
    assert response.status_code == 201, response.content
    plan = TrainingPlan.objects.get(pk=response.json()["id"])
    assert AuditEntry.objects.filter(
        object_type="activities.trainingplan", object_id=str(plan.pk), action="create"
    ).exists()
    page = _office(world).get(reverse("activities:training_list") + "?year=2026")
    assert "预算审查监督专题培训" in page.content.decode()


def test_a_second_plan_of_the_same_title_or_no_classes_is_refused_in_chinese(world):
    t = world.a
    client = _office(world)
    assert (
        client.post("/api/v1/training-plans/", _training(t), content_type=JSON).status_code == 201
    )
    again = client.post("/api/v1/training-plans/", _training(t), content_type=JSON)
    none = client.post(
        "/api/v1/training-plans/",
        _training(t, title="另一期", planned_classes=0),
        content_type=JSON,
    )
    assert again.status_code == 400 and none.status_code == 400
    assert "培训计划 已经存在" in again.json()["error"]["fields"]["__all__"][0]
    assert none.json()["error"]["fields"]["planned_classes"] == ["计划期数至少为 1 期。"]
    assert TrainingPlan.objects.count() == 1


def test_station_staff_neither_create_training_plans_nor_plans_of_another_township(world):
    t, other = world.a, world.b
    refused = _staff(world).post("/api/v1/training-plans/", _training(t), content_type=JSON)
    assert refused.status_code in (403, 404)
    foreign = _staff(world).post(
        "/api/v1/activity-plans/", {"station": other.station.pk, "year": 2026}, content_type=JSON
    )
    assert foreign.status_code == 400
    assert not TrainingPlan.objects.exists() and not ActivityPlan.objects.exists()


def test_station_staff_create_their_annual_plan_with_items_shown_on_the_plan_page(world):
    t = world.a
    client = _staff(world)
    made = client.post(
        "/api/v1/activity-plans/",
        {"station": t.station.pk, "year": 2026, "note": "全年"},
        content_type=JSON,
    )
    assert made.status_code == 201, made.content
    plan_id = made.json()["id"]
    item = client.post(
        "/api/v1/activity-plan-items/",
        {"plan": plan_id, "month": 5, "kind": "reception", "title": "五月代表进站接待"},
        content_type=JSON,
    )
    assert item.status_code == 201, item.content
    bad = client.post(
        "/api/v1/activity-plan-items/",
        {"plan": plan_id, "month": 13, "kind": "reception", "title": "十三月"},
        content_type=JSON,
    )
    assert bad.status_code == 400 and PlanItem.objects.count() == 1
    listed = client.get(f"/api/v1/activity-plans/{plan_id}/").json()
    assert [i["title"] for i in listed["items"]] == ["五月代表进站接待"]
    page = client.get(reverse("activities:plan_detail", args=[plan_id])).content.decode()
    assert "五月代表进站接待" in page


def test_another_township_s_plans_are_not_listed(world):
    t, other = world.a, world.b
    ActivityPlan.objects.create(station=other.station, year=2026)
    mine = ActivityPlan.objects.create(station=t.station, year=2026)
    rows = _staff(world).get("/api/v1/activity-plans/").json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]
