"""An office goes live (ORG-14, ORG-13): it uploads the stations sheet it keeps, reads the
dry-run report naming the bad row, uploads the corrected sheet, imports it, and prints the
township's QR posters — the new stations among them."""

import importlib
import io

import pytest
from django.apps import apps
from openpyxl import Workbook

from lianxin.accounts.models import User
from lianxin.common.demo import load_demo
from lianxin.directory.models import Station
from lianxin.regions.models import Region
from tests.e2e.test_layout import _log_in, _watch_external

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(live_server):
    if not Region.objects.filter(code="41").exists():
        importlib.import_module("lianxin.regions.migrations.0002_load_national_divisions").load(
            apps, None
        )
    load_demo()
    return live_server


def stations_sheet(region: Region, *, bad: bool) -> bytes:
    """The sheet as an office keeps it: a title row above the header, stray spaces."""
    book = Workbook()
    sheet = book.active
    sheet.append([f"{region.name}代表联系群众工作室名册（2026年12月）"])
    sheet.append(["站点名称", "站点类型", "所在乡镇", "地址", "接待时间"])
    sheet.append(
        [f" {region.name}东街社区联系群众工作室 ", "联络点", region.code, "东街1号", "每周三上午"]
    )
    sheet.append([f"{region.name}西村联系群众工作室", "联络点", region.code, "西村村委会", "逢五"])
    if bad:
        sheet.append([f"{region.name}北岗工作室", "工作站", region.code, "北岗", ""])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def upload(page, live_server, region: Region, *, bad: bool) -> None:
    page.goto(f"{live_server.url}/staff/directory/exchange/import/")
    page.get_by_label("导入内容").select_option(label="联络站")
    page.set_input_files(
        "input[type=file]",
        files=[{
            "name": "工作室名册.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": stations_sheet(region, bad=bad),
        }],
    )  # fmt: skip
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_load_state()


def test_an_office_imports_its_stations_sheet_and_prints_the_township_posters(demo, desktop):
    page = desktop
    external = _watch_external(page, demo)
    _log_in(page, demo, "anliang_office")
    region = User.objects.get(username="anliang_office").assignments.get().region
    before = Station.objects.count()

    upload(page, demo, region, bad=True)
    errors = page.get_by_test_id("import-errors")
    errors.wait_for()
    report = errors.inner_text()
    assert "5" in report and "类型" in report  # the fifth line of the sheet, and why
    assert page.get_by_text("未导入任何数据").is_visible()
    assert page.get_by_role("button", name="确认导入").count() == 0
    assert Station.objects.count() == before

    upload(page, demo, region, bad=False)
    page.get_by_text("行均可导入").wait_for()
    assert Station.objects.count() == before  # the dry run wrote nothing
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("导入完成：").wait_for(timeout=30_000)
    assert Station.objects.count() == before + 2

    page.get_by_test_id("import-print-codes").click()
    page.wait_for_load_state()
    if page.locator(".lx-sheets .lx-poster").count() == 0:  # the form: choose and show
        page.get_by_role("button", name="生成").click()
        page.wait_for_load_state()
    posters = page.locator(".lx-sheets .lx-poster")
    assert posters.count() > 2
    text = page.locator(".lx-sheets").inner_text()
    assert f"{region.name}东街社区联系群众工作室" in text
    assert f"{region.name}西村联系群众工作室" in text
    assert external == []
