"""Directory import and export (ORG-14): messy sheets, dry run, all or nothing, reach,
round trip, text-only exports, the job page."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import actor_for
from lianxin.audit.models import AuditEntry
from lianxin.common import sheets
from lianxin.common.fields import blind_index
from lianxin.directory.exchange import services
from lianxin.directory.models import (
    HandlingUnit,
    ImportJob,
    Mandate,
    Person,
    Station,
    StationMembership,
    StationStaff,
)


def vid(n: int, region: str = "410425") -> str:
    body = f"{region}1980010{n:04d}"[:17]
    return body + sheets.id_number_check_digit(body)


def xlsx(rows, merges=()):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # typed as text, as an office would
    for ref in merges:
        sheet.merge_cells(ref)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, kind, data, name="名册.xlsx", capture=None):
    """Uploads a sheet; the dry run runs as background work (in-process in tests)."""
    with capture(execute=True):
        response = client.post(
            reverse("directory:exchange:import"),
            {"kind": kind, "sheet": SimpleUploadedFile(name, data)},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def confirm(client, job, capture):
    with capture(execute=True):
        response = client.post(reverse("directory:exchange:job_confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    return job


@pytest.fixture
def office(world):
    return world.client_for(world.a.office, Role.OFFICE)


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def messy_sheet():
    """An office's own layout: title rows, a two-row merged header, and every mess."""
    return xlsx(
        [
            ["甲镇第十七届人民代表大会代表名册"],
            ["填报单位：甲镇人大主席团", None, None, None, None, None, "填报日期：2024年1月"],
            ["序号", "姓 名", "性别", "基本信息", None, "公民身份号码", "联系方式", "代表信息"],
            [
                None,
                None,
                None,
                "民族",
                "政治面貌",
                None,
                "手机号码",
                "人大名称",
                "届次",
                "代表团",
                "任职日期",
                "工作单位及职务",
            ],
            [
                1,
                "张　三",
                " 男 ",
                "汉族\u00a0",
                "中共党员",
                "４１０４２５" + vid(1)[6:],
                13912345678,
                "甲镇人大",
                "十七",
                "第一选区",
                datetime.datetime(2021, 10, 1),
                "=某某公司 总经理",
            ],
            [
                2,
                "李四 ",
                "女",
                "回族",
                "群众",
                " " + vid(2) + "\u3000",
                "139 0000 0002",
                "甲镇人民代表大会",
                "第十七届",
                "第一选区",
                "2021/10/1",
                "某局",
            ],
            [
                3,
                "王五",
                "男",
                "汉族",
                "群众",
                vid(3).lower(),
                "13900000003",
                "乡镇",
                17,
                "第二选区",
                "2021.10.1",
                "",
            ],
            [
                4,
                "赵六",
                "男",
                "汉族",
                "群众",
                vid(4),
                "13900000004",
                "甲镇人大",
                "",
                "",
                "2021年10月1日",
                "",
            ],
            [
                5,
                "钱七",
                "女",
                "汉族",
                "群众",
                vid(5),
                "13900000005",
                "甲镇人大",
                "17",
                "",
                20211001,
                "",
            ],
            [
                6,
                "孙八",
                "女",
                "汉族",
                "群众",
                vid(6),
                "13900000006",
                "甲镇人大",
                "17",
                "",
                44470,
                "",
            ],
        ],
        merges=["A1:L1", "A3:A4", "B3:B4", "C3:C4", "D3:E3", "F3:F4", "H3:K3"],
    )


