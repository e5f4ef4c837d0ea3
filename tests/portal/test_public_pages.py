"""The citizens' public pages of a deputy and a station (ORG-13, ORG-7, SEC-6)."""

import datetime

import pytest
from django.test import Client

from lianxin.directory.models import Mandate, Person, StationMembership
from tests.factories import MandateFactory, PersonFactory, StationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deputy(world):
    person = world.a.deputy
    person.work_unit = "安良镇农业服务中心"
    person.title = "主任"
    person.public_phone = "0375-5123456"
    person.save()
    return person


def test_it_shows_a_deputy_page_without_login(client, world, deputy):
    response = client.get(f"/p/d/{deputy.public_key}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert deputy.name in html
    assert "甲镇第十七届人民代表大会代表" in html
    assert "安良镇农业服务中心" in html
    assert "0375-5123456" in html
    assert world.a.room.name in html
    assert "提意见建议" in html
    assert "查询办理进度" in html


def test_it_never_shows_a_deputys_personal_data(client, world, deputy):
    html = client.get(f"/p/d/{deputy.public_key}/").content.decode()
    assert deputy.phone not in html
    assert deputy.id_number not in html
    station_html = client.get(f"/p/s/{world.a.room.public_key}/").content.decode()
    assert deputy.name in station_html
    assert deputy.phone not in station_html
    assert deputy.id_number not in station_html


def test_it_sends_security_headers_on_public_pages(client, deputy):
    response = client.get(f"/p/d/{deputy.public_key}/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Frame-Options"] == "DENY"
    assert "noindex" in response["X-Robots-Tag"]


def test_it_answers_an_unknown_key_with_a_friendly_404(client, world):
    response = client.get("/p/d/AAAAAAAAAAAAAAAAAAAAAA/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    assert client.get("/p/s/AAAAAAAAAAAAAAAAAAAAAA/").status_code == 404
    assert client.get("/p/d/AAAAAAAAAAAAAAAAAAAAAA/qr.svg").status_code == 404


def test_it_gives_no_public_page_to_a_person_without_a_mandate(client, world):
    staff = Person.objects.get(name="a站长")
    assert client.get(f"/p/d/{staff.public_key}/").status_code == 404


def test_it_hides_the_work_unit_of_a_former_deputy_but_leads_to_his_station(client, world):
    former = PersonFactory(name="王前任", work_unit="某某公司", title="经理")
    MandateFactory(
        person=former,
        term=world.a.term,
        status=Mandate.Status.TERMINATED,
        ended_on=datetime.date(2024, 3, 1),
        end_reason=Mandate.EndReason.MOVED,
    )
    StationMembership.objects.create(
        station=world.a.room,
        person=former,
        starts_on=datetime.date(2022, 1, 1),
        ends_on=datetime.date(2024, 3, 1),
    )
    html = client.get(f"/p/d/{former.public_key}/").content.decode()
    assert "王前任" in html
    assert "已不再担任代表职务" in html
    assert "某某公司" not in html
    assert world.a.room.name in html
    assert f"/p/s/{world.a.room.public_key}/opinion/" in html


def test_it_shows_a_station_page_with_its_wall_of_deputies(client, world, deputy):
    room = world.a.room
    room.opening_hours = "每周三上午9:00-12:00"
    room.phone = "0375-5999999"
    room.save()
    html = client.get(f"/p/s/{room.public_key}/").content.decode()
    assert room.name in html
    assert "代表联系群众工作室" in html
    assert "每周三上午9:00-12:00" in html
    assert "0375-5999999" in html
    assert deputy.name in html
    assert "乡镇人大代表" in html
    assert f"/p/d/{deputy.public_key}/" in html
    assert world.a.station.name in html  # its parent station


def test_it_lists_a_higher_level_deputy_sitting_in_a_township_station(client, world):
    county_term = MandateFactory(
        term__congress__region=world.a.county,
        term__congress__level=3,
        term__congress__name="郏县人民代表大会",
    ).term
    provincial = PersonFactory(name="省代表甲")
    MandateFactory(person=provincial, term=county_term)
    StationMembership.objects.create(station=world.a.station, person=provincial)
    html = client.get(f"/p/s/{world.a.station.public_key}/").content.decode()
    assert "省代表甲" in html
    assert "县人大代表" in html


def test_it_leaves_deputies_who_left_the_station_off_its_wall(client, world):
    gone = PersonFactory(name="离站代表")
    MandateFactory(person=gone, term=world.a.term)
    StationMembership.objects.create(
        station=world.a.room,
        person=gone,
        starts_on=datetime.date(2022, 1, 1),
        ends_on=datetime.date(2023, 1, 1),
    )
    html = client.get(f"/p/s/{world.a.room.public_key}/").content.decode()
    assert "离站代表" not in html


def test_it_opens_the_opinion_form_from_a_deputys_and_a_stations_page(client, world, deputy):
    html = client.get(f"/p/d/{deputy.public_key}/opinion/").content.decode()
    assert 'data-testid="opinion-form"' in html
    assert deputy.name in html
    html = client.get(f"/p/s/{world.a.room.public_key}/opinion/").content.decode()
    assert 'data-testid="opinion-form"' in html and world.a.room.name in html


def test_it_explains_tracking_codes(client, deputy):
    html = client.get(f"/p/track/?d={deputy.public_key}").content.decode()
    assert "查询链接" in html and "查询密码" in html
    assert f"/p/d/{deputy.public_key}/" in html
    # only well-formed keys become a link back
    html = client.get("/p/track/?d=javascript:alert(1)").content.decode()
    assert "javascript:" not in html


def test_it_refuses_to_write_on_public_pages(client, deputy):
    assert client.post(f"/p/d/{deputy.public_key}/").status_code == 405


def test_it_answers_the_same_to_a_logged_in_staff_member(world, deputy):
    client = world.client_for(world.b.office)  # another county's office
    assert client.get(f"/p/d/{deputy.public_key}/").status_code == 200


def test_an_inactive_station_page_points_to_its_parent(client, world):
    room = StationFactory(parent=world.a.station, region=world.a.village, is_active=False)
    html = Client().get(f"/p/s/{room.public_key}/").content.decode()
    assert "已停止使用" in html
    assert world.a.station.name in html


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (10, "十"), (14, "十四"), (18, "十八"), (20, "二十"), (21, "二十一")]
)
def test_it_writes_term_numbers_in_chinese(n, text):
    from lianxin.portal.selectors import chinese_number

    assert chinese_number(n) == text
