"""Staff pages of the directory: list, detail, create, edit for every record, within reach."""

import pytest
from django.urls import reverse

from lianxin.accounts.models import Role

# (URL key, how to find the record of one township, list search that finds it)
RECORDS = {
    "congress": lambda w, x, t: w_t(w, t).congress,
    "term": lambda w, x, t: w_t(w, t).term,
    "session": lambda w, x, t: x[t].session,
    "body": lambda w, x, t: x[t].body,
    "bodymember": lambda w, x, t: x[t].seat,
    "workplan": lambda w, x, t: x[t].plan,
    "delegation": lambda w, x, t: x[t].delegation,
    "person": lambda w, x, t: w_t(w, t).deputy,
    "mandate": lambda w, x, t: x[t].mandate,
    "station": lambda w, x, t: w_t(w, t).station,
    "stationstaff": lambda w, x, t: x[t].staff,
    "stationmember": lambda w, x, t: x[t].membership,
    "unit": lambda w, x, t: w_t(w, t).unit,
    "unitcontact": lambda w, x, t: x[t].contact,
}


def w_t(world, t):
    return getattr(world, t)


@pytest.fixture
def office_a(world):
    return world.client_for(world.a.office, Role.OFFICE)


@pytest.mark.parametrize("key", RECORDS)
def test_it_lists_and_shows_records_of_the_office_township(world, extras, office_a, key):
    mine = RECORDS[key](world, extras, "a")
    theirs = RECORDS[key](world, extras, "b")
    listing = office_a.get(reverse(f"directory:{key}_list"))
    assert listing.status_code == 200
    detail_url = reverse(f"directory:{key}_detail", args=[mine.pk])
    assert detail_url in listing.content.decode()
    assert reverse(f"directory:{key}_detail", args=[theirs.pk]) not in listing.content.decode()
    detail = office_a.get(detail_url)
    assert detail.status_code == 200
    assert str(mine) in detail.content.decode() or mine.pk


@pytest.mark.parametrize("key", RECORDS)
def test_it_answers_404_for_another_townships_record_on_every_page(world, extras, office_a, key):
    theirs = RECORDS[key](world, extras, "b")
    for name in ("detail", "edit"):
        url = reverse(f"directory:{key}_{name}", args=[theirs.pk])
        assert office_a.get(url).status_code == 404
    edit = reverse(f"directory:{key}_edit", args=[theirs.pk])
    assert office_a.post(edit, {}).status_code == 404


@pytest.mark.parametrize("key", RECORDS)
def test_it_opens_the_create_and_edit_forms(world, extras, office_a, key):
    mine = RECORDS[key](world, extras, "a")
    assert office_a.get(reverse(f"directory:{key}_create")).status_code == 200
    assert office_a.get(reverse(f"directory:{key}_edit", args=[mine.pk])).status_code == 200


def test_it_shows_a_congress_with_its_terms_sessions_bodies_and_plans(world, extras, office_a):
    page = office_a.get(reverse("directory:congress_detail", args=[world.a.congress.pk]))
    html = page.content.decode()
    assert "第17届" in html
    assert "第1次会议" in html
    assert "主席团" in html
    assert "甲镇2026年代表工作计划" in html
    assert "乙镇" not in html


def test_it_creates_a_congress_term_and_session(world, office_a):
    from lianxin.directory.models import Session, Term

    term_url = reverse("directory:term_create")
    response = office_a.post(
        term_url,
        {"congress": world.a.congress.pk, "number": 18, "starts_on": "2026-10-01"},
    )
    assert response.status_code == 302
    term = Term.objects.get(congress=world.a.congress, number=18)
    response = office_a.post(
        reverse("directory:session_create"),
        {"term": term.pk, "number": 1, "starts_on": "2026-10-10", "ends_on": "2026-10-09"},
    )
    assert response.status_code == 200
    assert "结束日期不能早于开始日期。" in response.content.decode()
    assert not Session.objects.filter(term=term).exists()