def test_it_imports_a_sheet_with_every_kind_of_mess(world, office, capture):
    job = upload(office, "mandates", messy_sheet(), capture=capture)
    assert job.status == ImportJob.Status.CHECKED, job.errors
    assert Person.objects.filter(name="张三").count() == 0  # the dry run wrote nothing
    page = office.get(reverse("directory:exchange:job", args=[job.pk])).content.decode()
    assert "检查通过：6 行均可导入（新增 6 条" in page
    job = confirm(office, job, capture)
    assert job.status == ImportJob.Status.DONE
    zhang = Person.objects.get(name="张三")
    assert zhang.id_number == vid(1) and zhang.id_number_index == blind_index(vid(1))
    assert (zhang.gender, zhang.ethnicity, zhang.phone) == ("M", "汉族", "13912345678")
    assert zhang.work_unit == "=某某公司 总经理"
    assert Person.objects.get(name="李四").id_number == vid(2)
    assert Person.objects.get(name="王五").id_number == vid(3).upper()
    mandates = Mandate.objects.filter(
        term=world.a.term, person__name__in=["张三", "李四", "王五", "赵六", "钱七", "孙八"]
    )
    assert mandates.count() == 6
    assert {m.started_on for m in mandates} == {datetime.date(2021, 10, 1)}
    assert mandates.get(person__name="王五").delegation.name == "第二选区"
    assert job.created_count == 6 and not job.content


def bad_rows_sheet(world):
    header = ["姓名", "身份证号", "性别", "手机", "人大名称", "届次", "任职日期", "状态"]
    ok = ["好人", vid(10), "男", "13900000010", "甲镇人大", "17", "2021-10-01", "在任"]
    rows = [
        header,
        ok,  # line 2 is fine
        ["科学", 4.10425198001011e17, "男", "", "甲镇人大", "17", "2021-10-01", ""],
        ["文本科学", "4.10425E+17", "男", "", "甲镇人大", "17", "2021-10-01", ""],
        [
            "校验",
            vid(11)[:-1] + ("0" if vid(11)[-1] != "0" else "1"),
            "男",
            "",
            "甲镇人大",
            "17",
            "",
            "",
        ],
        ["", vid(12), "男", "", "甲镇人大", "17", "", ""],
        ["无人大", vid(13), "男", "", "不存在人大", "17", "", ""],
        ["无届", vid(14), "男", "", "甲镇人大", "第九届", "", ""],
        ["坏日期", vid(15), "男", "", "甲镇人大", "17", "2021-13-01", ""],
        ["坏性别", vid(16), "未知", "", "甲镇人大", "17", "", ""],
        ["坏手机", vid(17), "男", "12345", "甲镇人大", "17", "", ""],
        ["好人", vid(10), "男", "", "甲镇人大", "17", "", ""],  # the same mandate again
        ["越界", vid(18), "男", "", world.b.congress.name, "17", "", ""],
        ["坏状态", vid(19), "男", "", "甲镇人大", "17", "", "离开"],
        ["辞职无日期", vid(20), "男", "", "甲镇人大", "17", "", "辞职"],
    ]
    return xlsx(rows)


def test_it_reports_every_bad_row_and_writes_nothing(world, office, capture):
    persons, mandates = Person.objects.count(), Mandate.objects.count()
    job = upload(office, "mandates", bad_rows_sheet(world), capture=capture)
    assert job.status == ImportJob.Status.REFUSED
    reasons = dict(job.errors)
    assert sorted(reasons) == list(range(3, 16))
    assert "后几位已经丢失" in reasons[3] and "后几位已经丢失" in reasons[4]
    assert "校验位不正确" in reasons[5]
    assert "姓名为空" in reasons[6]
    assert "找不到人大“不存在人大”" in reasons[7]
    assert "还没有第9届" in reasons[8]
    assert "日期“2021-13-01”无法识别" in reasons[9]
    assert "性别“未知”无法识别" in reasons[10]
    assert "手机号码“12345”格式不正确" in reasons[11]
    assert "表中重复：第2行" in reasons[12]
    assert "不在您的管辖范围内" in reasons[13]
    assert "状态“离开”无法识别" in reasons[14]
    assert "请填写终止日期" in reasons[15]
    assert (Person.objects.count(), Mandate.objects.count()) == (persons, mandates)
    page = office.get(reverse("directory:exchange:job", args=[job.pk])).content.decode()
    assert "共 14 行，其中 13 行有错误，未导入任何数据" in page
    assert "确认导入" not in page
    assert not job.content  # the refused sheet is not kept


