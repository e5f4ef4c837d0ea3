"""Importing townships and villages from a simple sheet (ORG-1): dry run, all or nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from lianxin.accounts.models import Role
from lianxin.regions.models import Region


def csv_file(rows, name="regions.csv"):
    text = "上级区划代码或名称,名称,级别,区划代码\n" + "\n".join(",".join(r) for r in rows)
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_file(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["上级区划代码或名称", "名称", "级别", "区划代码"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("regions.xlsx", buffer.getvalue())


@pytest.fixture
def sysadmin(world):
    return world.client_for(world.sysadmin)


def test_it_lists_every_bad_row_in_a_dry_run_and_writes_nothing(world, sysadmin):
    before = Region.objects.count()
    rows = [
        ("410425", "新镇", "乡镇", ""),
        ("不存在的县", "某镇", "乡镇", ""),
        ("410425", "坏代码镇", "乡镇", "411323100"),
        ("新镇", "新镇一村", "村", ""),
        ("新镇", "", "村", ""),
        ("410425", "越级村", "村", ""),
        ("410425", "怪级别", "组", ""),
    ]
    response = sysadmin.post(reverse("regions:import"), {"sheet": csv_file(rows), "dry_run": "on"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "共 7 行，其中 5 行有错误" in html
    assert "找不到上级区划“不存在的县”" in html
    assert "区划代码应以上级区划代码 410425 开头" in html
    assert "名称为空" in html
    assert "级别必须比上级区划低一级" in html
    assert "级别“组”无法识别" in html
    assert Region.objects.count() == before


def test_it_imports_nothing_when_one_row_is_bad(world, sysadmin):
    before = Region.objects.count()
    rows = [("410425", "新镇", "乡镇", ""), ("不存在的县", "某镇", "乡镇", "")]
    response = sysadmin.post(reverse("regions:import"), {"sheet": csv_file(rows)})
    assert response.status_code == 200
    assert Region.objects.count() == before


def test_it_passes_a_clean_dry_run_without_writing(world, sysadmin):
    before = Region.objects.count()
    rows = [("410425", "新镇", "乡镇", ""), ("新镇", "新镇一村", "村", "")]
    html = sysadmin.post(
        reverse("regions:import"), {"sheet": csv_file(rows), "dry_run": "on"}
    ).content.decode()
    assert "检查通过：2 行均可导入" in html
    assert Region.objects.count() == before


def test_it_imports_townships_and_their_villages_from_xlsx(world, sysadmin):
    rows = [
        ("410425", "新镇", "乡镇/街道", "410425150"),
        ("410425150", "新镇一村", "村/社区", "410425150201"),
        ("新镇", "新镇二村", "村", None),
        (world.a.region.code, "甲镇二村", "5", ""),
    ]
    response = sysadmin.post(reverse("regions:import"), {"sheet": xlsx_file(rows)})
    assert response.status_code == 302
    town = Region.objects.get(code="410425150")
    assert town.level == 4 and not town.code_is_local
    assert Region.objects.get(name="新镇一村").parent == town
    second = Region.objects.get(name="新镇二村")
    assert second.code == "410425150L001" and second.code_is_local
    assert second.path.startswith(town.path)
    assert Region.objects.get(name="甲镇二村").parent == world.a.region


def test_it_limits_an_office_import_to_its_reach(world):
    client = world.client_for(world.a.office, Role.OFFICE)
    rows = [
        (world.a.region.name, "甲镇五村", "村", ""),
        (world.b.region.code, "乙镇五村", "村", ""),
    ]
    html = client.post(reverse("regions:import"), {"sheet": csv_file(rows)}).content.decode()
    assert "不在您的管辖范围内" in html
    assert not Region.objects.filter(name__in=["甲镇五村", "乙镇五村"]).exists()
    ok = client.post(reverse("regions:import"), {"sheet": csv_file(rows[:1])})
    assert ok.status_code == 302
    assert Region.objects.get(name="甲镇五村").parent == world.a.region


def test_it_reports_duplicates_within_the_sheet(world, sysadmin):
    rows = [("410425", "重名镇", "乡镇", ""), ("410425", "重名镇", "乡镇", "")]
    html = sysadmin.post(
        reverse("regions:import"), {"sheet": csv_file(rows), "dry_run": "on"}
    ).content.decode()
    assert "表中重复" in html


def test_it_refuses_a_file_that_is_not_a_sheet(world, sysadmin):
    upload = SimpleUploadedFile("notes.txt", b"hello")
    html = sysadmin.post(reverse("regions:import"), {"sheet": upload}).content.decode()
    assert "只支持CSV或XLSX文件。" in html


def test_it_reads_a_csv_saved_by_excel_in_gbk(world, sysadmin):
    text = "上级区划代码或名称,名称,级别,区划代码\n410425,国标镇,乡镇,\n"
    upload = SimpleUploadedFile("regions.csv", text.encode("gb18030"))
    response = sysadmin.post(reverse("regions:import"), {"sheet": upload})
    assert response.status_code == 302
    assert Region.objects.get(name="国标镇").code == "410425L001"
