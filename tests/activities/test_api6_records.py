"""Issue 6 through the API (API-1): each record a deputy keeps — fixed voters (VOT-1), voter
contacts, reports to voters (VOT-2), good deeds (VOT-4), committee contacts (ORG-10) and
self-reported activities (PERF-3) — created with 201 (a QR sign-in, ACT-1, with 200) and then on his record (PERF-1); the
office's callback answers (VOT-1). Bad input answers 400 in Chinese and saves nothing; another
deputy's or township's records answer 403/404; voters' personal data reads back masked to
everyone but the deputy whose list it is (SEC-2)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from lianxin.accounts.models import Role
from lianxin.activities import events, voters
from lianxin.activities.duty import checkin
from lianxin.activities.models import Activity, Participant
from lianxin.activities.models.voters import (
    CallbackCall,
    CallbackSample,
    CommitteeContact,
    FixedVoter,
    GoodDeed,
    VoterContact,
    VoterReport,
)
from lianxin.directory.models import CommitteeLink
from tests.activities.conftest_events import activity, at
from tests.activities.conftest_voters import NOW, TODAY, add, office_actor
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture(autouse=True)
def _morning():
    with time_machine.travel(NOW, tick=False):
        yield


def _deputy(world, t=None):
    return world.client_for((t or world.a).deputy_user, Role.DEPUTY)


def _office(world, t=None):
    return world.client_for((t or world.a).office, Role.OFFICE)


def _station(world):
    return world.client_for(world.a.station_staff, Role.STATION)


def _record(world) -> str:
    """The deputy's own record on his phone (PERF-1)."""
    return _deputy(world).get("/m/record/?year=2026").content.decode()


def _post(client, url, body):
    return client.post(url, body, content_type=JSON)


# --- Fixed voters (VOT-1) --------------------------------------------------------------------


VOTER = {"name": "王大娘", "phone": "139 0000 1234", "address": "一组8号", "occupation": "农民"}


def test_a_deputy_adds_a_fixed_voter_by_the_api_and_reads_him_in_clear(world):
    response = _post(_deputy(world), "/api/v1/fixed-voters/",
                     {**VOTER, "region": world.a.village.pk})  # fmt: skip
    assert response.status_code == 201, response.content
    row = response.json()
    assert (row["name"], row["phone"], row["year"]) == ("王大娘", "13900001234", 2026)
    voter = FixedVoter.objects.get()
    assert voter.deputy == world.a.deputy and voter.phone == "13900001234"
    assert "建立2026年固定联系选民名单" in _record(world)
    mine = _deputy(world).get("/api/v1/fixed-voters/").json()["results"]
    assert [r["phone"] for r in mine] == ["13900001234"]


def test_the_office_reads_fixed_voters_masked_and_station_staff_none(world):
    add(world.a)
    office = _office(world).get("/api/v1/fixed-voters/")
    (row,) = office.json()["results"]
    assert row["phone"] == "138****0000" and row["name"] == "选**"
    body = office.content.decode()
    assert "13800000000" not in body and "选民0" not in body and "一组" not in body
    assert _station(world).get("/api/v1/fixed-voters/").json()["results"] == []
    assert _deputy(world, world.b).get("/api/v1/fixed-voters/").json()["results"] == []


def test_bad_voter_input_answers_in_chinese_and_saves_nothing(world):
    response = _post(_deputy(world), "/api/v1/fixed-voters/",
                     {"name": "", "phone": "555", "region": world.b.village.pk})  # fmt: skip
    assert response.status_code == 400
    text = response.content.decode()
    assert "请输入11位手机号码" in text and "请选择您所在区域内的村（社区）" in text
    assert not FixedVoter.objects.exists()
    staff = _post(_office(world), "/api/v1/fixed-voters/", {**VOTER, "region": world.a.village.pk})
    assert staff.status_code in (403, 404) and not FixedVoter.objects.exists()