def test_it_imports_nothing_when_data_changed_between_check_and_import(world, office, capture):
    job = upload(
        office,
        "mandates",
        xlsx(
            [
                ["姓名", "身份证号", "人大名称"],
                ["甲", vid(30), "甲镇人大"],
                ["乙", vid(31), "甲镇人大"],
            ]
        ),
        capture=capture,
    )
    assert job.status == ImportJob.Status.CHECKED
    # Meanwhile somebody registers the second ID number under another name.
    Person.objects.create(
        name="别人", id_number=vid(31), id_number_index=blind_index(vid(31)), region=world.a.region
    )
    job = confirm(office, job, capture)
    assert job.status == ImportJob.Status.FAILED
    assert job.errors[0][0] == 3 and "姓名" in job.errors[0][1]
    assert not Person.objects.filter(name="甲").exists()


def test_it_updates_a_person_found_by_id_number_instead_of_duplicating(world, office, capture):
    sheet = [["姓名", "身份证号", "手机", "人大名称"], ["张三", vid(40), "13900000040", "甲镇人大"]]
    confirm(office, upload(office, "mandates", xlsx(sheet), capture=capture), capture)
    sheet[1][2] = "13900000041"
    job = confirm(office, upload(office, "mandates", xlsx(sheet), capture=capture), capture)
    assert job.status == ImportJob.Status.DONE and job.updated_count == 1
    assert Person.objects.filter(name="张三").count() == 1
    assert Person.objects.get(name="张三").phone == "13900000041"


def test_it_keeps_an_ended_mandate_ended_when_the_sheet_has_no_status(world, office, capture):
    """A roster without a 状态 column updates contact details and revives nobody."""
    full = [
        ["姓名", "身份证号", "人大名称", "状态", "终止日期", "终止原因"],
        ["李四", vid(42), "甲镇人大", "辞职", "2024-05-01", "辞去代表职务"],
    ]
    confirm(office, upload(office, "mandates", xlsx(full), capture=capture), capture)
    roster = [
        ["姓名", "身份证号", "手机", "人大名称"],
        ["李四", vid(42), "13900000042", "甲镇人大"],
    ]
    job = confirm(office, upload(office, "mandates", xlsx(roster), capture=capture), capture)
    assert job.status == ImportJob.Status.DONE
    mandate = Mandate.objects.get(person__name="李四")
    assert mandate.status == Mandate.Status.RESIGNED
    assert mandate.ended_on == datetime.date(2024, 5, 1)
    assert mandate.person.phone == "13900000042"


def _valid_world_ids(world):
    for n, person in enumerate(Person.objects.all(), start=100):
        person.id_number = vid(n)
        person.id_number_index = blind_index(person.id_number)
        person.save()
    world.a.deputy.refresh_from_db()
    world.b.deputy.refresh_from_db()


@pytest.mark.parametrize(
    "kind", ["mandates", "stations", "station_staff", "station_members", "units", "regions"]
)
def test_it_reimports_its_own_export_without_changes(world, office, capture, kind):
    _valid_world_ids(world)
    if kind == "mandates":
        confirm(office, upload(office, "mandates", messy_sheet(), capture=capture), capture)
    response = office.get(reverse("directory:exchange:export", args=[kind]))
    assert response.status_code == 200
    data = response.content
    rows = sheets.read_table(data, "x.xlsx", services.get_kind(kind).columns).rows
    assert rows, "the export has rows"
    job = upload(office, kind, data, name="export.xlsx", capture=capture)
    assert job.status == ImportJob.Status.CHECKED, job.errors
    assert (job.created_count, job.updated_count) == (0, 0)
    assert job.unchanged_count == len(rows)


