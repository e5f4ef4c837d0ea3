"""Stations' annual activity plans (ACT-1): station staff keep their station's plan and its
items, the office every plan within reach; the plan page shows each month's items beside the
activities held at the station that month (Beijing time) and flags the past months where
something was planned and nothing was held."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from lianxin.accounts.models import Role
from lianxin.activities import plans
from lianxin.activities.models import Activity, ActivityPlan, PlanItem
from lianxin.audit.models import AuditEntry
from tests.activities.conftest_events import activity, at

pytestmark = pytest.mark.django_db


def _staff(world, t=None):
    t = t or world.a
    return world.client_for(t.station_staff, Role.STATION)


def _plan(t, year=2026) -> ActivityPlan:
    plan = ActivityPlan.objects.create(station=t.station, year=year, note="代表周三见")
    PlanItem.objects.bulk_create(
        [
            PlanItem(plan=plan, month=3, kind="stool", title="小板凳议事：村道养护"),
            PlanItem(plan=plan, month=6, kind="inspection", title="视察农村饮水安全"),
            PlanItem(plan=plan, month=9, kind="policy_talk", title="宣讲惠农政策"),
            PlanItem(plan=plan, month=12, kind="reception", title="集中进站接待"),
        ]
    )
    return plan


def _held(t, day: dt.date, **extra) -> Activity:
    return activity(t, day, status=Activity.Status.HELD, **extra)


# --- Keeping the plan --------------------------------------------------------------------------


def test_station_staff_create_their_plan_and_add_items(world):
    t = world.a
    client = _staff(world)
    response = client.post(
        reverse("activities:plan_create"), {"station": t.station.pk, "year": "2026", "note": "全年"}
    )
    assert response.status_code == 302
    plan = ActivityPlan.objects.get(station=t.station, year=2026)
    response = client.post(
        reverse("activities:plan_item_add", args=[plan.pk]),
        {"month": "4", "kind": "stool", "title": "小板凳议事", "note": "一村"},
    )
    assert response.status_code == 302
    item = plan.items.get()
    assert (item.month, item.kind, item.title) == (4, "stool", "小板凳议事")
    assert AuditEntry.objects.filter(object_type="activities.planitem", action="create").exists()
    page = client.get(reverse("activities:plan_detail", args=[plan.pk])).content.decode()
    assert "小板凳议事" in page


def test_the_create_form_offers_the_station_staffs_own_station(world):
    t = world.a
    form = _staff(world).get(reverse("activities:plan_create")).context["form"]
    assert form.initial["station"] == t.station.pk
    assert set(form.fields["station"].queryset) == {t.station, t.room}


def test_a_second_plan_for_the_same_station_and_year_is_refused(world):
    t = world.a
    _plan(t)
    response = _staff(world).post(
        reverse("activities:plan_create"), {"station": t.station.pk, "year": "2026", "note": ""}
    )
    assert response.status_code == 200
    assert "该联络站本年度已有活动计划" in response.content.decode()
    assert ActivityPlan.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"month": "13", "kind": "stool", "title": "十三月"}, "请选择 1 至 12 月"),
        ({"month": "", "kind": "stool", "title": "没有月份"}, "该字段是必填项"),
        ({"month": "5", "kind": "nonsense", "title": "乱填类型"}, "选择一个有效的选项"),
        ({"month": "5", "kind": "stool", "title": ""}, "该字段是必填项"),
    ],
)
def test_bad_items_are_refused_in_chinese_and_nothing_is_saved(world, data, message):
    plan = _plan(world.a)
    response = _staff(world).post(reverse("activities:plan_item_add", args=[plan.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert plan.items.count() == 4


def test_a_bad_year_is_refused(world):
    t = world.a
    response = _staff(world).post(
        reverse("activities:plan_create"), {"station": t.station.pk, "year": "3026", "note": ""}
    )
    assert response.status_code == 200
    assert "年度应在 2000 至 2100 之间" in response.content.decode()
    assert not ActivityPlan.objects.exists()


def test_items_are_edited_and_removed(world):
    plan = _plan(world.a)
    item = plan.items.get(month=6)
    client = _staff(world)
    response = client.post(
        reverse("activities:plan_item_edit", args=[item.pk]),
        {"month": "7", "kind": "inspection", "title": "视察饮水安全（推迟）", "note": ""},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.month, item.title) == (7, "视察饮水安全（推迟）")
    response = client.post(reverse("activities:plan_item_delete", args=[item.pk]))
    assert response.status_code == 302
    assert not PlanItem.objects.filter(pk=item.pk).exists()
    assert AuditEntry.objects.filter(object_type="activities.planitem", action="delete").exists()
    assert client.get(reverse("activities:plan_item_delete", args=[item.pk])).status_code == 405


def test_who_sees_and_keeps_a_plan(world):
    t = world.a
    plan = _plan(t)
    detail = reverse("activities:plan_detail", args=[plan.pk])
    item = plan.items.first()
    office = world.client_for(t.office, Role.OFFICE)
    assert office.get(detail).status_code == 200
    assert office.get(reverse("activities:plan_edit", args=[plan.pk])).status_code == 200
    leader = world.client_for(t.leadership, Role.LEADERSHIP)
    assert leader.get(detail).status_code == 200
    assert leader.get(reverse("activities:plan_edit", args=[plan.pk])).status_code == 404
    assert leader.post(reverse("activities:plan_item_delete", args=[item.pk])).status_code == 404
    deputy = world.client_for(t.deputy_user, Role.DEPUTY)
    assert deputy.get(detail).status_code == 404
    other_station = _staff(world, world.b)
    assert other_station.get(detail).status_code == 404
    assert (
        other_station.post(
            reverse("activities:plan_item_add", args=[plan.pk]),
            {"month": "5", "kind": "stool", "title": "越界"},
        ).status_code
        == 404
    )
    assert plan.items.count() == 4
    other_office = world.client_for(world.b.office, Role.OFFICE)
    assert other_office.get(detail).status_code == 404
    listing = other_office.get(reverse("activities:plan_list")).content.decode()
    assert t.station.name not in listing


def test_another_townships_station_cannot_be_chosen(world):
    response = _staff(world).post(
        reverse("activities:plan_create"),
        {"station": world.b.station.pk, "year": "2026", "note": ""},
    )
    assert response.status_code == 200
    assert not ActivityPlan.objects.exists()


def test_the_list_filters_by_year_and_pages(world):
    t = world.a
    for year in range(2000, 2023):
        ActivityPlan.objects.create(station=t.station, year=year)
    ActivityPlan.objects.create(station=t.room, year=2026)
    client = world.client_for(t.office, Role.OFFICE)
    everything = client.get(reverse("activities:plan_list"))
    assert everything.context["page_obj"].paginator.count == 24
    assert len(everything.context["page_obj"].object_list) == 20
    one = client.get(reverse("activities:plan_list"), {"year": 2026})
    assert [p.station for p in one.context["page_obj"]] == [t.room]


def test_an_item_starts_an_activity_with_the_form_filled_in_and_linked(world):
    t = world.a
    plan = _plan(t)
    item = plan.items.get(month=3)
    client = _staff(world)
    form = client.get(reverse("activities:event_create") + f"?plan_item={item.pk}").context["form"]
    assert form.initial == {
        "kind": "stool", "title": "小板凳议事：村道养护", "station": t.station.pk,
        "plan_item": item.pk,
    }  # fmt: skip
    data = {
        "kind": "stool", "title": "小板凳议事：村道养护", "station": t.station.pk,
        "plan_item": item.pk, "place": "一村", "starts_at": "2026-03-11T09:00",
        "ends_at": "2026-03-11T11:00",
    }  # fmt: skip
    assert client.post(reverse("activities:event_create"), data).status_code == 302
    held = Activity.objects.get(plan_item=item)
    held.status = Activity.Status.HELD
    held.save()
    assert plans.plan_months(plan, today=dt.date(2026, 4, 1)).done_items == {item.pk}
    page = client.get(reverse("activities:plan_detail", args=[plan.pk])).content.decode()
    assert page.count("已按计划开展") == 1


def test_an_activity_of_a_plan_item_is_held_at_the_plans_station(world):
    t = world.a
    plan = ActivityPlan.objects.create(station=t.room, year=2026)
    item = PlanItem.objects.create(plan=plan, month=3, kind="stool", title="一村议事")
    response = _staff(world).post(
        reverse("activities:event_create"),
        {
            "kind": "stool", "title": "一村议事", "station": t.station.pk, "plan_item": item.pk,
            "place": "一村", "starts_at": "2026-03-11T09:00", "ends_at": "2026-03-11T11:00",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "按年度计划开展的活动，请选择该计划所属的联络站" in response.content.decode()
    assert not Activity.objects.exists()


# --- Planned against held ----------------------------------------------------------------------


def test_each_month_shows_what_was_planned_beside_what_was_held(world):
    t = world.a
    plan = _plan(t)
    _held(t, dt.date(2026, 3, 11), title="三月小板凳议事")
    _held(t, dt.date(2026, 3, 25), title="三月接待", kind="reception", station=t.room,
          region=t.village)  # fmt: skip
    _held(t, dt.date(2026, 4, 8), title="四月接待（计划外）", kind="reception")
    activity(t, dt.date(2026, 6, 3), title="六月视察（已取消）", status=Activity.Status.CANCELLED)
    _held(t, dt.date(2026, 6, 10), title="六月补报", approval=Activity.Approval.PENDING)
    activity(t, dt.date(2026, 9, 16), title="九月宣讲（已发布）")
    _held(world.b, dt.date(2026, 6, 12), title="乙镇的活动")
    progress = plans.plan_months(plan, today=dt.date(2026, 9, 20))
    months = {m.month: m for m in progress.months}
    assert [a.title for a in months[3].held] == ["三月小板凳议事", "三月接待"]
    assert [a.title for a in months[4].held] == ["四月接待（计划外）"]
    assert months[6].held == [] and months[6].missed
    assert not months[3].missed and not months[4].missed  # April had nothing planned
    assert [a.title for a in months[9].published] == ["九月宣讲（已发布）"]
    assert not months[9].missed and not months[12].missed  # not over yet
    assert progress.missed_months == [6]
    assert (progress.planned, progress.held) == (4, 3)


def test_the_page_flags_past_months_planned_and_not_held(world):
    t = world.a
    plan = _plan(t)
    _held(t, dt.date(2026, 3, 11), title="三月小板凳议事")
    with time_machine.travel(at(dt.date(2026, 10, 1), 10), tick=False):
        page = _staff(world).get(reverse("activities:plan_detail", args=[plan.pk]))
    body = page.content.decode()
    assert "以下月份有计划活动但未开展任何活动：6月、9月" in body
    assert body.count("计划未落实") == 2


def test_the_year_boundary_is_beijing_time(world):
    """2026-12-31 23:30 in Beijing is December 2026; 2027-01-01 00:30 in Beijing (still
    2026-12-31 in UTC) is January 2027."""
    t = world.a
    plan, next_plan = _plan(t), _plan(t, year=2027)
    Activity.objects.create(
        kind="reception", title="除夕前接待", region=t.region, station=t.station, place="站内",
        starts_at=at(dt.date(2026, 12, 31), 23, 30), ends_at=at(dt.date(2026, 12, 31), 23, 50),
        status=Activity.Status.HELD,
    )  # fmt: skip
    Activity.objects.create(
        kind="reception", title="元旦接待", region=t.region, station=t.station, place="站内",
        starts_at=at(dt.date(2027, 1, 1), 0, 30), ends_at=at(dt.date(2027, 1, 1), 1, 0),
        status=Activity.Status.HELD,
    )  # fmt: skip
    this_year = plans.plan_months(plan, today=dt.date(2027, 2, 1)).months
    assert [a.title for a in this_year[11].held] == ["除夕前接待"]
    assert not this_year[11].missed
    assert sum(len(m.held) for m in this_year) == 1
    next_year = plans.plan_months(next_plan, today=dt.date(2027, 2, 1)).months
    assert [a.title for a in next_year[0].held] == ["元旦接待"]
    with time_machine.travel(at(dt.date(2026, 12, 31), 23, 59), tick=False):
        assert not plans.plan_months(plan).months[11].past
    with time_machine.travel(at(dt.date(2027, 1, 1), 0, 1), tick=False):
        assert plans.plan_months(plan).months[11].past