def test_another_township_cannot_read_a_fixed_voter(world):
    (voter,) = add(world.a)
    assert _office(world, world.b).get(f"/api/v1/fixed-voters/{voter.pk}/").status_code == 404
    assert _deputy(world, world.b).get(f"/api/v1/fixed-voters/{voter.pk}/").status_code == 404


# --- Voter contacts (VOT-1) and good deeds (VOT-4) -------------------------------------------


def test_a_contact_and_a_deed_by_the_api_are_on_his_record(world):
    (voter,) = add(world.a)
    contact = _post(_deputy(world), "/api/v1/voter-contacts/", {
        "voter": voter.pk, "contacted_on": TODAY.isoformat(), "method": "phone",
        "content": "电话了解春耕用水", "opinions": "希望修渠",
    })  # fmt: skip
    assert contact.status_code == 201, contact.content
    deed = _post(_deputy(world), "/api/v1/good-deeds/", {
        "done_on": TODAY.isoformat(), "title": "修好村口路灯", "description": "协调供电所维修",
    })  # fmt: skip
    assert deed.status_code == 201, deed.content
    page = _record(world)
    assert "联系选民 · 电话联系" in page and "修好村口路灯" in page
    assert "选民0" not in page  # a contact is told by its method, never by whom (SEC-2)


def test_a_contact_with_another_deputy_s_voter_is_refused(world):
    (theirs,) = add(world.b)
    response = _post(_deputy(world), "/api/v1/voter-contacts/", {
        "voter": theirs.pk, "contacted_on": TODAY.isoformat(), "method": "visit", "content": "x",
    })  # fmt: skip
    assert response.status_code == 400 and "只能选择本人名单上的选民" in response.content.decode()
    assert not VoterContact.objects.exists()


def test_a_future_deed_is_refused(world):
    response = _post(_deputy(world), "/api/v1/good-deeds/",
                     {"done_on": "2026-04-01", "title": "x", "description": "y"})  # fmt: skip
    assert response.status_code == 400 and "办理日期不能晚于今天" in response.content.decode()
    assert not GoodDeed.objects.exists()


# --- Reports to voters (VOT-2) ---------------------------------------------------------------


REPORT = {
    "held_on": "2026-03-10", "place": "一村村委会", "report": "一年来的履职情况",
    "voters_present": 40, "satisfied": 30, "basically": 6, "dissatisfied": 2,
}  # fmt: skip


def test_a_deputy_reports_to_his_voters_by_the_api_with_the_tally(world):
    response = _post(_deputy(world), "/api/v1/voter-reports/", REPORT)
    assert response.status_code == 201, response.content
    row = response.json()
    assert row["votes"] == 38 and row["satisfaction_rate"] == 95
    assert VoterReport.objects.get().deputy == world.a.deputy
    page = _record(world)
    assert "向选民述职 · 一村村委会" in page and "满意30 基本满意6 不满意2" in page
    staff = _station(world).get("/api/v1/voter-reports/").json()["results"]
    assert [r["id"] for r in staff] == [row["id"]]
    assert _office(world, world.b).get(f"/api/v1/voter-reports/{row['id']}/").status_code == 404


def test_more_votes_than_voters_is_refused_and_staff_may_not_post_for_themselves(world):
    bad = _post(_deputy(world), "/api/v1/voter-reports/", {**REPORT, "voters_present": 10})
    assert bad.status_code == 400 and "测评票数不能多于参加选民人数" in bad.content.decode()
    staff = _post(_station(world), "/api/v1/voter-reports/", REPORT)
    assert staff.status_code == 403
    assert not VoterReport.objects.exists()


# --- Committee members' contacts (ORG-10) ----------------------------------------------------


@pytest.fixture
def link(world):
    t = world.a
    linked = PersonFactory(name="甲镇被联系代表", region=t.region)
    return CommitteeLink.objects.create(congress=t.congress, member=t.deputy, deputy=linked)