def test_it_keeps_a_cell_beginning_with_equals_as_text_in_the_export(world, office, capture):
    _valid_world_ids(world)
    confirm(office, upload(office, "mandates", messy_sheet(), capture=capture), capture)
    data = office.get(reverse("directory:exchange:export", args=["mandates"])).content
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    formula_like = [c for c in cells if str(c.value).startswith("=")]
    assert formula_like and all(c.data_type == "s" for c in formula_like)
    assert all(c.data_type == "s" and c.number_format == "@" for c in cells)


def test_it_masks_personal_data_for_roles_that_may_not_reveal_it_and_audits_exports(world):
    leader = world.client_for(world.a.leadership, Role.LEADERSHIP)
    data = leader.get(reverse("directory:exchange:export", args=["mandates"])).content
    rows = sheets.read_table(data, "x.xlsx", services.get_kind("mandates").columns).rows
    assert [r.text("name") for r in rows] == ["a代表"]
    assert "*" in rows[0].text("id_number") and "****" in rows[0].text("phone")
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).latest("at")
    assert entry.changes == {"kind": "mandates", "rows": 1, "personal_data": "masked"}
    assert entry.actor == world.a.leadership


def test_it_exports_personal_data_in_clear_for_the_office(world, office):
    data = office.get(reverse("directory:exchange:export", args=["mandates"])).content
    rows = sheets.read_table(data, "x.xlsx", services.get_kind("mandates").columns).rows
    assert rows[0].text("id_number") == world.a.deputy.id_number
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).latest("at")
    assert entry.changes["personal_data"] == "clear"


def test_it_writes_only_within_reach(world, office, capture):
    sheet = xlsx(
        [
            ["联络站名称", "类型", "上级联络站", "所在区域"],
            ["甲镇二村联络点", "联络点", world.a.station.name, world.a.village.name],
            ["乙镇新联络站", "代表联络站", "", world.b.region.name],
            ["借用上级", "联络点", world.b.station.name, world.a.village.name],
        ]
    )
    job = upload(office, "stations", sheet, capture=capture)
    assert job.status == ImportJob.Status.REFUSED
    reasons = dict(job.errors)
    assert sorted(reasons) == [3, 4]
    assert "找不到区域“乙镇”（或不在您的管辖范围内）" in reasons[3]
    assert "不在您的管辖范围内" in reasons[4]
    assert not Station.objects.filter(name__in=["甲镇二村联络点", "乙镇新联络站"]).exists()


def test_it_imports_stations_staff_members_and_units(world, office, capture):
    _valid_world_ids(world)
    stations = xlsx(
        [
            ["联络站名称", "类型", "上级联络站", "所在区域", "开放时间"],
            ["甲镇代表之家", "代表之家", world.a.station.name, world.a.region.name, "每周三"],
            ["甲镇二村联络点", "联络点", "甲镇代表之家", world.a.village.name, ""],
        ]
    )
    assert (
        confirm(office, upload(office, "stations", stations, capture=capture), capture).status
        == "done"
    )
    home = Station.objects.get(name="甲镇代表之家")
    assert home.parent == world.a.station and home.kind == Station.Kind.HOME
    assert Station.objects.get(name="甲镇二村联络点").path.startswith(home.path)
    staff = xlsx(
        [
            ["联络站", "姓名", "身份证号", "职务", "开始日期"],
            ["甲镇代表之家", "新站长", vid(50), "站长", "2024-01-01"],
            ["甲镇代表之家", world.a.deputy.name, world.a.deputy.id_number, "联络员", "2024-01-01"],
        ]
    )
    job = upload(office, "station_staff", staff, capture=capture)
    assert job.status == "checked", job.errors
    assert confirm(office, job, capture).status == "done"
    assert StationStaff.objects.filter(station=home, role="head", person__name="新站长").exists()
    members = xlsx(
        [
            ["联络站", "姓名", "身份证号", "进站日期", "离站日期"],
            # ORG-7: one home station; the deputy leaves the room before joining the home.
            [
                world.a.room.name,
                world.a.deputy.name,
                world.a.deputy.id_number,
                "2021/10/1",
                "2024/2/29",
            ],
            ["甲镇代表之家", world.a.deputy.name, world.a.deputy.id_number, "2024/3/1", ""],
        ]
    )
    assert (
        confirm(office, upload(office, "station_members", members, capture=capture), capture).status
        == "done"
    )
    assert StationMembership.objects.get(station=home).starts_on == datetime.date(2024, 3, 1)
    units = xlsx(
        [
            ["单位名称", "类型", "上级单位", "所在区域"],
            ["甲镇水利站", "政府部门", world.a.unit.name, world.a.region.name],
        ]
    )
    assert (
        confirm(office, upload(office, "units", units, capture=capture), capture).status == "done"
    )
    assert HandlingUnit.objects.get(name="甲镇水利站").parent == world.a.unit


