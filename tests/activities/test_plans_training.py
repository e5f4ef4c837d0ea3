"""Training plans (ACT-3): the office keeps its congress's plans by year, level and theme; the
plan page shows classes held against planned, attendance per class and per person, the hours,
and exports them to Excel; a class is created from the plan page with the form filled in."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import actor_for
from lianxin.activities import events
from lianxin.activities.models import Activity, Participant, TrainingPlan
from lianxin.audit.models import AuditEntry
from tests.activities.conftest_events import activity, at
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _plan(t, **extra) -> TrainingPlan:
    fields = {
        "congress": t.congress, "year": 2026, "title": "新任代表培训", "level": t.congress.level,
        "theme": "初任培训", "planned_classes": 3, "planned_hours": 18,
    }  # fmt: skip
    fields.update(extra)
    return TrainingPlan.objects.create(**fields)


def _office(world, t=None):
    t = t or world.a
    return world.client_for(t.office, Role.OFFICE)


def _form(t, **extra) -> dict:
    data = {
        "congress": t.congress.pk, "year": "2026", "title": "预算审查监督专题培训", "level": "",
        "theme": "预算审查监督", "audience": "镇人大代表", "planned_classes": "2",
        "planned_hours": "12", "description": "",
    }  # fmt: skip
    data.update(extra)
    return data


# --- Who sees and keeps the plans -------------------------------------------------------------


def test_it_lets_the_office_create_a_plan_with_the_congress_level(world):
    t = world.a
    response = _office(world).post(reverse("activities:training_create"), _form(t))
    assert response.status_code == 302
    plan = TrainingPlan.objects.get(title="预算审查监督专题培训")
    assert plan.level == t.congress.level and plan.planned_classes == 2
    assert AuditEntry.objects.filter(
        object_type="activities.trainingplan", object_id=str(plan.pk), action="create"
    ).exists()
    page = _office(world).get(reverse("activities:training_detail", args=[plan.pk]))
    assert "预算审查监督专题培训" in page.content.decode()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"year": "1999"}, "年度应在 2000 至 2100 之间"),
        ({"year": "2101"}, "年度应在 2000 至 2100 之间"),
        ({"planned_classes": "0"}, "计划期数至少为 1 期"),
        ({"title": "新任代表培训"}, "本人大该年度已有同名的培训计划"),
        ({"title": ""}, "该字段是必填项"),
    ],
)
def test_it_refuses_bad_input_in_chinese_and_saves_nothing(world, extra, message):
    t = world.a
    _plan(t)
    response = _office(world).post(reverse("activities:training_create"), _form(t, **extra))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert TrainingPlan.objects.count() == 1


def test_the_same_title_may_serve_another_year(world):
    t = world.a
    _plan(t)
    response = _office(world).post(
        reverse("activities:training_create"), _form(t, title="新任代表培训", year="2027")
    )
    assert response.status_code == 302
    assert TrainingPlan.objects.filter(title="新任代表培训").count() == 2


def test_an_edit_with_bad_input_changes_nothing(world):
    t = world.a
    plan = _plan(t)
    response = _office(world).post(
        reverse("activities:training_edit", args=[plan.pk]),
        _form(t, title="新任代表培训", planned_classes="-2"),
    )
    assert response.status_code == 200
    assert "计划期数至少为 1 期" in response.content.decode()
    plan.refresh_from_db()
    assert plan.planned_classes == 3


def test_another_townships_congress_cannot_be_chosen(world):
    response = _office(world).post(reverse("activities:training_create"), _form(world.b))
    assert response.status_code == 200
    assert not TrainingPlan.objects.exists()


def test_it_shows_the_plans_to_the_office_and_leadership_and_no_one_else(world):
    t = world.a
    plan = _plan(t)
    other = _plan(world.b, title="乙镇培训")
    detail = reverse("activities:training_detail", args=[plan.pk])
    assert _office(world).get(detail).status_code == 200
    leader = world.client_for(t.leadership, Role.LEADERSHIP)
    page = leader.get(detail)
    assert page.status_code == 200
    assert "修改" not in page.content.decode().split("完成情况")[0].split("<h1")[1]
    assert leader.get(reverse("activities:training_edit", args=[plan.pk])).status_code == 404
    for user, role in ((t.station_staff, Role.STATION), (t.deputy_user, Role.DEPUTY)):
        client = world.client_for(user, role)
        assert client.get(detail).status_code == 404
        assert client.get(reverse("activities:training_create")).status_code == 404
    assert (
        _office(world).get(reverse("activities:training_detail", args=[other.pk])).status_code
        == 404
    )
    listing = _office(world).get(reverse("activities:training_list")).content.decode()
    assert "新任代表培训" in listing and "乙镇培训" not in listing


def test_the_list_filters_by_year_level_and_theme_and_pages(world):
    t = world.a
    for i in range(23):
        _plan(t, title=f"专题培训{i:02d}", theme="履职实务" if i % 2 else "初任培训")
    _plan(t, title="明年培训", year=2027)
    client = _office(world)
    first = client.get(reverse("activities:training_list"), {"year": 2026})
    assert first.context["page_obj"].paginator.count == 23
    assert len(first.context["rows"]) == 20
    themed = client.get(reverse("activities:training_list"), {"year": 2026, "theme": "履职"})
    assert themed.context["page_obj"].paginator.count == 11
    level = client.get(reverse("activities:training_list"), {"level": 3})
    assert level.context["page_obj"].paginator.count == 0
    bad = client.get(reverse("activities:training_list"), {"year": "1800"})
    assert bad.status_code == 200 and "年度应在 2000 至 2100 之间" in bad.content.decode()


# --- Held against planned, attendance -------------------------------------------------------


def _classes(world):
    t = world.a
    plan = _plan(t)
    office = actor_for(t.office)
    first = activity(t, dt.date(2026, 3, 3), kind="training", training_plan=plan, title="第一期",
                     hours=Decimal("6.0"))  # fmt: skip
    second = activity(t, dt.date(2026, 4, 7), kind="training", training_plan=plan, title="第二期",
                      hours=Decimal("4.5"))  # fmt: skip
    third = activity(t, dt.date(2026, 5, 7), kind="training", training_plan=plan, title="第三期")
    cancelled = activity(t, dt.date(2026, 6, 2), kind="training", training_plan=plan,
                         title="取消的一期")  # fmt: skip
    students = [PersonFactory(name=f"学员{i}", region=t.region) for i in range(3)]
    events.invite(actor=office, activity=first, persons=[t.deputy, *students])
    events.invite(actor=office, activity=second, persons=[t.deputy, students[0]])
    marks = {
        first: ["present", "present", "absent", "excused"],
        second: ["present", "absent"],
    }
    for act, attendance in marks.items():
        people = list(act.participants.order_by("person__name"))
        for p, mark in zip(people, attendance, strict=True):
            events.mark(actor=office, participant=p, attendance=mark)
        events.mark_held(actor=office, activity=act)
    events.cancel_activity(actor=office, activity=cancelled)
    return plan, (first, second, third, cancelled), students


def test_it_counts_classes_held_upcoming_and_cancelled_and_the_hours(world):
    plan, _acts, _students = _classes(world)
    summary = events.training_summary(plan)
    assert (summary.planned, summary.held, summary.upcoming, summary.cancelled) == (3, 2, 1, 1)
    assert summary.hours == Decimal("10.5")
    page = _office(world).get(reverse("activities:training_detail", args=[plan.pk]))
    body = page.content.decode()
    assert 'data-testid="held">2<' in body
    assert 'data-testid="upcoming">1<' in body
    assert 'data-testid="cancelled">1<' in body
    assert "10.5 / 18" in body


def test_it_shows_attendance_per_class(world):
    plan, _acts, _students = _classes(world)
    rows = {c.activity.title: (c.participants, c.present, c.absent, c.excused, c.rate)
            for c in events.training_summary(plan).classes}  # fmt: skip
    assert rows == {
        "第一期": (4, 2, 1, 1, 50),
        "第二期": (2, 1, 1, 0, 50),
        "第三期": (0, 0, 0, 0, None),
    }


def test_it_lists_who_attended_how_many_classes(world):
    t = world.a
    plan, _acts, students = _classes(world)
    rows = {r.name: (r.listed, r.present, r.absent, r.excused)
            for r in events.training_attendance(plan)}  # fmt: skip
    # Marks go in name order: 学员0, 学员1, 学员2, then the township deputy (a代表 sorts first).
    first_order = sorted([t.deputy.name, *(s.name for s in students)])
    first = dict(zip(first_order, ["present", "present", "absent", "excused"], strict=True))
    second = dict(
        zip(sorted([t.deputy.name, students[0].name]), ["present", "absent"], strict=True)
    )
    for name in first_order:
        marks = [first[name]] + ([second[name]] if name in second else [])
        expected = (
            len(marks),
            marks.count("present"),
            marks.count("absent"),
            marks.count("excused"),
        )
        assert rows[name] == expected, name
    page = _office(world).get(reverse("activities:training_detail", args=[plan.pk]))
    assert page.content.decode().count('data-testid="trainee-row"') == 4


def test_it_exports_the_plan_to_excel(world):
    from openpyxl import load_workbook

    plan, _acts, _students = _classes(world)
    response = _office(world).get(reverse("activities:training_export", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["期次", "班次名称", "时间"]
    titles = [row[1] for row in values[1:4]]
    assert titles == ["第一期", "第二期", "第三期"]
    assert values[1][6:11] == ["4", "2", "1", "1", "50%"]
    assert ["姓名", "参加期数", "出席", "缺席", "请假"] in [row[:5] for row in values]


# --- Classes from the plan page and the year boundary ------------------------------------------


def test_the_plan_page_starts_a_class_with_the_form_filled_in(world):
    t = world.a
    plan = _plan(t)
    page = _office(world).get(reverse("activities:training_detail", args=[plan.pk]))
    url = page.context["new_class_url"]
    assert url.endswith(f"?training_plan={plan.pk}")
    form = _office(world).get(url).context["form"]
    assert form.initial["kind"] == "training" and form.initial["training_plan"] == plan.pk
    other = _plan(world.b, title="乙镇培训")
    form = (
        _office(world)
        .get(reverse("activities:event_create") + f"?training_plan={other.pk}")
        .context["form"]
    )
    assert "training_plan" not in form.initial


def _class_at(world, plan, when: str):
    t = world.a
    return _office(world).post(
        reverse("activities:event_create"),
        {
            "kind": "training", "title": "跨年培训", "station": t.station.pk,
            "training_plan": plan.pk, "place": "镇会议室", "starts_at": when, "ends_at": when,
        },
    )  # fmt: skip


def test_a_class_on_new_years_eve_beijing_time_counts_in_its_year(world):
    plan = _plan(world.a)
    response = _class_at(world, plan, "2026-12-31T23:30")
    assert response.status_code == 302
    a = Activity.objects.get(title="跨年培训")
    assert a.starts_at == at(dt.date(2026, 12, 31), 23, 30)
    events.mark_held(actor=actor_for(world.a.office), activity=a)
    assert events.training_summary(plan).held == 1


def test_a_class_on_new_years_day_beijing_time_is_refused_for_last_years_plan(world):
    """2027-01-01 00:30 in Beijing is still 2026 in UTC: the plan's year is Beijing's."""
    plan = _plan(world.a)
    response = _class_at(world, plan, "2027-01-01T00:30")
    assert response.status_code == 200
    assert "培训班次应在培训计划的年度（2026年）内举办" in response.content.decode()
    assert not Activity.objects.filter(title="跨年培训").exists()
    assert Participant.objects.count() == 0


def test_the_lists_take_as_many_queries_for_many_rows_as_for_few(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lianxin.activities.models import ActivityPlan

    t = world.a
    client = _office(world)

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    _plan(t, title="第一个计划")
    ActivityPlan.objects.create(station=t.station, year=2001)
    few = [queries(reverse(n)) for n in ("activities:training_list", "activities:plan_list")]
    for i in range(15):
        _plan(t, title=f"更多计划{i}")
        ActivityPlan.objects.create(station=t.room, year=2002 + i)
    many = [queries(reverse(n)) for n in ("activities:training_list", "activities:plan_list")]
    assert many == few
