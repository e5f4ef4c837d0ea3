"""The demo dataset: idempotent, complete enough to try every role (issue 2 item 10)."""

import time
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from lianxin.accounts.models import Role, User
from lianxin.accounts.permissions import actor_for, scope
from lianxin.common.demo import DEMO_PASSWORD, demo_logins, load_demo
from lianxin.directory.models import (
    Body,
    BodyMembership,
    Checklist,
    CommitteeLink,
    Congress,
    Delegation,
    DeputyGroup,
    Expert,
    ExpertAssignment,
    ExpertContribution,
    Grid,
    GridMember,
    GroupMembership,
    HandlingUnit,
    Inspection,
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
    assert 450 <= Person.objects.count() <= 560
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
        "special_adviser",
        "legal_adviser",
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


def test_it_satisfies_every_model_rule(demo):
    """The demo is what an office could have entered through the forms: clean() and the
    constraints hold for every membership, staff role, group, grid, link and expert, and for
    the standards and inspections."""
    broken = []
    for model in (
        StationMembership,
        StationStaff,
        DeputyGroup,
        GroupMembership,
        Grid,
        GridMember,
        CommitteeLink,
        Expert,
        ExpertAssignment,
        ExpertContribution,
        Checklist,
        Inspection,
    ):
        for obj in model.objects.select_related():
            try:
                # full_clean() without re-checking that stored foreign keys exist: the
                # model's own rules and its constraints.
                obj.clean()
                obj.validate_constraints()
            except ValidationError as exc:
                broken.append((model.__name__, str(obj), exc.messages))
    assert broken == []


def test_it_staffs_stations_in_full(demo):
    industry = Station.objects.get(name="郏县红牛产业代表联络站")
    heads = StationStaff.objects.filter(station=industry, role="head", ends_on__isnull=True)
    assert sorted(heads.values_list("side", flat=True)) == ["congress", "host"]  # 双站长
    legislative = Station.objects.get(kind=Station.Kind.LEGISLATIVE)
    roles = Counter(StationStaff.objects.filter(station=legislative).values_list("role", flat=True))
    assert roles["direct_reporter"] >= 2 and roles["info_collector"] >= 2
    assert roles["legislative_adviser"] == 1
    for kind in ("special_adviser", "legal_adviser"):
        assert StationStaff.objects.filter(role=kind, station__kind="township").count() == 12
    duals = StationMembership.objects.filter(kind=StationMembership.Kind.DUAL)
    assert duals.count() >= 10
    assert set(duals.values_list("station__kind", flat=True)) == {Station.Kind.INDUSTRY}
    # One home station per deputy (ORG-7).
    homes = Counter(
        StationMembership.objects.filter(kind="home", ends_on__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    assert max(homes.values()) == 1


def test_it_has_deputy_groups_of_every_kind_with_leaders(demo):
    assert set(DeputyGroup.objects.values_list("kind", flat=True)) == set(DeputyGroup.Kind.values)
    for group in DeputyGroup.objects.all():
        assert group.memberships.filter(position="leader").count() == 1, group
    mixed = DeputyGroup.objects.get(name="安良镇市县乡混合代表小组")
    assert mixed.mixed_levels
    levels = set(
        Mandate.objects.filter(
            person__group_memberships__group=mixed, status="serving"
        ).values_list("term__congress__level", flat=True)
    )
    assert {Congress.Level.CITY, Congress.Level.COUNTY, Congress.Level.TOWNSHIP} <= levels
    assert (
        mixed.memberships.get(position="leader")
        .person.mandates.filter(term__congress__level=Congress.Level.CITY)
        .exists()
    )
    chain = DeputyGroup.objects.get(kind="chain", region__parent__code="411323")
    assert chain.station.kind == Station.Kind.INDUSTRY and "香菇" in chain.field


def test_it_has_grids_and_standing_committee_links(demo):
    assert Grid.objects.count() >= 20
    for grid in Grid.objects.all():
        roles = Counter(grid.members.values_list("role", flat=True))
        assert roles["head"] == 1 and roles["member"] == 2, grid
    assert GridMember.objects.filter(role="deputy").count() >= 50
    # Each standing committee member links 4-6 deputies (ORG-10).
    for code in ("410425", "410928", "411323"):
        links = CommitteeLink.objects.filter(congress__region__code=code)
        per_member = Counter(links.values_list("member_id", flat=True))
        assert per_member and all(4 <= n <= 6 for n in per_member.values())
        seated = BodyMembership.objects.filter(
            body__congress__region__code=code, body__kind=Body.Kind.STANDING_COMMITTEE
        ).values_list("person_id", flat=True)
        assert set(per_member) <= set(seated)


def test_it_has_an_expert_pool_and_station_standards(demo):
    assert Expert.objects.count() >= 20
    assert set(Expert.objects.values_list("field", flat=True)) >= {"law", "agriculture"}
    assert ExpertAssignment.objects.filter(station__kind=Station.Kind.LEGISLATIVE).exists()
    assert ExpertContribution.objects.count() >= 30
    # Checklists 七有 and 八有, and inspections that scored stations against them (ORG-6).
    assert set(Checklist.objects.values_list("name", flat=True)) == {"七有", "八有"}
    assert Checklist.objects.get(name="八有").items.count() == 8
    assert Checklist.objects.get(name="七有", region__code="410425").items.count() == 7
    inspections = Inspection.objects.all()
    assert inspections.count() >= 6
    assert inspections.filter(passed=True).exists() and inspections.filter(passed=False).exists()
    for inspection in inspections:
        assert inspection.score == sum(inspection.scores.values_list("score", flat=True))