def test_it_offers_station_staff_only_the_kinds_they_may_write(world, capture):
    client = world.client_for(world.a.station_staff, Role.STATION)
    page = client.get(reverse("directory:exchange:import")).content.decode()
    assert 'value="station_members"' in page and 'value="mandates"' not in page
    response = client.post(
        reverse("directory:exchange:import"),
        {"kind": "mandates", "sheet": SimpleUploadedFile("a.xlsx", messy_sheet())},
    )
    assert response.status_code == 200 and not ImportJob.objects.exists()
    assert (
        world.client_for(world.a.unit_staff, Role.UNIT)
        .get(reverse("directory:exchange:import"))
        .status_code
        == 404
    )


def test_it_shows_a_job_only_to_its_uploader_and_polls_while_running(world, office, capture):
    job = upload(office, "mandates", messy_sheet(), capture=capture)
    other = world.client_for(world.b.office, Role.OFFICE)
    assert other.get(reverse("directory:exchange:job", args=[job.pk])).status_code == 404
    assert other.post(reverse("directory:exchange:job_confirm", args=[job.pk])).status_code == 404
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    partial = office.get(reverse("directory:exchange:job", args=[job.pk]), HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert 'hx-trigger="every 2s"' in html and "已处理 0 / 6 行" in html
    assert "<html" not in html


def test_it_refuses_an_unreadable_upload_on_the_form(world, office):
    response = office.post(
        reverse("directory:exchange:import"),
        {"kind": "mandates", "sheet": SimpleUploadedFile("a.csv", b"a,b\n1,2\n")},
    )
    assert "找不到表头行" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_it_serves_a_template_with_header_example_and_notes(world, office):
    response = office.get(reverse("directory:exchange:template", args=["mandates"]))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:2] == ["姓名", "性别"]
    assert sheet["E2"].value == "11010519491231002X" and sheet["E2"].data_type == "s"
    assert sheet["E1"].comment is not None
    assert "填表说明" in book.sheetnames


def test_it_shows_import_and_export_buttons_on_list_pages(world, office):
    html = office.get(reverse("directory:person_list")).content.decode()
    assert reverse("directory:exchange:export", args=["mandates"]) in html
    assert "导出Excel" in html and "导入" in html
    leader = world.client_for(world.a.leadership, Role.LEADERSHIP)
    html = leader.get(reverse("directory:station_list")).content.decode()
    assert "导出Excel" in html and "?kind=stations" not in html


def test_it_runs_the_same_engine_from_a_service(world):
    actor = actor_for(world.a.office)
    kind = services.get_kind("mandates")
    rows = sheets.read_table(messy_sheet(), "a.xlsx", kind.columns).rows
    report = services.run_rows(actor=actor, kind=kind, rows=rows, dry_run=True)
    assert report.ok and report.created == 6
    assert not Person.objects.filter(name="张三").exists()
