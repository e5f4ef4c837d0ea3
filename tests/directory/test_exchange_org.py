"""Import and export of the ORG-5..9 and ORG-12 records (ORG-14): station staff in full (双站长,
advisers, 直报员), 进站方式, deputy groups, grids and the expert pool. The models' rules and the
ORG-9 actor rule come back from the dry run as bad rows in Chinese; every new kind has a template
and re-imports its own export without changes."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import actor_for
from lianxin.common import sheets
from lianxin.common.fields import blind_index
from lianxin.directory.exchange import services
from lianxin.directory.models import (
    Congress,
    DeputyGroup,
    Expert,
    ExpertAssignment,
    Grid,
    GridMember,
    GroupMembership,
    ImportJob,
    Mandate,
    Person,
    Station,
    StationMembership,
    StationStaff,
    Term,
)
from lianxin.regions.models import Region
from tests.factories import (
    MandateFactory,
    PersonFactory,
    RegionFactory,
    StationFactory,
    UserFactory,
    assign,
)

NEW_KINDS = ["group_members", "grid_members", "experts"]


def vid(n: int, region: str = "410425") -> str:
    body = f"{region}1975020{n:04d}"[:17]
    return body + sheets.id_number_check_digit(body)


def xlsx(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(actor, kind_key, rows, *, dry_run=True):
    kind = services.get_kind(kind_key)
    parsed = services.read_rows(kind, xlsx(rows), "表.xlsx")
    return services.run_rows(actor=actor, kind=kind, rows=parsed, dry_run=dry_run)


def deputy(world_township, n, *, region=None, term=None, name=None):
    person = PersonFactory(
        name=name or f"代表{n}",
        region=region or world_township.region,
        id_number=vid(n),
        id_number_index=blind_index(vid(n)),
    )
    MandateFactory(person=person, term=term or world_township.term)
    return person


def valid_world_ids(world):
    for n, person in enumerate(Person.objects.order_by("pk"), start=900):
        person.id_number = vid(n)
        person.id_number_index = blind_index(person.id_number)
        person.save()
    for township in (world.a, world.b):
        township.deputy.refresh_from_db()


@pytest.fixture
def office(world):
    return actor_for(world.a.office)


@pytest.fixture
def net(world):
    """甲镇 with an industry station, a legislative point, a county congress and a neighbour
    township (丙镇) of the same county."""
    valid_world_ids(world)
    a = world.a
    industry = StationFactory(
        name="甲镇红牛产业代表联络站", kind=Station.Kind.INDUSTRY, region=a.region, parent=a.station
    )
    legislative = StationFactory(
        name="甲镇基层立法联系点", kind=Station.Kind.LEGISLATIVE, region=a.region, parent=a.station
    )
    county_congress = Congress.objects.create(
        region=a.county, level=Congress.Level.COUNTY, name="郏县人民代表大会"
    )
    county_term = Term.objects.create(
        congress=county_congress, number=18, starts_on=datetime.date(2021, 10, 1), is_current=True
    )
    neighbour = RegionFactory(parent=a.county, name="丙镇", level=Region.Level.TOWNSHIP)
    county_office = UserFactory(username="jiaxian_office")
    assign(county_office, Role.OFFICE, region=a.county)
    return {
        "industry": industry,
        "legislative": legislative,
        "county_term": county_term,
        "neighbour": neighbour,
        "county_office": actor_for(county_office),
    }


# --- Station staff: every ORG-5 role and the 双站长 side ---------------------------------------


STAFF_HEADER = ["联络站", "姓名", "身份证号", "职务", "派出方", "开始日期"]


def test_it_imports_two_heads_advisers_and_direct_reporters(world, office, net):
    rows = [
        STAFF_HEADER,
        ["甲镇红牛产业代表联络站", "人大站长", vid(1), "站长", "人大方", "2024-01-01"],
        ["甲镇红牛产业代表联络站", "企业站长", vid(2), "站长", "驻站单位（企业）方", "2024-01-01"],
        ["甲镇红牛产业代表联络站", "法律顾问甲", vid(3), "法律顾问", "", "2024-01-01"],
        ["甲镇基层立法联系点", "直报员甲", vid(4), "直报员", "", "2024-01-01"],
        ["甲镇基层立法联系点", "采集员甲", vid(5), "信息采集员", "", "2024-01-01"],
        ["甲镇基层立法联系点", "立法顾问甲", vid(6), "立法顾问", "", "2024-01-01"],
    ]
    report = run(office, "station_staff", rows, dry_run=False)
    assert report.ok, report.errors
    heads = StationStaff.objects.filter(station=net["industry"], role="head")
    assert set(heads.values_list("person__name", "side")) == {
        ("人大站长", "congress"),
        ("企业站长", "host"),
    }
    assert set(
        StationStaff.objects.filter(station=net["legislative"]).values_list("role", flat=True)
    ) == {"direct_reporter", "info_collector", "legislative_adviser"}


def test_it_reports_staff_that_break_the_station_rules_and_writes_nothing(world, office, net):
    before = (StationStaff.objects.count(), Person.objects.count())
    rows = [
        STAFF_HEADER,
        [world.a.station.name, "直报员乙", vid(11), "直报员", "", ""],
        [world.a.station.name, "企业站长乙", vid(12), "站长", "企业方", ""],
        ["甲镇红牛产业代表联络站", "企业顾问", vid(13), "法律顾问", "驻站单位方", ""],
        [world.a.station.name, "第二站长", vid(14), "站长", "", ""],
        [world.a.station.name, "某人", vid(15), "站长", "对方", ""],
    ]
    report = run(office, "station_staff", rows, dry_run=False)
    reasons = dict(report.errors)
    assert sorted(reasons) == [2, 3, 4, 5, 6]
    assert "直报员和信息采集员只设在基层立法联系点" in reasons[2]
    assert "只有企业（产业）联络站和代表监督站实行“双站长”" in reasons[3]
    assert "驻站单位只能派出站长、副站长或联络员" in reasons[4]
    assert "该站点已有在任站长" in reasons[5]
    assert "派出方“对方”无法识别" in reasons[6]
    assert (StationStaff.objects.count(), Person.objects.count()) == before


# --- Station membership: 进站方式 and the ORG-7 rules ------------------------------------------


MEMBER_HEADER = ["联络站", "姓名", "身份证号", "进站方式", "进站日期"]


def test_it_imports_a_dual_membership_at_an_industry_station(world, office, net):
    a = world.a
    rows = [
        MEMBER_HEADER,
        ["甲镇红牛产业代表联络站", a.deputy.name, a.deputy.id_number, "双进站", "2024-03-01"],
    ]
    report = run(office, "station_members", rows, dry_run=False)
    assert report.ok, report.errors
    dual = StationMembership.objects.get(station=net["industry"])
    assert dual.kind == StationMembership.Kind.DUAL
    assert StationMembership.objects.get(station=a.room).kind == StationMembership.Kind.HOME


def test_it_reports_every_broken_membership_rule_in_chinese(world, office, net):
    a = world.a
    outsider = deputy(a, 21, region=net["neighbour"])  # lives in 丙镇, serves in 甲镇
    ended = deputy(a, 22)
    Mandate.objects.filter(person=ended).update(
        status=Mandate.Status.RESIGNED,
        ended_on=datetime.date(2024, 1, 1),
        end_reason=Mandate.EndReason.RESIGNATION,
    )
    fresh = deputy(a, 23)
    rows = [
        MEMBER_HEADER,
        [a.station.name, a.deputy.name, a.deputy.id_number, "属地进站", ""],  # a second home
        [a.station.name, fresh.name, fresh.id_number, "双进站", ""],  # dual at a township
        [a.station.name, outsider.name, outsider.id_number, "", ""],  # home outside his area
        [a.station.name, ended.name, ended.id_number, "属地进站", ""],  # no serving mandate
        [a.station.name, fresh.name, fresh.id_number, "进站", ""],
        ["甲镇红牛产业代表联络站", fresh.name, fresh.id_number, "双进站", ""],  # fine
    ]
    before = StationMembership.objects.count()
    report = run(office, "station_members", rows)
    reasons = dict(report.errors)
    assert sorted(reasons) == [2, 3, 4, 5, 6]
    assert "a代表 已在 甲镇一村联系群众工作室 属地进站" in reasons[2]
    assert "“双进站”只能进企业（产业）代表联络站" in reasons[3]
    assert "属地进站应进本人所在地区（丙镇）的联络站" in reasons[4]
    assert "只有在任的代表才能进站" in reasons[5]
    assert "进站方式“进站”无法识别" in reasons[6]
    assert StationMembership.objects.count() == before


def test_it_finds_a_second_home_station_within_the_same_sheet(world, office, net):
    fresh = deputy(world.a, 24)
    rows = [
        MEMBER_HEADER,
        [world.a.station.name, fresh.name, fresh.id_number, "属地进站", ""],
        [world.a.room.name, fresh.name, fresh.id_number, "属地进站", ""],
    ]
    report = run(office, "station_members", rows)
    assert [line for line, _reason in report.errors] == [3]
    assert "已在 甲镇代表联络站 属地进站" in report.errors[0][1]


# --- Deputy groups (ORG-8) -------------------------------------------------------------------


GROUP_HEADER = [
    "小组名称",
    "类型",
    "所在区域",
    "组建人大",
    "混合编组",
    "专业领域",
    "姓名",
    "身份证号",
    "职务",
    "开始日期",
]


def test_it_creates_groups_of_each_kind_with_leaders_and_members(world, office, net):
    a = world.a
    d1, d2, d3 = deputy(a, 31), deputy(a, 32), deputy(a, 33)
    county_only = deputy(a, 34, term=net["county_term"])
    rows = [
        GROUP_HEADER,
        ["甲镇第一代表小组", "块", "甲镇", "", "", "", d1.name, d1.id_number, "组长", "2024-01-01"],
        ["甲镇第一代表小组", "", "甲镇", "", "", "", d2.name, d2.id_number, "", "2024-01-01"],
        ["甲镇财经小组", "条", "甲镇", "乡镇", "否", "财经预算", d2.name, d2.id_number, "组长", ""],
        ["甲镇红牛产业链小组", "链", "甲镇", "甲镇人大", "是", "红牛养殖", d3.name, d3.id_number,
         "组长", ""],
        ["甲镇红牛产业链小组", "", "甲镇", "", "", "", county_only.name, county_only.id_number,
         "副组长", ""],
    ]  # fmt: skip
    report = run(office, "group_members", rows, dry_run=False)
    assert report.ok, report.errors
    assert report.created == 5
    first = DeputyGroup.objects.get(name="甲镇第一代表小组")
    assert (first.kind, first.congress, first.mixed_levels) == ("area", a.congress, False)
    assert first.memberships.get(position="leader").person == d1
    assert first.memberships.get(person=d2).position == GroupMembership.Position.MEMBER
    assert DeputyGroup.objects.get(name="甲镇财经小组").field == "财经预算"
    chain = DeputyGroup.objects.get(name="甲镇红牛产业链小组")
    assert chain.kind == "chain" and chain.mixed_levels
    assert chain.memberships.get(person=county_only).position == "vice_leader"


def test_it_reports_groups_that_break_the_org8_rules(world, office, net):
    a = world.a
    d1, d2 = deputy(a, 41), deputy(a, 42)
    county_only = deputy(a, 43, term=net["county_term"])
    rows = [
        GROUP_HEADER,
        ["甲镇第二代表小组", "块", "甲镇", "", "否", "", d1.name, d1.id_number, "组长", ""],
        ["甲镇第二代表小组", "", "甲镇", "", "", "", d2.name, d2.id_number, "组长", ""],
        ["甲镇第二代表小组", "", "甲镇", "", "", "", county_only.name, county_only.id_number,
         "组员", ""],
        ["甲镇农业小组", "条", "甲镇", "", "", "", d1.name, d1.id_number, "组员", ""],
        ["甲镇新小组", "", "甲镇", "", "", "", d1.name, d1.id_number, "组员", ""],
        ["甲镇第二代表小组", "链", "甲镇", "", "", "木业", d2.name, d2.id_number, "组员", ""],
        ["乙镇小组", "块", world.b.region.name, "", "", "", d1.name, d1.id_number, "", ""],
        ["甲镇第三小组", "块", "甲镇", "", "", "", world.b.deputy.name, world.b.deputy.id_number,
         "", ""],
    ]  # fmt: skip
    before = (DeputyGroup.objects.count(), GroupMembership.objects.count())
    report = run(office, "group_members", rows)
    reasons = dict(report.errors)
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9]
    assert "本小组已有组长" in reasons[3]
    assert "本小组不是混合编组，只能编入甲镇人民代表大会的代表" in reasons[4]
    assert "专业小组和产业链小组请填写专业领域或产业" in reasons[5]
    assert "新建小组“甲镇新小组”请填写类型" in reasons[6]
    assert "同一小组在第2行填写的类型" in reasons[7]
    assert "找不到区域“乙镇”" in reasons[8]
    assert "不在您的管辖范围内" in reasons[9]
    assert (DeputyGroup.objects.count(), GroupMembership.objects.count()) == before


# --- Grids (ORG-9) ---------------------------------------------------------------------------


GRID_HEADER = ["网格名称", "所在区域", "联络站", "姓名", "身份证号", "手机", "身份", "开始日期"]


def test_it_creates_a_grid_with_its_head_members_and_deputies(world, office, net):
    a = world.a
    d1 = deputy(a, 51)
    rows = [
        GRID_HEADER,
        ["甲镇一村第一网格", a.village.name, a.station.name, "网格长甲", vid(52), "13900000052",
         "网格长", "2024-01-01"],
        ["甲镇一村第一网格", a.village.name, "", "网格员甲", vid(53), "", "网格员", "2024-01-01"],
        ["甲镇一村第一网格", a.village.name, "", d1.name, d1.id_number, "", "联系代表", ""],
    ]  # fmt: skip
    report = run(office, "grid_members", rows, dry_run=False)
    assert report.ok, report.errors
    grid = Grid.objects.get(name="甲镇一村第一网格")
    assert grid.region == a.village and grid.station == a.station
    assert set(grid.members.values_list("person__name", "role")) == {
        ("网格长甲", "head"),
        ("网格员甲", "member"),
        (d1.name, "deputy"),
    }
    head = Person.objects.get(name="网格长甲")
    assert head.phone == "13900000052" and head.id_number_index == blind_index(vid(52))


def test_it_refuses_a_deputy_of_another_township_for_a_township_office(world, office, net):
    """ORG-9: the township office cannot place a deputy who belongs to 丙镇 in a grid of
    甲镇; the county office, which reaches both townships, can."""
    a = world.a
    outsider = deputy(a, 61, region=net["neighbour"])
    rows = [
        GRID_HEADER,
        ["甲镇一村第二网格", a.village.name, a.station.name, outsider.name, outsider.id_number, "",
         "联系代表", ""],
        ["甲镇一村第二网格", a.village.name, "", "双身份", vid(62), "", "网格吹哨", ""],
    ]  # fmt: skip
    report = run(office, "grid_members", rows)
    reasons = dict(report.errors)
    assert sorted(reasons) == [2, 3]
    assert f"{outsider.name} 不属于本网格所在的乡镇（街道）" in reasons[2]
    assert "跨乡镇编入网格须由同时管辖两地的人大机关工作人员办理" in reasons[2]
    assert "身份“网格吹哨”无法识别" in reasons[3]
    assert not Grid.objects.filter(name="甲镇一村第二网格").exists()

    report = run(net["county_office"], "grid_members", rows[:2], dry_run=False)
    assert report.ok, report.errors
    assert GridMember.objects.get(person=outsider).grid.name == "甲镇一村第二网格"


def test_it_refuses_a_grid_deputy_without_a_serving_mandate_and_a_second_head(world, office, net):
    a = world.a
    grid = Grid.objects.create(name="甲镇一村第三网格", region=a.village, station=a.station)
    GridMember.objects.create(grid=grid, person=a.deputy, role=GridMember.Role.HEAD)
    ended = deputy(a, 71)
    Mandate.objects.filter(person=ended).update(
        status=Mandate.Status.TERMINATED,
        ended_on=datetime.date(2024, 1, 1),
        end_reason=Mandate.EndReason.MOVED,
    )
    rows = [
        GRID_HEADER,
        ["甲镇一村第三网格", a.village.name, "", ended.name, ended.id_number, "", "联系代表", ""],
        ["甲镇一村第三网格", a.village.name, "", "新网格长", vid(72), "", "网格长", ""],
        ["甲镇网格", a.county.name, "", "某人", vid(73), "", "网格员", ""],
    ]
    reasons = dict(run(net["county_office"], "grid_members", rows).errors)
    assert "只有在任的代表才能编入网格联系群众" in reasons[2]
    assert "本网格已有网格长" in reasons[3]
    assert "网格应划在乡镇（街道）或村（社区）" in reasons[4]


def test_it_lets_station_staff_import_the_grids_of_their_station(world, net):
    a = world.a
    staff = actor_for(a.station_staff)
    member = deputy(a, 81)
    StationMembership.objects.create(station=a.station, person=member)
    rows = [
        GRID_HEADER,
        ["甲镇一村第四网格", a.village.name, a.station.name, member.name, member.id_number, "",
         "联系代表", ""],
        ["甲镇一村第五网格", a.village.name, "", member.name, member.id_number, "", "联系代表", ""],
        ["甲镇一村第四网格", a.village.name, "", "未登记", vid(82), "", "网格员", ""],
    ]  # fmt: skip
    report = run(staff, "grid_members", rows)
    reasons = dict(report.errors)
    assert sorted(reasons) == [3, 4]
    assert "只能保存您管辖范围内的记录" in reasons[3]
    assert "请先导入代表名册" in reasons[4]
    assert run(staff, "grid_members", rows[:2], dry_run=False).ok


# --- Experts (ORG-12) ------------------------------------------------------------------------


EXPERT_HEADER = ["姓名", "身份证号", "手机", "所属区域", "专业领域", "工作单位", "职称或执业资格", "派驻联络站"]  # fmt: skip


def test_it_imports_the_expert_pool_with_station_assignments(world, office, net):
    a = world.a
    rows = [
        EXPERT_HEADER,
        ["律师甲", vid(91), "13900000091", "甲镇", "律师", "某律师事务所", "律师",
         f"{a.station.name}、甲镇红牛产业代表联络站"],
        ["医生甲", vid(92), "", "甲镇", "医疗卫生", "镇卫生院", "主治医师", ""],
        ["律师乙", vid(93), "", "甲镇", "天文", "", "", world.b.station.name],
    ]  # fmt: skip
    report = run(office, "experts", rows)
    reasons = dict(report.errors)
    assert sorted(reasons) == [4]
    assert "专业领域“天文”无法识别" in reasons[4] and "不在您的管辖范围内" in reasons[4]
    report = run(office, "experts", rows[:3], dry_run=False)
    assert report.ok, report.errors
    lawyer = Expert.objects.get(person__name="律师甲")
    assert lawyer.field == Expert.Field.LAW and lawyer.region == a.region
    assert set(lawyer.assignments.values_list("station__name", flat=True)) == {
        a.station.name,
        "甲镇红牛产业代表联络站",
    }
    # Listing one more station adds an assignment and ends none.
    rows[1][-1] = "甲镇基层立法联系点"
    report = run(office, "experts", rows[:3], dry_run=False)
    assert (report.updated, report.unchanged) == (1, 1)
    assert ExpertAssignment.objects.filter(expert=lawyer, ends_on__isnull=True).count() == 3


# --- Round trips, templates, text cells ------------------------------------------------------


def _fill_everything(world, net):
    a = world.a
    d1, d2 = deputy(a, 101), deputy(a, 102)
    county_only = deputy(a, 103, term=net["county_term"])
    office = actor_for(a.office)
    StationMembership.objects.create(
        station=net["industry"], person=d1, kind=StationMembership.Kind.DUAL
    )
    StationStaff.objects.create(
        station=net["industry"], person=d2, role="head", side=StationStaff.Side.HOST
    )
    StationStaff.objects.create(station=net["legislative"], person=d1, role="direct_reporter")
    groups = [
        GROUP_HEADER,
        ["=甲镇混合小组", "块", "甲镇", "", "是", "", d1.name, d1.id_number, "组长", "2024-01-01"],
        ["=甲镇混合小组", "", "甲镇", "", "", "", county_only.name, county_only.id_number, "",
         "2024-01-01"],
        ["甲镇教科文卫小组", "条", "甲镇", "", "", "=教科文卫", d2.name, d2.id_number, "", ""],
    ]  # fmt: skip
    assert run(office, "group_members", groups, dry_run=False).ok
    ended = GroupMembership.objects.get(person=d2)
    ended.ends_on = datetime.date(2025, 1, 1)
    ended.starts_on = datetime.date(2024, 1, 1)
    ended.save()
    GroupMembership.objects.create(
        group=ended.group, person=d2, position="leader", starts_on=datetime.date(2025, 2, 1)
    )
    grids = [
        GRID_HEADER,
        ["甲镇一村第一网格", a.village.name, a.station.name, "网格长甲", vid(104), "", "网格长", ""],
        ["甲镇一村第一网格", a.village.name, "", d1.name, d1.id_number, "", "联系代表", ""],
    ]  # fmt: skip
    assert run(office, "grid_members", grids, dry_run=False).ok
    experts = [
        EXPERT_HEADER,
        ["律师甲", vid(105), "", "甲镇", "法律", "", "", f"{a.station.name}、甲镇基层立法联系点"],
        ["专家乙", vid(106), "", "甲镇", "农业农村", "", "", ""],
    ]
    assert run(office, "experts", experts, dry_run=False).ok


@pytest.mark.parametrize("kind", ["station_staff", "station_members", *NEW_KINDS])
def test_it_reimports_its_own_export_without_changes(
    world, net, kind, django_capture_on_commit_callbacks
):
    _fill_everything(world, net)
    client = world.client_for(world.a.office, Role.OFFICE)
    data = client.get(reverse("directory:exchange:export", args=[kind])).content
    rows = services.read_rows(services.get_kind(kind), data, "x.xlsx")
    assert len(rows) >= 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("directory:exchange:import"),
            {"kind": kind, "sheet": SimpleUploadedFile("export.xlsx", data)},
        )
    job = ImportJob.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert job.status == ImportJob.Status.CHECKED, job.errors
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, len(rows))


def test_it_exports_the_new_records_as_text_cells_and_keeps_equals_as_text(world, net):
    _fill_everything(world, net)
    client = world.client_for(world.a.office, Role.OFFICE)
    for kind in NEW_KINDS:
        data = client.get(reverse("directory:exchange:export", args=[kind])).content
        sheet = load_workbook(io.BytesIO(data)).worksheets[0]
        cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
        assert all(c.data_type == "s" and c.number_format == "@" for c in cells)
    data = client.get(reverse("directory:exchange:export", args=["group_members"])).content
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "=甲镇混合小组" in values and "=教科文卫" in values
    assert DeputyGroup.objects.filter(name="=甲镇混合小组").exists()


def test_it_masks_the_new_kinds_for_leadership(world, net):
    _fill_everything(world, net)
    leader = world.client_for(world.a.leadership, Role.LEADERSHIP)
    data = leader.get(reverse("directory:exchange:export", args=["grid_members"])).content
    rows = services.read_rows(services.get_kind("grid_members"), data, "x.xlsx")
    assert rows and all("*" in r.text("id_number") for r in rows)


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_it_serves_a_template_whose_example_row_passes_the_header_check(world, kind):
    client = world.client_for(world.a.office, Role.OFFICE)
    response = client.get(reverse("directory:exchange:template", args=[kind]))
    book = load_workbook(io.BytesIO(response.content))
    header = [c.value for c in book.worksheets[0][1]]
    assert header == services.get_kind(kind).headers()
    assert "身份证号" in header and "填表说明" in book.sheetnames
    rows = services.read_rows(services.get_kind(kind), response.content, "t.xlsx")
    assert rows[0].text("id_number") == "11010519491231002X"


def test_it_offers_the_new_kinds_on_the_import_page_by_role(world):
    office = world.client_for(world.a.office, Role.OFFICE)
    page = office.get(reverse("directory:exchange:import")).content.decode()
    assert all(f'<option value="{kind}"' in page for kind in NEW_KINDS)
    station = world.client_for(world.a.station_staff, Role.STATION)
    page = station.get(reverse("directory:exchange:import")).content.decode()
    assert '<option value="grid_members"' in page
    assert '<option value="group_members"' not in page and '<option value="experts"' not in page


def test_it_links_every_export_of_the_role_from_the_import_page(world):
    office = world.client_for(world.a.office, Role.OFFICE)
    page = office.get(reverse("directory:exchange:import")).content.decode()
    for kind in NEW_KINDS:
        assert reverse("directory:exchange:export", args=[kind]) in page
