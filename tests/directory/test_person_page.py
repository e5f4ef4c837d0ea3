"""The person page: profile, mandates with status and reason, personal data masked (SEC-2)."""

import datetime

import pytest
from django.urls import reverse

from lianxin.accounts.models import Role
from lianxin.audit.models import AuditEntry
from lianxin.directory.models import Mandate, Person
from tests.factories import MandateFactory, PersonFactory, TermFactory


@pytest.fixture
def office_a(world):
    return world.client_for(world.a.office, Role.OFFICE)


def test_it_shows_phone_and_id_number_masked(world, office_a):
    deputy = world.a.deputy
    html = office_a.get(reverse("directory:person_detail", args=[deputy.pk])).content.decode()
    assert deputy.phone not in html
    assert deputy.id_number not in html
    assert deputy.phone[:3] + "****" + deputy.phone[-4:] in html
    assert "显示" in html


def test_it_reveals_a_field_by_post_and_logs_the_reveal(world, office_a):
    deputy = world.a.deputy
    url = reverse("directory:person_reveal", args=[deputy.pk])
    response = office_a.post(url, {"field": "phone"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert deputy.phone in response.content.decode()
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REVEAL)
    assert entry.object_id == str(deputy.pk)
    assert entry.changes == {"field": "phone"}
    assert deputy.phone not in str(entry.changes)


def test_it_refuses_to_reveal_another_field_or_by_get(world, office_a):
    url = reverse("directory:person_reveal", args=[world.a.deputy.pk])
    assert office_a.post(url, {"field": "name"}).status_code == 404
    assert office_a.get(url).status_code == 405
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL).exists()


def test_it_refuses_to_reveal_another_townships_person(world, office_a):
    url = reverse("directory:person_reveal", args=[world.b.deputy.pk])
    assert office_a.post(url, {"field": "phone"}).status_code == 404
    assert not AuditEntry.objects.exists() or not AuditEntry.objects.filter(action="reveal")


def test_it_lets_station_staff_see_their_deputies_but_not_personal_data(world):
    client = world.client_for(world.a.station_staff, Role.STATION)
    deputy = world.a.deputy
    html = client.get(reverse("directory:person_detail", args=[deputy.pk])).content.decode()
    assert deputy.name in html
    assert deputy.phone not in html
    assert deputy.id_number not in html
    assert f"directory/persons/{deputy.pk}/reveal/" not in html
    url = reverse("directory:person_reveal", args=[deputy.pk])
    assert client.post(url, {"field": "phone"}).status_code == 404


def test_it_lets_station_staff_see_a_higher_deputy_sitting_in_their_station(world):
    from lianxin.directory.models import StationMembership

    county_term = TermFactory(
        congress__region=world.a.county, congress__level=3, congress__name="郏县人民代表大会"
    )
    county_deputy = MandateFactory(term=county_term, person__name="县级代表").person
    StationMembership.objects.create(station=world.a.room, person=county_deputy)
    client = world.client_for(world.a.station_staff, Role.STATION)
    listing = client.get(reverse("directory:person_list")).content.decode()
    assert "县级代表" in listing
    page = client.get(reverse("directory:person_detail", args=[county_deputy.pk]))
    assert page.status_code == 200
    assert county_deputy.phone not in page.content.decode()
    other = world.client_for(world.b.station_staff, Role.STATION)
    assert other.get(reverse("directory:person_detail", args=[county_deputy.pk])).status_code == 404