def test_a_member_records_a_contact_with_his_linked_deputy_by_the_api(world, link):
    response = _post(_deputy(world), "/api/v1/committee-contacts/", {
        "link": link.pk, "contacted_on": TODAY.isoformat(), "method": "visit",
        "content": "听取代表对预算的意见",
    })  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["linked_deputy_name"] == "甲镇被联系代表"
    assert CommitteeContact.objects.get().link == link
    assert "联系代表 甲镇被联系代表" in _record(world)


def test_a_contact_over_somebody_else_s_link_is_refused(world, link):
    other = _post(_deputy(world, world.b), "/api/v1/committee-contacts/", {
        "link": link.pk, "contacted_on": TODAY.isoformat(), "method": "visit", "content": "x",
    })  # fmt: skip
    assert other.status_code == 400  # not one of his links: an unknown id to him
    empty = _post(_deputy(world), "/api/v1/committee-contacts/", {
        "link": link.pk, "contacted_on": TODAY.isoformat(), "method": "visit", "content": " ",
    })  # fmt: skip
    assert empty.status_code == 400
    assert not CommitteeContact.objects.exists()


# --- The office's callbacks (VOT-1) ----------------------------------------------------------


def test_the_office_draws_the_month_s_sample_by_the_api_within_its_region(world):
    add(world.a, 3)
    add(world.b, 2, start=10)
    office = _office(world)
    response = _post(office, "/api/v1/callback-samples/", {"month": "2026-03-16", "size": 2})
    assert response.status_code == 201, response.content
    row = response.json()
    assert (row["month"], row["size"], row["calls"]) == ("2026-03-01", 2, 2)
    calls = CallbackCall.objects.filter(sample_id=row["id"])
    assert {c.voter.deputy_id for c in calls} == {world.a.deputy.pk}
    again = _post(office, "/api/v1/callback-samples/", {"month": "2026-03-01"})
    assert again.status_code == 409 and "已经抽取过" in again.content.decode()
    outside = _post(office, "/api/v1/callback-samples/",
                    {"month": "2026-02-01", "region": world.b.region.pk})  # fmt: skip
    assert outside.status_code == 400
    assert _station(world).get("/api/v1/callback-samples/").status_code == 404
    assert CallbackSample.objects.count() == 1


def test_the_office_records_a_callback_answer_by_the_api(world):
    add(world.a, 3)
    sample = voters.draw_sample(actor=office_actor(world.a), month=TODAY.replace(day=1), size=1)
    call = sample.calls.get()
    office = _office(world)
    rows = office.get("/api/v1/callback-calls/").json()["results"]
    assert [r["id"] for r in rows] == [call.pk]
    assert "****" in rows[0]["voter_phone"] and call.voter.phone not in str(rows)
    url = f"/api/v1/callback-calls/{call.pk}/answer/"
    bad = _post(office, url, {"outcome": "pending"})
    assert bad.status_code == 400 and "请选择回访结果" in bad.content.decode()
    response = _post(office, url, {"outcome": "confirmed", "satisfaction": "satisfied",
                                   "answer": "代表来过两次"})  # fmt: skip
    assert response.status_code == 200, response.content
    call.refresh_from_db()
    assert (call.outcome, call.satisfaction, call.answer) == (
        "confirmed",
        "satisfied",
        "代表来过两次",
    )


def test_nobody_else_answers_or_reads_the_office_s_calls(world):
    add(world.a)
    sample = voters.draw_sample(actor=office_actor(world.a), month=TODAY.replace(day=1), size=1)
    call = sample.calls.get()
    url = f"/api/v1/callback-calls/{call.pk}/answer/"
    for client in (_office(world, world.b), _deputy(world), _station(world)):
        assert _post(client, url, {"outcome": "confirmed"}).status_code in (403, 404)
        assert client.get("/api/v1/callback-calls/").status_code in (200, 403, 404)
    call.refresh_from_db()
    assert call.outcome == CallbackCall.Outcome.PENDING


