"""Staff keep the calendar: enter a year as the State Council notice reads, edit, import."""

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import Workbook

from lianxin.accounts.models import Role
from lianxin.audit.models import AuditEntry
from lianxin.holidays import hooks
from lianxin.holidays.deadlines import Unit, add_days
from lianxin.holidays.models import CalendarDay, HolidayYear
from lianxin.holidays.selectors import missing_years
from lianxin.holidays.services import seed_package_years

pytestmark = pytest.mark.django_db

NOTICE_2027 = (
    "一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n"
    "七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。"
    "9月26日（周日）、10月9日（周六）上班。"
)


@pytest.fixture
def sysadmin(world):
    return world.client_for(world.sysadmin, Role.SYSTEM_ADMIN)


@pytest.fixture
def announced():
    years: list[int] = []
    hooks.calendar_listener("test.recorder")(years.append)
    yield years
    hooks.unregister("test.recorder")


def test_it_lets_staff_enter_2027_as_the_notice_reads_and_counts_with_it(
    world, sysadmin, announced, django_capture_on_commit_callbacks
):
    before = add_days(dt.date(2027, 9, 30), 3, Unit.WORKING_DAYS)
    assert before.due_date == dt.date(2027, 10, 5) and before.missing_years == (2027,)

    with django_capture_on_commit_callbacks(execute=True):
        response = sysadmin.post(
            reverse("holidays:year_edit", args=[2027]),
            {"notice": "国务院办公厅关于2027年部分节假日安排的通知", "arrangement": NOTICE_2027},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("holidays:year_detail", args=[2027])
    year = HolidayYear.objects.get(year=2027)
    assert year.source == HolidayYear.Source.STAFF
    assert year.entered_by == world.sysadmin
    assert CalendarDay.objects.filter(date__year=2027, kind="holiday").count() == 10
    assert sorted(
        CalendarDay.objects.filter(date__year=2027, kind="workday").values_list("date", flat=True)
    ) == [dt.date(2027, 9, 26), dt.date(2027, 10, 9)]
    assert announced == [2027]
    assert AuditEntry.objects.filter(object_type="holidays.holidayyear", action="create").exists()

    # 10/1–7 off, Fri 10/8 (1), Sat 10/9 调休 (2), Mon 10/11 (3).
    after = add_days(dt.date(2027, 9, 30), 3, Unit.WORKING_DAYS)
    assert after.due_date == dt.date(2027, 10, 11)
    assert after.missing_years == ()
    assert add_days(dt.date(2027, 9, 26), 5).due_date == dt.date(2027, 10, 8)  # §203

    detail = sysadmin.get(reverse("holidays:year_detail", args=[2027])).content.decode()
    assert "国庆节" in detail and "调休上班" in detail


def test_it_prefills_the_edit_form_with_the_year_in_notice_form(sysadmin):
    response = sysadmin.get(reverse("holidays:year_edit", args=[2026]))
    assert response.status_code == 200
    text = response.context["form"].initial["arrangement"]
    assert "国庆节：10月1日至7日放假，共7天；9月20日、10月10日上班。" in text


def test_it_edits_a_year_and_keeps_what_was_typed_when_a_line_is_wrong(sysadmin):
    bad = "国庆节：10月1日至7日放假，共8天。\n端午节 6月19日"
    response = sysadmin.post(
        reverse("holidays:year_edit", args=[2026]), {"notice": "", "arrangement": bad}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["arrangement"]
    assert any("共8天" in e and "第1行" in e for e in errors)
    assert any("第2行" in e and "冒号" in e for e in errors)
    assert bad in response.content.decode()
    assert CalendarDay.objects.filter(date=dt.date(2026, 10, 1), name="国庆节").exists()


def test_it_refuses_a_調休_working_day_on_a_weekday(sysadmin):
    response = sysadmin.post(
        reverse("holidays:year_edit", args=[2027]),
        {"arrangement": "国庆节：10月1日至7日放假。10月8日上班。"},
    )
    assert response.status_code == 200
    assert "应为周六或周日" in response.content.decode()
    assert not HolidayYear.objects.filter(year=2027).exists()


def test_it_replaces_a_year_on_edit(sysadmin, django_capture_on_commit_callbacks, announced):
    with django_capture_on_commit_callbacks(execute=True):
        sysadmin.post(
            reverse("holidays:year_edit", args=[2026]),
            {"notice": "更正", "arrangement": "国庆节：10月1日至8日放假。9月20日、10月10日上班。"},
        )
    assert HolidayYear.objects.get(year=2026).source == HolidayYear.Source.STAFF
    assert CalendarDay.objects.filter(date__year=2026).count() == 10
    assert announced == [2026]
    assert add_days(dt.date(2026, 10, 7), 1).due_date == dt.date(2026, 10, 9)


@time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC), tick=False)
def test_it_warns_on_the_calendar_page_when_next_year_is_missing(sysadmin):
    assert missing_years() == [2027]
    response = sysadmin.get(reverse("holidays:year_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2027年" in page and "尚未录入" in page
    assert reverse("holidays:year_edit", args=[2027]) in page


def test_it_reports_no_missing_year_when_both_are_known():
    assert missing_years(dt.date(2025, 12, 1)) == []
    assert missing_years(dt.date(2027, 1, 5)) == [2027, 2028]


def test_it_opens_the_entry_form_for_a_year_typed_on_the_list(sysadmin):
    response = sysadmin.get(reverse("holidays:year_list"), {"year": "2027"})
    assert response["Location"] == reverse("holidays:year_edit", args=[2027])
    response = sysadmin.get(reverse("holidays:year_list"), {"year": "19"})
    assert response.status_code == 200
    assert "年份不能早于" in response.content.decode()


@pytest.mark.parametrize("persona", ["office", "deputy", "secadmin", "auditadmin"])
def test_it_hides_the_calendar_pages_from_everybody_but_the_system_administrator(world, persona):
    users = {
        "office": (world.a.office, Role.OFFICE),
        "deputy": (world.a.deputy_user, Role.DEPUTY),
        "secadmin": (world.secadmin, Role.SECURITY_ADMIN),
        "auditadmin": (world.auditadmin, Role.AUDIT_ADMIN),
    }
    client = world.client_for(*users[persona])
    for url in (
        reverse("holidays:year_list"),
        reverse("holidays:year_detail", args=[2026]),
        reverse("holidays:year_edit", args=[2026]),
        reverse("holidays:import"),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("holidays:year_edit", args=[2026]), {}).status_code == 404


def _csv(text: str):
    upload = io.BytesIO(text.encode("utf-8-sig"))
    upload.name = "2027.csv"
    return upload


def test_it_dry_runs_an_import_listing_bad_rows_in_chinese_and_writes_nothing(sysadmin):
    sheet = (
        "日期,类型,名称\n"
        "2027-10-01,放假,国庆节\n"
        "2027-13-01,放假,国庆节\n"
        "2027-10-02,休假吗,国庆节\n"
        "2027-10-08,上班,国庆节\n"
        "2027-10-01,放假,国庆节\n"
    )
    response = sysadmin.post(reverse("holidays:import"), {"file": _csv(sheet)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "第3行" in page and "无法识别" in page
    assert "第4行" in page and "类型" in page
    assert "第5行" in page and "周六或周日" in page
    assert "第6行" in page and "重复" in page
    assert "未写入任何数据" in page
    assert not HolidayYear.objects.filter(year=2027).exists()


def test_it_does_not_write_a_sheet_with_a_bad_row_even_without_dry_run(sysadmin):
    sheet = "2027-10-01,放假,国庆节\n2027-10-08,上班,国庆节\n"
    sysadmin.post(reverse("holidays:import"), {"file": _csv(sheet), "dry_run": ""})
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_it_dry_runs_a_good_sheet_then_imports_it(sysadmin, django_capture_on_commit_callbacks):
    sheet = (
        "日期,类型,名称\n2027-10-01,放假,国庆节\n2027/10/2,放假,国庆节\n2027-10-09,上班,国庆节\n"
    )
    response = sysadmin.post(reverse("holidays:import"), {"file": _csv(sheet), "dry_run": "on"})
    assert "试导入通过" in response.content.decode()
    assert "2027年：放假 2 天，调休上班 1 天" in response.content.decode()
    assert not HolidayYear.objects.filter(year=2027).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = sysadmin.post(reverse("holidays:import"), {"file": _csv(sheet)})
    assert response.status_code == 302
    assert HolidayYear.objects.get(year=2027).source == HolidayYear.Source.IMPORT
    assert CalendarDay.objects.filter(date__year=2027).count() == 3
    assert not add_days(dt.date(2027, 9, 30), 1).missing_years


def test_it_imports_an_xlsx_sheet(sysadmin):
    book = Workbook()
    sheet = book.active
    sheet.append(["日期", "类型", "名称"])
    sheet.append([dt.datetime(2027, 10, 1), "放假", "国庆节"])
    sheet.append(["2027年10月9日", "调休上班", "国庆节"])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "calendar.xlsx"
    response = sysadmin.post(reverse("holidays:import"), {"file": data})
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=dt.date(2027, 10, 9)).kind == "workday"


def test_it_refuses_other_file_types(sysadmin):
    upload = io.BytesIO(b"x")
    upload.name = "calendar.txt"
    response = sysadmin.post(reverse("holidays:import"), {"file": upload, "dry_run": "on"})
    assert "只支持" in response.content.decode()


def test_it_seeds_idempotently_and_never_overwrites_staff_edits(world, sysadmin):
    sysadmin.post(
        reverse("holidays:year_edit", args=[2025]), {"arrangement": "国庆节：10月1日至8日放假。"}
    )
    assert seed_package_years() == []
    assert CalendarDay.objects.filter(date__year=2025).count() == 8
    HolidayYear.objects.filter(year=2024).delete()
    assert seed_package_years() == [2024]
    assert HolidayYear.objects.get(year=2024).source == HolidayYear.Source.PACKAGE