def test_it_shows_a_deputy_his_own_record_only(world):
    client = world.client_for(world.a.deputy_user, Role.DEPUTY)
    listing = client.get(reverse("directory:person_list")).content.decode()
    assert "a代表" in listing
    assert "a站长" not in listing
    assert (
        client.get(reverse("directory:person_detail", args=[world.a.deputy.pk])).status_code == 200
    )
    for other in (world.b.deputy, Person.objects.get(name="a站长")):
        assert client.get(reverse("directory:person_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("directory:person_edit", args=[world.a.deputy.pk])).status_code == 404


def test_it_lets_unit_staff_see_only_their_unit_tree(world):
    client = world.client_for(world.a.unit_staff, Role.UNIT)
    listing = client.get(reverse("directory:unit_list")).content.decode()
    assert world.a.unit.name in listing
    assert world.a.sub_unit.name in listing
    assert world.b.unit.name not in listing
    assert client.get(reverse("directory:unit_detail", args=[world.b.unit.pk])).status_code == 404
    assert client.get(reverse("directory:station_list")).content.decode().count("<tr>") == 0
    assert (
        client.get(reverse("directory:person_detail", args=[world.a.deputy.pk])).status_code == 404
    )


def test_it_lists_mandates_with_status_and_reason_and_shows_participants(world, office_a):
    person = PersonFactory(name="议政者", region=world.a.region)
    term_16 = TermFactory(congress=world.a.congress, number=16, is_current=False)
    MandateFactory(person=person, term=world.a.term, kind=Mandate.Kind.PARTICIPANT)
    MandateFactory(
        person=person,
        term=term_16,
        status=Mandate.Status.TERMINATED,
        ended_on=datetime.date(2020, 5, 1),
        end_reason=Mandate.EndReason.MOVED,
        started_on=datetime.date(2016, 10, 1),
    )
    html = office_a.get(reverse("directory:person_detail", args=[person.pk])).content.decode()
    assert "议政代表" in html
    assert "终止" in html
    assert "迁出或调离本行政区域" in html
    assert "2020-05-01" in html


def test_it_filters_persons_by_status_level_and_kind(world, office_a):
    person = PersonFactory(name="议政者", region=world.a.region)
    MandateFactory(person=person, term=world.a.term, kind=Mandate.Kind.PARTICIPANT)
    gone = PersonFactory(name="离任者", region=world.a.region)
    MandateFactory(
        person=gone,
        term=TermFactory(congress=world.a.congress, number=16, is_current=False),
        status=Mandate.Status.RESIGNED,
        ended_on=datetime.date(2020, 5, 1),
        end_reason=Mandate.EndReason.RESIGNATION,
    )
    url = reverse("directory:person_list")
    participants = office_a.get(url, {"kind": "participant"}).content.decode()
    assert "议政者" in participants and "a代表" not in participants
    ended = office_a.get(url, {"status": "ended"}).content.decode()
    assert "离任者" in ended and "a代表" not in ended
    serving = office_a.get(url, {"status": "serving", "level": "4"}).content.decode()
    assert "a代表" in serving and "离任者" not in serving
    county = office_a.get(url, {"level": "3"}).content.decode()
    assert "a代表" not in county


def test_it_ends_a_mandate_with_reason_and_date(world, office_a):
    mandate = world.a.deputy.mandates.get()
    url = reverse("directory:mandate_end", args=[mandate.pk])
    bad = office_a.post(url, {"ended_on": "2020-01-01", "reason": "resignation"})
    assert "终止日期不能早于任职日期。" in bad.content.decode()
    response = office_a.post(
        url, {"ended_on": "2026-03-01", "reason": "resignation", "note": "本人申请"}
    )
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.RESIGNED
    assert mandate.ended_on == datetime.date(2026, 3, 1)
    assert mandate.end_note == "本人申请"
    assert office_a.get(url).status_code == 404  # no longer serving


def test_it_does_not_end_another_townships_mandate(world, office_a):
    mandate = world.b.deputy.mandates.get()
    url = reverse("directory:mandate_end", args=[mandate.pk])
    assert office_a.post(url, {"ended_on": "2026-03-01", "reason": "death"}).status_code == 404
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.SERVING


def test_it_creates_a_person_with_valid_personal_data_only(world, office_a):
    url = reverse("directory:person_create")
    data = {"name": "新代表", "region": world.a.region.pk, "phone": "12345", "id_number": "123"}
    html = office_a.post(url, data).content.decode()
    assert "请输入11位手机号码。" in html
    assert "身份证号不正确" in html
    data.update(phone="13912345678", id_number="11010519491231002X")
    assert office_a.post(url, data).status_code == 302
    person = Person.objects.get(name="新代表")
    assert person.phone == "13912345678"
    raw = Person.objects.filter(pk=person.pk).values_list("phone", flat=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM directory_person WHERE id = %s", [person.pk])
        assert cursor.fetchone()[0] != "13912345678"
    assert raw


def test_it_keeps_stored_personal_data_when_the_edit_leaves_it_empty(world, office_a):
    deputy = world.a.deputy
    url = reverse("directory:person_edit", args=[deputy.pk])
    form = office_a.get(url).content.decode()
    assert deputy.phone not in form
    assert deputy.id_number not in form
    response = office_a.post(
        url, {"name": "a代表", "region": world.a.region.pk, "work_unit": "新单位"}
    )
    assert response.status_code == 302
    deputy.refresh_from_db()
    assert deputy.work_unit == "新单位"
    assert deputy.phone.startswith("139")


def test_it_requires_a_region_for_a_new_person(world, office_a):
    html = office_a.post(reverse("directory:person_create"), {"name": "无地区"}).content.decode()
    assert "该字段是必填项。" in html


def test_it_lists_what_each_person_serves_as(world, office_a):
    county_term = TermFactory(
        congress__region=world.a.county, congress__level=3, congress__name="郏县人民代表大会"
    )
    MandateFactory(person=world.a.deputy, term=county_term)
    person = PersonFactory(name="议政者", region=world.a.region)
    MandateFactory(person=person, term=world.a.term, kind=Mandate.Kind.PARTICIPANT)
    html = office_a.get(reverse("directory:person_list")).content.decode()
    assert "县人大代表" in html and "乡镇人大代表" in html
    assert "乡镇议政代表" in html
