"""The voters pages (VOT-1, VOT-4, UI.md): the deputy's phone pages under /m/voters/, the
office's callback sheet, the staff's contacts (voters masked) and good-deed confirmation; and
the API (API-1): each record created from a phone page and from the API."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from lianxin.accounts.models import Role
from lianxin.activities import voters
from lianxin.activities.models.voters import CallbackSample, FixedVoter, GoodDeed, VoterContact
from lianxin.audit.models import AuditEntry
from tests.activities.conftest_voters import NOW, TODAY, add, category, deputy_actor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _morning():
    with time_machine.travel(NOW, tick=False):
        yield


def _phone(world, t=None):
    return world.client_for((t or world.a).deputy_user, Role.DEPUTY)


def test_the_deputy_adds_a_voter_on_his_phone_and_sees_the_quota(world):
    phone = _phone(world)
    page = phone.get("/m/voters/").content.decode()
    assert "已确定 0/10" in page
    response = phone.post(reverse("mobile:voter_new"), {
        "name": "李大爷", "phone": "139 1234 5678", "region": world.a.village.pk,
        "address": "一组5号", "occupation": "农民",
    })  # fmt: skip
    assert response.status_code == 302
    voter = FixedVoter.objects.get()
    assert (voter.name, voter.phone, voter.year) == ("李大爷", "13912345678", 2026)
    page = phone.get("/m/voters/").content.decode()
    assert "已确定 1/10" in page and "李大爷" in page


def test_bad_input_shows_chinese_messages_and_changes_nothing(world):
    response = _phone(world).post(reverse("mobile:voter_new"), {
        "name": "", "phone": "555", "region": world.b.village.pk,
    })  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200 and "保存未成功" in html
    assert "此项为必填项" in html and "请选择您所在区域内的村（社区）" in html
    assert not FixedVoter.objects.exists()


def test_he_edits_and_takes_a_voter_off_his_list_but_not_another_s(world):
    (voter,) = add(world.a)
    (theirs,) = add(world.b)
    phone = _phone(world)
    url = reverse("mobile:voter_edit", args=[voter.pk])
    phone.post(url, {"name": "王婶", "phone": "13800000009", "region": world.a.village.pk})
    assert FixedVoter.objects.get(pk=voter.pk).name == "王婶"
    phone.post(url, {"active": "0"})
    assert not FixedVoter.objects.get(pk=voter.pk).is_active
    assert phone.get(reverse("mobile:voter_edit", args=[theirs.pk])).status_code == 404


def test_he_records_a_contact_in_one_page_and_files_the_opinion_as_a_case(world):
    (voter,) = add(world.a)
    phone = _phone(world)
    form = phone.get(reverse("mobile:voter_contact_new") + f"?voter={voter.pk}")
    assert TODAY.isoformat() in form.content.decode()  # the date defaults to today
    response = phone.post(reverse("mobile:voter_contact_new"), {
        "voter": voter.pk, "contacted_on": TODAY.isoformat(), "method": "visit",
        "content": "入户走访", "opinions": "希望修一条排水沟", "to_case": "on",
        "category": category(world.a).pk,
    })  # fmt: skip
    assert response.status_code == 302
    contact = VoterContact.objects.get()
    assert contact.case is not None and contact.case.channel == "visit"
    page = phone.get("/m/voters/").content.decode()
    assert "入户走访" in page and contact.case.number in page


def test_station_staff_see_the_contacts_of_their_deputies_with_voters_masked(world):
    (voter,) = add(world.a)
    voters.record_contact(actor=deputy_actor(world.a), voter=voter, contacted_on=TODAY,
                          method="visit", content="入户走访")  # fmt: skip
    staff = world.client_for(world.a.station_staff, Role.STATION)
    html = staff.get(reverse("activities:voter_contacts")).content.decode()
    assert "入户走访" in html and "选民0" not in html and "13800000000" not in html
    other = world.client_for(world.b.station_staff, Role.STATION)
    assert "入户走访" not in other.get(reverse("activities:voter_contacts")).content.decode()
    assert staff.get(reverse("activities:voter_callbacks")).status_code in (403, 404)


def test_good_deeds_recorded_on_the_phone_and_confirmed_by_the_station(world):
    phone = _phone(world)
    phone.post(reverse("mobile:voter_deeds"), {
        "done_on": TODAY.isoformat(), "title": "修好路灯", "description": "协调电工修好五盏路灯",
    })  # fmt: skip
    deed = GoodDeed.objects.get()
    assert deed.status == "pending" and deed.deputy == world.a.deputy
    staff = world.client_for(world.a.station_staff, Role.STATION)
    assert "修好路灯" in staff.get(reverse("activities:voter_deeds")).content.decode()
    staff.post(reverse("activities:voter_deeds"), {"deed": deed.pk, "decision": "confirm"})
    assert GoodDeed.objects.get().status == "confirmed"
    assert "已确认 1/2" in phone.get(reverse("mobile:voter_deeds")).content.decode()
    other = world.client_for(world.b.station_staff, Role.STATION)
    assert other.post(reverse("activities:voter_deeds"), {"deed": deed.pk}).status_code == 404


def test_the_office_draws_a_sample_and_records_calls_on_the_sheet(world):
    add(world.a, 2)
    office = world.client_for(world.a.office, Role.OFFICE)
    response = office.post(reverse("activities:voter_callbacks"), {"month": "2026-03", "size": ""})
    sample = CallbackSample.objects.get()
    assert response.status_code == 302 and sample.size == 1
    again = office.post(reverse("activities:voter_callbacks"), {"month": "2026-03"})
    assert "已经抽取过" in again.content.decode() and CallbackSample.objects.count() == 1
    sheet = office.get(reverse("activities:voter_callback", args=[sample.pk])).content.decode()
    call = sample.calls.get()
    assert str(call.voter.phone) in sheet  # the caller needs it, audited as a reveal
    assert AuditEntry.objects.filter(action="reveal", object_id=str(call.voter.pk)).exists()
    office.post(reverse("activities:voter_callback", args=[sample.pk]), {
        "call": call.pk, "outcome": "denied", "satisfaction": "dissatisfied", "answer": "没见过",
    })  # fmt: skip
    call.refresh_from_db()
    assert (call.outcome, call.answer) == ("denied", "没见过")
    other = world.client_for(world.b.office, Role.OFFICE)
    assert other.get(reverse("activities:voter_callback", args=[sample.pk])).status_code == 404


def test_contacts_and_deeds_created_through_the_api_for_the_deputy_himself(world):
    (voter,) = add(world.a)
    api = _phone(world)
    response = api.post("/api/v1/voter-contacts/", {
        "voter": voter.pk, "contacted_on": TODAY.isoformat(), "method": "phone",
        "content": "电话回访", "deputy": world.b.deputy.pk, "case": 1,
    }, content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.content
    assert VoterContact.objects.get().deputy == world.a.deputy
    response = api.post("/api/v1/good-deeds/", {
        "done_on": TODAY.isoformat(), "title": "送米", "description": "给困难户送米",
        "status": "confirmed",
    }, content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.content
    assert GoodDeed.objects.get().status == "pending"
    bad = api.post("/api/v1/voter-contacts/", {
        "contacted_on": (TODAY + dt.timedelta(days=3)).isoformat(), "method": "phone",
        "content": "x",
    }, content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and VoterContact.objects.count() == 1
    staff = world.client_for(world.a.station_staff, Role.STATION)
    assert len(staff.get("/api/v1/voter-contacts/").json()["results"]) == 1
    denied = staff.post("/api/v1/good-deeds/", {
        "done_on": TODAY.isoformat(), "title": "x", "description": "y",
    }, content_type="application/json")  # fmt: skip
    assert denied.status_code in (403, 404) and GoodDeed.objects.count() == 1
    other = _phone(world, world.b)
    assert other.get("/api/v1/voter-contacts/").json()["results"] == []


def test_the_office_reveals_a_voter_on_purpose_and_the_reveal_is_audited(world):
    (voter,) = add(world.a)
    contact = voters.record_contact(actor=deputy_actor(world.a), voter=voter, contacted_on=TODAY,
                                    method="visit", content="入户走访")  # fmt: skip
    office = world.client_for(world.a.office, Role.OFFICE)
    url = reverse("activities:voter_contacts")
    assert "选民0" not in office.get(url).content.decode()
    html = office.post(url, {"contact": contact.pk}).content.decode()
    assert "选民0" in html and "13800000000" in html
    assert AuditEntry.objects.filter(action="reveal", object_id=str(voter.pk)).count() == 2
    staff = world.client_for(world.a.station_staff, Role.STATION)
    assert staff.post(url, {"contact": contact.pk}).status_code == 404