# --- Self-reported activities (PERF-3) -------------------------------------------------------


SELF = {"kind": "constituency", "title": "走访一村困难户", "day": "2026-03-02", "place": "一村",
        "content": "走访三户"}  # fmt: skip


def test_a_deputy_reports_his_own_activity_by_the_api_pending_approval(world):
    response = _post(_deputy(world), "/api/v1/activity-self-reports/", SELF)
    assert response.status_code == 201, response.content
    row = response.json()
    assert row["approval"] == "pending" and row["counts"] is False
    activity = Activity.objects.get(pk=row["id"])
    assert activity.participants.get().person == world.a.deputy
    page = _record(world)
    assert "走访一村困难户" in page and "待审核" in page


def test_a_self_report_in_the_future_or_by_staff_is_refused(world):
    bad = _post(_deputy(world), "/api/v1/activity-self-reports/", {**SELF, "day": "2026-04-01"})
    assert bad.status_code == 400 and "活动日期不能晚于今天" in bad.content.decode()
    empty = _post(_deputy(world), "/api/v1/activity-self-reports/", {**SELF, "title": ""})
    assert empty.status_code == 400 and "title" in empty.json()["error"]["fields"]
    staff = _post(_station(world), "/api/v1/activity-self-reports/", SELF)
    assert staff.status_code in (403, 404)
    assert not Activity.objects.exists()


# --- Sign-in at an activity (ACT-1) ----------------------------------------------------------


def test_a_deputy_signs_in_by_the_api_and_a_stale_code_is_refused(world):
    a = activity(world.a, TODAY)
    moment = at(TODAY, 9, 40)
    stale = events.current_code(a, moment - dt.timedelta(minutes=3 * checkin.window_minutes()))
    with time_machine.travel(moment, tick=False):
        refused = _post(_deputy(world), "/api/v1/activity-sign-ins/",
                        {"key": a.public_key, "code": stale})  # fmt: skip
        assert refused.status_code == 400 and "签到码无效或已过期" in refused.content.decode()
        assert not a.participants.exists()
        response = _post(_deputy(world), "/api/v1/activity-sign-ins/",
                         {"key": a.public_key, "code": events.current_code(a, moment)})  # fmt: skip
        assert response.status_code == 200, response.content
        assert response.json()["outcome"] == "signed_in"
        staff = _post(_station(world), "/api/v1/activity-sign-ins/",
                      {"key": a.public_key, "code": events.current_code(a, moment)})  # fmt: skip
        assert staff.status_code == 404
    p = a.participants.get()
    assert p.person == world.a.deputy and p.attendance == Participant.Attendance.PRESENT
    with time_machine.travel(moment, tick=False):
        assert "小板凳议事" in _record(world)


def test_a_contact_s_free_text_is_masked_for_everyone_but_its_deputy(world):
    """SEC-2: a deputy may type his voter's name or phone into the contact; the office's list
    page and API read it masked, the deputy himself as typed."""
    (voter,) = add(world.a)
    typed = f"走访{voter.name}，她留了电话13912345678，身份证410423195001011234"
    response = _post(_deputy(world), "/api/v1/voter-contacts/", {
        "voter": voter.pk, "contacted_on": TODAY.isoformat(), "method": "visit",
        "content": typed, "opinions": "盼修路，联系13912345678",
    })  # fmt: skip
    assert response.status_code == 201, response.content
    mine = _deputy(world).get("/api/v1/voter-contacts/").json()["results"]
    assert mine[0]["content"] == typed
    office = _office(world)
    for body in (
        office.get("/staff/activities/voters/contacts/").content.decode(),
        str(office.get("/api/v1/voter-contacts/").json()),
    ):
        assert "13912345678" not in body and "410423195001011234" not in body
        assert str(voter.name) not in body
        assert "139******78" in body and "410*************34" in body
