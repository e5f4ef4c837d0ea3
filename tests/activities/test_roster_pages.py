"""The staff pages of duty rosters (DUTY-2): list, new roster, the roster page with its
progress and report, one shift's edit, publishing, the Excel export — for the staff who may,
and nobody else."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse

from lianxin.activities.duty import planning
from lianxin.activities.models import Assignment, DutyLeave, Roster
from lianxin.common.navigation import nav_for
from tests.activities import conftest_solver
from tests.activities.conftest_solver import make_roster

duty = conftest_solver.duty
D = dt.date


@pytest.fixture
def station(duty):
    return duty.world.client_for(duty.world.a.station_staff)


def solve(client, roster, capture) -> Roster:
    with capture(execute=True):
        response = client.post(reverse("duty:roster_solve", args=[roster.pk]))
    assert response.status_code == 302
    roster.refresh_from_db()
    return roster


def test_it_lists_the_rosters_within_reach_with_filters(duty, station):
    mine = make_roster(duty)
    response = station.get(reverse("duty:roster_list"))
    assert response.status_code == 200
    assert mine.name in response.content.decode()
    response = station.get(reverse("duty:roster_list") + "?status=published")
    assert mine.name not in response.content.decode()
    outsider = duty.world.client_for(duty.world.b.station_staff)
    assert mine.name not in outsider.get(reverse("duty:roster_list")).content.decode()
    assert outsider.get(reverse("duty:roster_detail", args=[mine.pk])).status_code == 404


def test_it_creates_a_roster_from_the_form(duty, station):
    url = reverse("duty:roster_create")
    assert station.get(url).status_code == 200
    data = {
        "pattern": duty.pattern.pk,
        "name": "2026年二季度代表周三见",
        "starts_on": "2026-04-01",
        "ends_on": "2026-06-30",
        "max_per_month": "2",
        "time_limit_seconds": "10",
    }
    response = station.post(url, data)
    roster = Roster.objects.get(name="2026年二季度代表周三见")
    assert response.status_code == 302 and response["Location"].endswith(f"/{roster.pk}/")
    assert roster.shifts.count() == 13 and roster.station == duty.world.a.station


def test_it_shows_clear_errors_and_saves_nothing_for_bad_input(duty, station):
    data = {"pattern": duty.pattern.pk, "name": "x", "starts_on": "2026-04-01",
            "ends_on": "2027-04-01", "time_limit_seconds": "1000"}  # fmt: skip
    response = station.post(reverse("duty:roster_create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "一张排班表最长一年" in body and "排班限时最长 300 秒" in body
    assert not Roster.objects.exists()


def test_it_solves_and_shows_the_report_and_the_shifts(
    duty, station, django_capture_on_commit_callbacks
):
    roster = solve(station, make_roster(duty), django_capture_on_commit_callbacks)
    assert roster.status == Roster.Status.PROPOSED
    body = station.get(reverse("duty:roster_detail", args=[roster.pk])).content.decode()
    assert "所有岗位均已排满" in body and "负担均衡" in body
    assert "2026年3月" in body and "03-04 周三" in body
    assert duty.persons[0].name in body or duty.persons[1].name in body
    assert reverse("duty:roster_publish", args=[roster.pk]) in body


def test_it_names_the_empty_posts_and_why(duty, station, django_capture_on_commit_callbacks):
    for member in duty.members[2:]:
        member.is_active = False
        member.save()
    DutyLeave.objects.create(
        person=duty.persons[0], starts_on=D(2026, 3, 11), ends_on=D(2026, 3, 11)
    )
    roster = solve(station, make_roster(duty), django_capture_on_commit_callbacks)
    body = station.get(reverse("duty:roster_detail", args=[roster.pk])).content.decode()
    assert "有 1 个岗位无法排满" in body
    assert "2026-03-11" in body and "当天只有 1 名代表可以值班（1人请假）" in body


def test_it_polls_progress_while_solving_and_refreshes_when_done(duty, station):
    roster = make_roster(duty)
    Roster.objects.filter(pk=roster.pk).update(status=Roster.Status.SOLVING, progress=40)
    url = reverse("duty:roster_detail", args=[roster.pk])
    page = station.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page and "40%" in page
    partial = station.get(url, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    Roster.objects.filter(pk=roster.pk).update(status=Roster.Status.PROPOSED, progress=100)
    done = station.get(url, HTTP_HX_REQUEST="true")
    assert done.status_code == 204 and done["HX-Refresh"] == "true"


def test_it_refuses_to_solve_again_while_solving(duty, station):
    roster = make_roster(duty)
    Roster.objects.filter(pk=roster.pk).update(status=Roster.Status.SOLVING)
    response = station.post(reverse("duty:roster_solve", args=[roster.pk]), follow=True)
    assert "正在排班" in response.content.decode()


def test_it_edits_a_shift_by_hand(duty, station):
    roster = make_roster(duty)
    shift = roster.shifts.order_by("date").first()
    url = reverse("duty:shift_edit", args=[shift.pk])
    page = station.get(url)
    assert page.status_code == 200 and "增加人员" in page.content.decode()
    station.post(url, {"op": "add", "member": duty.members[0].pk})
    added = Assignment.objects.get(shift=shift)
    assert added.person == duty.persons[0] and added.source == Assignment.Source.MANUAL
    station.post(url, {"op": "replace", "assignment": added.pk, "member": duty.members[1].pk})
    replaced = Assignment.objects.get(shift=shift)
    assert replaced.person == duty.persons[1]
    again = station.post(url, {"op": "add", "member": duty.members[1].pk}, follow=True)
    assert "此人已在这个班次中" in again.content.decode()
    station.post(url, {"op": "remove", "assignment": replaced.pk})
    assert not Assignment.objects.filter(shift=shift).exists()


def test_it_publishes_after_staff_accept_the_named_empty_posts(
    duty, station, django_capture_on_commit_callbacks
):
    for member in duty.members[2:]:
        member.is_active = False
        member.save()
    DutyLeave.objects.create(
        person=duty.persons[0], starts_on=D(2026, 3, 11), ends_on=D(2026, 3, 11)
    )
    roster = solve(station, make_roster(duty), django_capture_on_commit_callbacks)
    url = reverse("duty:roster_publish", args=[roster.pk])
    page = station.get(url).content.decode()
    assert "以下 1 个岗位无人值班" in page and "2026-03-11" in page
    refused = station.post(url, {}, follow=True)
    assert "确认知晓后再发布" in refused.content.decode()
    roster.refresh_from_db()
    assert roster.status == Roster.Status.PROPOSED
    with django_capture_on_commit_callbacks(execute=True):
        station.post(url, {"accept": "on"})
    roster.refresh_from_db()
    assert roster.status == Roster.Status.PUBLISHED


def test_it_exports_the_roster_to_excel_as_text(duty, station, django_capture_on_commit_callbacks):
    from openpyxl import load_workbook

    roster = solve(station, make_roster(duty), django_capture_on_commit_callbacks)
    response = station.get(reverse("duty:roster_export", args=[roster.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("日期", "星期", "时间", "岗位", "姓名")
    assert len(rows) == 1 + 8
    assert {r[0] for r in rows[1:]} == {"2026-03-04", "2026-03-11", "2026-03-18", "2026-03-25"}
    for person in duty.persons:  # names only: no phone numbers
        assert person.phone not in str(rows)


@pytest.mark.parametrize("persona", ["unit", "deputy", "leadership"])
def test_it_lets_nobody_else_solve_edit_or_publish(duty, persona):
    roster = make_roster(duty)
    t = duty.world.a
    user = {"unit": t.unit_staff, "deputy": t.deputy_user, "leadership": t.leadership}[persona]
    client = duty.world.client_for(user)
    for name in ("duty:roster_solve", "duty:roster_publish", "duty:roster_generate"):
        assert client.post(reverse(name, args=[roster.pk])).status_code == 404
    shift = roster.shifts.first()
    response = client.post(
        reverse("duty:shift_edit", args=[shift.pk]), {"op": "add", "member": duty.members[0].pk}
    )
    assert response.status_code == 404
    assert not Assignment.objects.exists()
    roster.refresh_from_db()
    assert roster.status == Roster.Status.DRAFT


def test_it_shows_a_deputy_a_published_roster_he_is_on(
    duty, station, django_capture_on_commit_callbacks
):
    roster = solve(station, make_roster(duty), django_capture_on_commit_callbacks)
    mine = Assignment.objects.filter(shift__roster=roster).first()
    deputy_client = duty.world.client_for(mine.person.account)
    from lianxin.accounts.models import Role
    from tests.factories import assign

    assign(mine.person.account, Role.DEPUTY)
    url = reverse("duty:roster_detail", args=[roster.pk])
    assert deputy_client.get(url).status_code == 404  # not yet published
    planning.roster_publish(actor=duty.actor("station"), roster=roster)
    page = deputy_client.get(url)
    assert page.status_code == 200
    assert "自动排班" not in page.content.decode()  # no staff buttons


def test_it_sends_anonymous_visitors_to_the_login_page(duty):
    from django.test import Client

    roster = make_roster(duty)
    response = Client().get(reverse("duty:roster_detail", args=[roster.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_puts_the_roster_list_in_the_navigation_of_those_who_run_duty(duty):
    labels = {
        persona: [
            item["label"] for group in nav_for(duty.actor(persona)) for item in group["items"]
        ]
        for persona in ("office", "station", "leadership", "unit", "deputy")
    }
    for persona in ("office", "station", "leadership"):
        assert "排班表" in [str(x) for x in labels[persona]]
    for persona in ("unit", "deputy"):
        assert "排班表" not in [str(x) for x in labels[persona]]
