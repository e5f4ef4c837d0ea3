"""QR posters and cards to print, singly and for a whole township (ORG-13 "codes print on
posters and cards"; ORG-7 deputies sitting in stations; SEC-1 reach; SEC-2/SEC-6 nothing
personal on paper)."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse

from lianxin.accounts.models import Role
from lianxin.directory import printing
from lianxin.directory.models import ImportJob, Mandate, Station, StationMembership
from tests.factories import MandateFactory, PersonFactory, StationFactory

NAME = re.compile(r'class="lx-(?:poster|card)-name">([^<]+)<')


def names(response):
    return NAME.findall(response.content.decode())


def count(response, css):
    """How many elements carry the CSS class ``css``."""
    classes = re.findall(r'class="([^"]*)"', response.content.decode())
    return sum(css in value.split() for value in classes)


def office(world):
    return world.client_for(world.a.office, Role.OFFICE)


def sit(station, **person_fields):
    """A serving deputy of the station's township congress sitting in ``station``."""
    person = PersonFactory(region=station.region, **person_fields)
    MandateFactory(person=person, term=station.congress.current_term())
    StationMembership.objects.create(station=station, person=person)
    return person


@pytest.fixture
def township(world):
    """Township a with more to print: a second station in its village, an inactive one, a
    deputy sitting in the station, a former deputy, a deputy who left his station, a
    议政代表; township b's records must never appear."""
    t = world.a
    t.station.opening_hours = "每周三上午9:00-12:00"
    t.station.phone = "0375-1234567"
    t.station.save()
    farm = StationFactory(
        region=t.village, parent=t.station, name="甲镇农家联络点", kind=Station.Kind.FARMHOUSE
    )
    closed = StationFactory(region=t.village, name="甲镇旧联络点", is_active=False)
    in_station = PersonFactory(name="甲站代表", region=t.region)
    MandateFactory(person=in_station, term=t.term)
    StationMembership.objects.create(station=t.station, person=in_station)
    participant = PersonFactory(name="甲议政代表", region=t.region)
    MandateFactory(person=participant, term=t.term, kind=Mandate.Kind.PARTICIPANT)
    StationMembership.objects.create(station=farm, person=participant)
    former = PersonFactory(name="甲前代表", region=t.region)
    MandateFactory(
        person=former,
        term=t.term,
        status=Mandate.Status.RESIGNED,
        ended_on=datetime.date(2024, 1, 1),
        end_reason=Mandate.EndReason.RESIGNATION,
    )
    StationMembership.objects.create(station=t.station, person=former)
    left = PersonFactory(name="甲离站代表", region=t.region)
    MandateFactory(person=left, term=t.term)
    StationMembership.objects.create(
        station=t.station,
        person=left,
        starts_on=datetime.date(2022, 1, 1),
        ends_on=datetime.date(2023, 1, 1),
    )
    in_closed = PersonFactory(name="甲停站代表", region=t.region)
    MandateFactory(person=in_closed, term=t.term)
    StationMembership.objects.create(station=closed, person=in_closed)
    return {
        "farm": farm,
        "closed": closed,
        "in_station": in_station,
        "participant": participant,
        "former": former,
        "left": left,
    }


# --- One deputy, one station -----------------------------------------------------------------


