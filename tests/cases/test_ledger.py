"""An office's existing ledger of open cases (CASE-13): the dry run names every bad row and
writes nothing; the import files each case and walks it to the ledger's state; a re-import
files nothing twice."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from lianxin.accounts.permissions import actor_for
from lianxin.cases.models import Case
from lianxin.directory.exchange import services as exchange
from lianxin.directory.exchange.kinds import KINDS
from tests.cases.conftest import category_for

pytestmark = pytest.mark.django_db


def sheet(rows) -> bytes:
    book = Workbook()
    ws = book.active
    ws.append(["甲镇群众意见台账（2026年）"])
    ws.append(
        [
            "序号",
            "登记日期",
            "村（社区）",
            "问题类别",
            "反映问题",
            "姓名",
            "电话",
            "办理状态",
            "责任单位",
        ]
    )
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(world, data: bytes, *, dry_run: bool):
    kind = KINDS["case_ledger"]
    rows = exchange.read_rows(kind, data, "台账.xlsx")
    return exchange.run_rows(actor=actor_for(world.a.office), kind=kind, rows=rows, dry_run=dry_run)


def good_rows(world):
    t = world.a
    category_for(t)
    return [
        [
            "001",
            "2026/10/12",
            t.village.name,
            "道路交通",
            "村口路灯不亮",
            "张三",
            "13812345678",
            "待研处",
            "",
        ],
        ["002", "2026年10月15日", t.village.name, "道路交通", "桥栏杆断了", "", "", "已上报", ""],
        [
            "003",
            "2026-10-20",
            t.village.name,
            "道路交通",
            "路面塌陷",
            "李四",
            "",
            "已交办",
            t.unit.name,
        ],
    ]


def test_the_dry_run_names_every_bad_row_and_writes_nothing(world):
    rows = [
        *good_rows(world),
        ["004", "明天", world.a.village.name, "道路交通", "积水", "", "", "", ""],
        ["005", "2026-10-21", world.a.village.name, "天气", "太热", "", "", "", ""],
        ["006", "2026-10-21", world.a.village.name, "道路交通", "坑", "", "", "已交办", ""],
        ["007", "2026-10-21", world.b.village.name, "道路交通", "坑", "", "", "", ""],
    ]
    report = run(world, sheet(rows), dry_run=True)
    assert [line for line, _why in report.errors] == [6, 7, 8, 9]
    reasons = dict(report.errors)
    assert "日期" in reasons[6] and "类别" in reasons[7] and "承办单位" in reasons[8]
    assert Case.objects.count() == 0


def test_the_import_walks_each_case_to_its_state_and_once_only(world):
    report = run(world, sheet(good_rows(world)), dry_run=False)
    assert report.errors == [] and report.created == 3
    states = dict(Case.objects.values_list("text", "status"))
    assert states == {
        "村口路灯不亮": "submitted",
        "桥栏杆断了": "reported",
        "路面塌陷": "dispatched",
    }
    assert set(Case.objects.values_list("channel", flat=True)) == {Case.Channel.LEDGER}
    again = run(world, sheet(good_rows(world)), dry_run=False)
    assert again.unchanged == 3 and Case.objects.count() == 3
