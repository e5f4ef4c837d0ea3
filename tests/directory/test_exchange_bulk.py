"""A county-sized sheet (ORG-14 "done when"): about 2,000 deputies of four levels in the
layout an office keeps imports cleanly; the same sheet with 30-odd bad rows is refused with
every bad row named and nothing written."""

import datetime
import io

import pytest
from openpyxl import Workbook

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import actor_for
from lianxin.common import sheets
from lianxin.directory.exchange import services
from lianxin.directory.models import Congress, Mandate, Person, Term
from lianxin.regions.models import Region
from tests.factories import UserFactory, assign

pytestmark = pytest.mark.slow

PER_LEVEL = 500


def vid(n: int) -> str:
    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=n * 7 % 14000)
    body = f"410425{birth:%Y%m%d}{n % 1000:03d}"
    return body + sheets.id_number_check_digit(body)


def office_sheet(congresses, bad_lines=()):
    book = Workbook()
    sheet = book.active
    sheet.append(["各级人大代表名册（2024年）"])
    sheet.append(["填报单位：郏县人大常委会代表工委"])
    sheet.append(
        [
            "序号",
            "姓名",
            "性别",
            "民族",
            "政治面貌",
            "公民身份号码",
            "手机号码",
            "工作单位及职务",
            "代表级别",
            "届次",
            "选区",
            "任职日期",
        ]
    )
    sheet.merge_cells("A1:L1")
    n = 0
    for congress, term_text, when in congresses:
        for i in range(PER_LEVEL):
            n += 1
            sheet.append(
                [
                    n,
                    f"代表{n:04d}",
                    "男" if i % 2 else "女",
                    "汉族",
                    "群众",
                    vid(n),
                    f"139{n:08d}",
                    f"某单位{i}",
                    congress,
                    term_text,
                    f"第{i % 20 + 1}选区",
                    when if i % 3 else "2021年10月1日",
                ]
            )
    for line in bad_lines:  # spoil the ID number of some rows the way Excel does
        sheet.cell(row=line, column=6).value = float(sheet.cell(row=line, column=6).value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def province_office(world):
    county = world.a.county
    city, province = county.parent, county.parent.parent
    for region, level in ((province, 1), (city, 2), (county, 3)):
        congress = Congress.objects.create(
            region=region, level=level, name=f"{region.name}人民代表大会"
        )
        Term.objects.create(
            congress=congress, number=14, starts_on=datetime.date(2021, 10, 1), is_current=True
        )
    user = UserFactory(username="province_office")
    assign(user, Role.OFFICE, region=Region.objects.get(pk=province.pk))
    return actor_for(user)


LEVELS = [
    ("河南省人民代表大会", "第十四届", "2023-01-15"),
    ("平顶山市", "十四", "2021/12/28"),
    ("郏县人大", 14, "2021.10.1"),
    ("甲镇人民代表大会", "第十七届", 44470),
]


def test_it_imports_two_thousand_deputies_of_four_levels(world, province_office):
    kind = services.get_kind("mandates")
    rows = services.read_rows(kind, office_sheet(LEVELS), "名册.xlsx")
    assert len(rows) == 4 * PER_LEVEL
    report = services.run_rows(actor=province_office, kind=kind, rows=rows, dry_run=False)
    assert report.ok, report.errors[:5]
    assert report.created == 4 * PER_LEVEL
    assert Mandate.objects.filter(person__name__startswith="代表").count() == 4 * PER_LEVEL
    levels = Mandate.objects.filter(person__name__startswith="代表").values_list(
        "term__congress__level", flat=True
    )
    assert sorted(set(levels)) == [1, 2, 3, 4]
    assert Person.objects.get(name="代表1501").mandates.get().started_on == datetime.date(
        2021, 10, 1
    )


def test_it_refuses_the_same_sheet_with_thirty_odd_bad_rows_naming_each(world, province_office):
    bad = list(range(10, 2000, 60))  # 34 rows
    kind = services.get_kind("mandates")
    rows = services.read_rows(kind, office_sheet(LEVELS, bad_lines=bad), "名册.xlsx")
    before = Person.objects.count()
    report = services.run_rows(actor=province_office, kind=kind, rows=rows, dry_run=False)
    assert [line for line, _reason in report.errors] == bad
    assert all("后几位已经丢失" in reason for _line, reason in report.errors)
    assert Person.objects.count() == before