def test_it_refuses_a_congress_in_another_township(world, office_a):
    from lianxin.directory.models import Term

    response = office_a.post(
        reverse("directory:term_create"),
        {"congress": world.b.congress.pk, "number": 18, "starts_on": "2026-10-01"},
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not Term.objects.filter(number=18).exists()


def test_it_keeps_what_was_typed_when_a_station_is_invalid(world, office_a):
    response = office_a.post(
        reverse("directory:station_create"),
        {"name": "新站点", "kind": "", "region": world.a.region.pk, "address": "幸福路8号"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "该字段是必填项。" in html
    assert "幸福路8号" in html


def test_it_creates_a_station_of_every_kind_under_a_parent(world, office_a):
    from lianxin.directory.models import Station

    for value, _label in Station.Kind.choices:
        response = office_a.post(
            reverse("directory:station_create"),
            {
                "name": f"站点{value}",
                "kind": value,
                "parent": world.a.station.pk,
                "region": world.a.village.pk,
                "is_active": "on",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    created = Station.objects.filter(parent=world.a.station, name__startswith="站点")
    assert created.count() == len(Station.Kind.choices)
    assert all(s.path.startswith(world.a.station.path) for s in created)


def test_it_filters_stations_by_kind(world, office_a):
    response = office_a.get(reverse("directory:station_list"), {"kind": "contact_room"})
    html = response.content.decode()
    assert world.a.room.name in html
    assert reverse("directory:station_detail", args=[world.a.station.pk]) not in html


def test_it_shows_the_station_tree_staff_and_deputies(world, office_a):
    html = office_a.get(reverse("directory:station_detail", args=[world.a.station.pk])).content
    html = html.decode()
    assert world.a.room.name in html  # child
    assert "a站长" in html
    assert "站长" in html
    room = office_a.get(reverse("directory:station_detail", args=[world.a.room.pk])).content
    assert world.a.station.name in room.decode()  # parent
    assert "a代表" in room.decode()


def test_it_shows_a_unit_with_its_sub_units_and_contacts(world, office_a):
    html = office_a.get(reverse("directory:unit_detail", args=[world.a.unit.pk])).content.decode()
    assert world.a.sub_unit.name in html
    assert "a联系人" in html


def test_it_publishes_a_work_plan(world, extras, office_a):
    plan = extras["a"].plan
    response = office_a.post(reverse("directory:workplan_publish", args=[plan.pk]))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "published"
    assert plan.published_at is not None
    other = extras["b"].plan
    assert office_a.post(reverse("directory:workplan_publish", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.status == "draft"


def test_it_searches_and_sorts_persons(world, office_a):
    from tests.factories import PersonFactory

    PersonFactory(name="王五", region=world.a.region)
    PersonFactory(name="王六", region=world.b.region)
    html = office_a.get(reverse("directory:person_list"), {"q": "王"}).content.decode()
    assert "王五" in html
    assert "王六" not in html
    assert "a代表" not in html
    sorted_page = office_a.get(reverse("directory:person_list"), {"sort": "-name"})
    assert sorted_page.status_code == 200


def test_it_shows_an_empty_state(world, office_a):
    html = office_a.get(reverse("directory:person_list"), {"q": "不存在的人"}).content.decode()
    assert "没有符合条件的记录" in html


def test_it_lets_leadership_read_but_not_edit(world, extras):
    client = world.client_for(world.a.leadership, Role.LEADERSHIP)
    assert client.get(reverse("directory:person_list")).status_code == 200
    url = reverse("directory:person_edit", args=[world.a.deputy.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("directory:congress_create")).status_code == 404


def test_it_keeps_the_filters_when_the_list_is_sorted(world):
    client = world.client_for(world.a.office)
    html = client.get("/staff/directory/persons/?q=代表&status=serving").content.decode()
    assert "?q=%E4%BB%A3%E8%A1%A8&amp;status=serving&amp;sort=" in html
