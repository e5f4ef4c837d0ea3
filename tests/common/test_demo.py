"""The demo dataset: idempotent, complete enough to try every role (issue 2 item 10)."""

import time

import pytest
from django.core.management import call_command

from lianxin.accounts.models import Role, User
from lianxin.accounts.permissions import actor_for, scope
from lianxin.common.demo import DEMO_PASSWORD, demo_logins, load_demo
from lianxin.directory.models import (
    Body,
    Congress,
    Delegation,
    HandlingUnit,
    Mandate,
    Person,
    Station,
    StationMembership,
    StationStaff,
    WorkPlan,
)
from lianxin.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    started = time.monotonic()
    created = load_demo()
    return created, time.monotonic() - started


def test_it_adds_nothing_on_a_second_run(demo):
    created, _ = demo
    assert created > 1000
    counts = [m.objects.count() for m in (Person, Mandate, Station, HandlingUnit, User, Region)]
    assert load_demo() == 0
    assert counts == [
        m.objects.count() for m in (Person, Mandate, Station, HandlingUnit, User, Region)
    ]


def test_it_loads_quickly(demo):
    _, seconds = demo
    assert seconds < 10


def test_it_holds_three_counties_with_townships_and_villages(demo):
    for code, town in [("410425", "安良镇"), ("410928", "庆祖镇"), ("411323", "丁河镇")]:
        county = Region.objects.get(code=code)
        townships = Region.objects.filter(parent=county)
        assert 3 <= townships.count() <= 4
        assert townships.filter(name=town).exists()
        for township in townships:
            assert 2 <= Region.objects.filter(parent=township).count() <= 3
        congress = Congress.objects.get(region=county, level=Congress.Level.COUNTY)
        term = congress.current_term()
        assert term is not None and term.sessions.count() >= 4
        bodies = set(Body.objects.filter(congress=congress).values_list("name", flat=True))
        assert {"常务委员会", "代表工作委员会", "选举任免联络工作委员会"} <= bodies
        assert Body.objects.get(congress=congress, name="常务委员会").memberships.count() >= 8
        assert WorkPlan.objects.filter(congress=congress, status="published").exists()
    presidium = Body.objects.get(congress__region__name="安良镇", kind=Body.Kind.PRESIDIUM)
    assert presidium.memberships.filter(position="主席").exists()


def test_it_holds_a_few_hundred_deputies_at_several_levels(demo):
    assert 250 <= Person.objects.count() <= 400
    assert Mandate.objects.filter(kind=Mandate.Kind.PARTICIPANT).count() >= 10
    multi = [p for p in Person.objects.all() if p.mandates.count() >= 2]
    assert len(multi) >= 20
    levels = set(Mandate.objects.values_list("term__congress__level", flat=True))
    assert levels == {1, 2, 3, 4}
    ended = Mandate.objects.exclude(status=Mandate.Status.SERVING)
    assert ended.count() >= 2
    assert all(m.end_reason and m.ended_on for m in ended)
    assert Delegation.objects.filter(term__congress__region__code="410928").count() >= 5
    provincial = Mandate.objects.get(
        term__congress__level=Congress.Level.PROVINCE, person__region__parent__code="410425"
    )
    assert StationMembership.objects.filter(
        person=provincial.person, station__kind=Station.Kind.TOWNSHIP
    ).exists()


def test_it_has_stations_of_every_type_in_trees(demo):
    assert set(Station.objects.values_list("kind", flat=True)) == set(Station.Kind.values)
    supervision = Station.objects.get(kind=Station.Kind.SUPERVISION)
    assert "政务服务中心" in supervision.address
    assert supervision.region.code == "410928"
    general = Station.objects.get(name="郏县人大代表联络总站")
    township = Station.objects.get(name="安良镇人大代表联络站")
    assert township.parent == general
    assert Station.objects.filter(parent=township, kind=Station.Kind.CONTACT_ROOM).count() == 3
    assert set(StationStaff.objects.filter(station=township).values_list("role", flat=True)) == {
        "head",
        "deputy_head",
        "liaison",
    }
    # 全员进站: every serving deputy sits in a station
    serving = Person.objects.filter(mandates__status="serving", mandates__kind="deputy").distinct()
    seated = serving.filter(station_memberships__ends_on__isnull=True).distinct()
    assert seated.count() == serving.count()


def test_it_has_handling_units_of_every_kind_asked(demo):
    kinds = set(HandlingUnit.objects.values_list("kind", flat=True))
    assert {
        "government",
        "department",
        "window",
        "utility",
        "township_gov",
        "village",
        "court",
        "procuratorate",
        "supervisory",
    } <= kinds
    gov = HandlingUnit.objects.get(name="郏县人民政府")
    assert HandlingUnit.objects.filter(parent=gov, name__contains="住房和城乡建设局").exists()


def test_it_gives_one_person_three_roles(demo):
    user = User.objects.get(username="anliang_zhuxi")
    roles = set(user.assignments.values_list("role", flat=True))
    assert roles == {Role.OFFICE, Role.DEPUTY, Role.STATION}
    person = user.person
    assert person.mandates.filter(status="serving").exists()
    assert StationStaff.objects.filter(person=person, role="head").exists()
    assert user.check_password(DEMO_PASSWORD)


def test_it_has_a_login_for_every_role_that_reaches_its_own_records(demo):
    users = {u.username: u for u in User.objects.all()}
    assert {name for name, _ in demo_logins()} == set(users)
    for prefix in ("anliang", "dinghe"):
        for role in ("office", "station", "unit", "deputy", "leader"):
            assert f"{prefix}_{role}" in users
    assert {"sysadmin", "secadmin", "auditadmin", "jiaxian_office"} <= set(users)
    office = actor_for(users["anliang_office"])
    persons = scope(office, Person.objects.all())
    assert persons.exists()
    assert not persons.filter(region__parent__code="411323").exists()
    deputy = actor_for(users["dinghe_deputy"])
    assert scope(deputy, Station.objects.all()).exists()
    assert deputy.person_id is not None


def test_it_prints_each_login_with_its_role_label(capsys):
    call_command("print_logins", "--port", "8123")
    out = capsys.readouterr().out
    assert "anliang_zhuxi" in out and "一人三个角色" in out
    assert DEMO_PASSWORD in out
    assert "127.0.0.1:8123" in out