def test_it_prints_a_deputys_poster_with_his_mandate_station_and_code(world):
    deputy = world.a.deputy
    deputy.work_unit, deputy.title, deputy.public_phone = "甲镇中心学校", "校长", "0375-7654321"
    deputy.save()
    response = office(world).get(reverse("directory:person_poster", args=[deputy.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert count(response, "lx-poster") == 1
    assert names(response) == [deputy.name]
    assert "有事找代表" in html and "扫码反映意见建议" in html
    assert "甲镇第十七届人民代表大会代表" in html
    assert "甲镇中心学校 校长" in html and "0375-7654321" in html
    assert world.a.room.name in html
    assert html.count("<svg") == 1 and 'class="lx-qr-svg"' in html
    url = settings.PUBLIC_BASE_URL.rstrip("/") + reverse(
        "portal:deputy", kwargs={"key": deputy.public_key}
    )
    assert url in html
    assert "lx-nav" not in html  # a sheet of paper, no staff chrome


def test_it_prints_a_sheet_of_ten_cards_of_one_deputy(world):
    response = office(world).get(reverse("directory:person_card", args=[world.a.deputy.pk]))
    assert response.status_code == 200
    assert count(response, "lx-card-sheet") == 1
    assert count(response, "lx-card") == printing.CARDS_PER_SHEET
    assert names(response) == [world.a.deputy.name] * printing.CARDS_PER_SHEET
    assert "乡镇人大代表" in response.content.decode()


def test_it_prints_a_stations_poster_with_kind_address_hours_and_phone(world, township):
    station = world.a.station
    response = office(world).get(reverse("directory:station_poster", args=[station.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert names(response) == [station.name]
    for text in ("乡镇（街道）代表联络站", "测试路1号", "每周三上午9:00-12:00", "0375-1234567"):
        assert text in html
    url = settings.PUBLIC_BASE_URL.rstrip("/") + reverse(
        "portal:station", kwargs={"key": station.public_key}
    )
    assert url in html
    card = office(world).get(reverse("directory:station_card", args=[station.pk]))
    assert count(card, "lx-card") == printing.CARDS_PER_SHEET


def test_it_refuses_the_poster_of_a_former_deputy_or_a_closed_station(world, township):
    client = office(world)
    assert (
        client.get(reverse("directory:person_poster", args=[township["former"].pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("directory:station_card", args=[township["closed"].pk])).status_code
        == 404
    )


def test_it_never_prints_personal_data(world, township):
    deputy = world.a.deputy
    deputy.public_phone = "0375-7654321"
    deputy.save()
    client = office(world)
    pages = [
        client.get(reverse("directory:person_poster", args=[deputy.pk])),
        client.get(reverse("directory:person_card", args=[deputy.pk])),
        client.get(
            reverse("directory:print_codes"),
            {"region": world.a.region.pk, "layout": "poster", "whom": "both"},
        ),
    ]
    secrets = [p.phone for p in (deputy, township["in_station"])] + [
        p.id_number for p in (deputy, township["in_station"])
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        for secret in secrets:
            assert secret not in html
        assert "lx-poster" in html or "lx-card" in html
    assert "0375-7654321" in pages[0].content.decode()


# --- Reach -----------------------------------------------------------------------------------


def test_it_lets_station_staff_print_their_stations_and_the_deputies_sitting_there(world):
    client = world.client_for(world.a.station_staff, Role.STATION)
    for name, obj in (
        ("directory:person_poster", world.a.deputy),
        ("directory:station_poster", world.a.room),
    ):
        assert client.get(reverse(name, args=[obj.pk])).status_code == 200


def test_it_answers_404_to_station_staff_of_another_station(world):
    other = StationFactory(region=world.a.region, name="甲镇另一联络站", congress=world.a.congress)
    elsewhere = sit(other, name="甲另站代表")
    client = world.client_for(world.a.station_staff, Role.STATION)
    for name, obj in (
        ("directory:person_poster", elsewhere),
        ("directory:person_card", elsewhere),
        ("directory:station_poster", other),
        ("directory:station_card", other),
        ("directory:person_poster", world.b.deputy),
        ("directory:station_poster", world.b.station),
    ):
        assert client.get(reverse(name, args=[obj.pk])).status_code == 404, name


def test_it_answers_404_to_roles_that_do_not_print(world):
    for user, role in ((world.a.unit_staff, Role.UNIT), (world.a.deputy_user, Role.DEPUTY)):
        client = world.client_for(user, role)
        assert (
            client.get(reverse("directory:person_poster", args=[world.a.deputy.pk])).status_code
            == 404
        )
        assert client.get(reverse("directory:print_codes")).status_code == 404


def test_it_answers_404_for_a_region_outside_reach(world):
    response = office(world).get(
        reverse("directory:print_codes"),
        {"region": world.b.region.pk, "layout": "poster", "whom": "both"},
    )
    assert response.status_code == 404


# --- A whole township ------------------------------------------------------------------------


def bulk(client, region, layout="poster", whom="both", **extra):
    params = {"region": region.pk, "layout": layout, "whom": whom, **extra}
    return client.get(reverse("directory:print_codes"), params)


def expected_order(world, township, *, stations=True, deputies=True):
    """Each active station by path, then the serving deputies sitting in it by name."""
    t = world.a
    sitting = {
        t.station.pk: [township["in_station"]],
        t.room.pk: [t.deputy],
        township["farm"].pk: [township["participant"]],
    }
    order = []
    for station in Station.objects.filter(pk__in=sitting).order_by("path", "pk"):
        if stations:
            order.append(station.name)
        if deputies:
            order += [p.name for p in sorted(sitting[station.pk], key=lambda p: p.name)]
    return order


def test_it_prints_every_active_station_and_serving_deputy_of_a_township(world, township):
    response = bulk(office(world), world.a.region)
    assert response.status_code == 200
    printed = names(response)
    assert printed == expected_order(world, township)
    for absent in ("甲前代表", "甲离站代表", "甲停站代表", "甲镇旧联络点"):
        assert absent not in printed
    html = response.content.decode()
    for marker in (world.b.region.name, world.b.deputy.name, world.b.station.name):
        assert marker not in html
    assert count(response, "lx-poster") == len(printed)
    assert html.count("<svg") == len(printed)
    assert "联络站 3 个，在任代表 3 名" in html


def test_it_prints_cards_of_the_deputies_alone(world, township):
    response = bulk(office(world), world.a.region, layout="card", whom="deputies")
    assert names(response) == expected_order(world, township, stations=False)
    assert count(response, "lx-card") == 3
    assert count(response, "lx-card-sheet") == 1
    assert count(response, "lx-poster") == 0


def test_it_prints_the_stations_alone(world, township):
    response = bulk(office(world), world.a.region, whom="stations")
    assert names(response) == expected_order(world, township, deputies=False)


def test_it_prints_a_deputy_sitting_in_two_stations_once(world, township):
    StationMembership.objects.create(station=township["farm"], person=world.a.deputy)
    response = bulk(office(world), world.a.region, whom="deputies")
    assert names(response).count(world.a.deputy.name) == 1


def test_it_prints_for_station_staff_only_their_own_station_tree(world, township):
    other = StationFactory(region=world.a.region, name="甲镇另一联络站", congress=world.a.congress)
    sit(other, name="甲另站代表")
    client = world.client_for(world.a.station_staff, Role.STATION)
    response = bulk(client, world.a.region)
    printed = names(response)
    assert "甲镇另一联络站" not in printed and "甲另站代表" not in printed
    assert printed == expected_order(world, township)


def test_it_pages_a_large_print(world, township, monkeypatch):
    monkeypatch.setitem(printing.PER_PAGE, "poster", 4)
    client = office(world)
    first = bulk(client, world.a.region)
    second = bulk(client, world.a.region, page=2)
    assert len(names(first)) == 4
    assert names(first) + names(second) == expected_order(world, township)
    assert "第 1 页，共 2 页" in first.content.decode()


def test_it_shows_the_form_first_with_the_actors_own_region_chosen(world):
    response = office(world).get(reverse("directory:print_codes"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<option value="{world.a.region.pk}" selected>' in html
    assert world.b.region.name not in html
    assert "lx-poster" not in html


def grow(world, n):
    t = world.a
    for i in range(n):
        station = StationFactory(region=t.village, parent=t.station, congress=t.congress)
        for j in range(2):
            person = PersonFactory(region=t.region, name=f"增{i}代表{j}")
            MandateFactory(person=person, term=t.term)
            StationMembership.objects.create(station=station, person=person)


@pytest.mark.parametrize("layout", ["poster", "card"])
def test_it_keeps_the_bulk_queries_flat(world, layout, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = office(world)
    grow(world, 2)
    bulk(client, world.a.region, layout)  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        assert bulk(client, world.a.region, layout).status_code == 200
    grow(world, 10)
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        response = bulk(client, world.a.region, layout)
    assert len(names(response)) == 1 + 1 + 12 + 24 + 1  # stations and deputies of a


# --- Where the prints are found --------------------------------------------------------------


def test_it_offers_poster_and_card_buttons_on_record_pages(world):
    client = office(world)
    for detail, obj, prefix in (
        ("directory:person_detail", world.a.deputy, "person"),
        ("directory:station_detail", world.a.station, "station"),
    ):
        html = client.get(reverse(detail, args=[obj.pk])).content.decode()
        assert reverse(f"directory:{prefix}_poster", args=[obj.pk]) in html
        assert reverse(f"directory:{prefix}_card", args=[obj.pk]) in html
        assert "打印海报" in html and "打印卡片" in html
    staff_person = world.a.station_staff.person  # no mandate: no public page, nothing to print
    html = client.get(reverse("directory:person_detail", args=[staff_person.pk])).content.decode()
    assert "打印海报" not in html


def test_it_links_the_bulk_print_from_the_navigation_and_the_workbench(world):
    url = reverse("directory:print_codes")
    for user, role in (
        (world.a.office, Role.OFFICE),
        (world.a.station_staff, Role.STATION),
        (world.a.leadership, Role.LEADERSHIP),
    ):
        html = world.client_for(user, role).get(reverse("home")).content.decode()
        assert html.count(f'href="{url}"') >= 1, role
    html = world.client_for(world.a.unit_staff, Role.UNIT).get(reverse("home")).content.decode()
    assert url not in html


def test_it_links_the_bulk_print_from_a_finished_import(world):
    job = ImportJob.objects.create(
        kind="mandates",
        status=ImportJob.Status.DONE,
        created_by=world.a.office,
        assignment_id_used=world.a.office.assignments.get().pk,
        filename="代表名册.xlsx",
        content="",
        total_rows=1,
    )
    html = office(world).get(reverse("directory:exchange:job", args=[job.pk])).content.decode()
    assert reverse("directory:print_codes") in html
    assert "打印二维码海报和卡片" in html


def test_it_prints_the_deputys_own_poster_from_his_phone(world):
    client = world.client_for(world.a.deputy_user, Role.DEPUTY)
    response = client.get(reverse("mobile:qr_print"))
    assert response.status_code == 200
    assert count(response, "lx-poster") == 1
    assert names(response) == [world.a.deputy.name]
    assert reverse("mobile:me") in response.content.decode()
