"""The deadline calculator counts as CASE-4 and 民法典 §201–203 say, on the seeded calendar."""

import datetime as dt

import pytest

from lianxin.holidays.deadlines import BEIJING, Unit, add_days, add_months, is_working_day
from lianxin.holidays.models import CalendarDay, HolidayYear

pytestmark = pytest.mark.django_db

D = dt.date


def test_it_seeds_the_real_2026_arrangement_from_chinese_calendar():
    year = HolidayYear.objects.get(year=2026)
    assert year.source == HolidayYear.Source.PACKAGE
    national_day = CalendarDay.objects.filter(
        date__range=(D(2026, 10, 1), D(2026, 10, 7)), kind=CalendarDay.Kind.HOLIDAY
    )
    assert national_day.count() == 7
    assert set(national_day.values_list("name", flat=True)) == {"国庆节"}
    workdays = CalendarDay.objects.filter(
        date__range=(D(2026, 9, 1), D(2026, 10, 31)), kind=CalendarDay.Kind.WORKDAY
    )
    assert sorted(workdays.values_list("date", flat=True)) == [D(2026, 9, 20), D(2026, 10, 10)]
    assert set(HolidayYear.objects.values_list("year", flat=True)) >= set(range(2004, 2027))


def test_it_knows_holidays_and_調休_working_days():
    assert not is_working_day(D(2026, 10, 5))  # a Monday inside the holiday
    assert is_working_day(D(2026, 10, 10))  # a Saturday, 调休 working day
    assert is_working_day(D(2026, 9, 20))  # a Sunday, 调休 working day
    assert not is_working_day(D(2026, 10, 11))  # a plain Sunday
    assert is_working_day(D(2026, 10, 8))


def test_it_counts_working_days_across_the_2026_national_day_holiday():
    # 9/30 not counted; 10/1–7 off; 10/8, 10/9, 10/10 (Sat, 调休), 10/12, 10/13.
    deadline = add_days(D(2026, 9, 30), 5, Unit.WORKING_DAYS)
    assert deadline.due_date == D(2026, 10, 13)
    assert deadline.ends_at == dt.datetime(2026, 10, 14, 0, 0, tzinfo=BEIJING)
    assert deadline.missing_years == ()
    assert deadline.warning == ""


def test_it_counts_a_調休_sunday_as_a_working_day():
    # From Friday 9/18: Sat 9/19 off, Sun 9/20 works (1), 9/21 (2), 9/22 (3).
    assert add_days(D(2026, 9, 18), 3, Unit.WORKING_DAYS).due_date == D(2026, 9, 22)


def test_it_does_not_count_the_start_day():
    assert add_days(D(2026, 6, 1), 1).due_date == D(2026, 6, 2)  # §201
    assert add_days(D(2026, 6, 1), 7, "calendar_days").due_date == D(2026, 6, 8)


def test_it_moves_a_last_day_on_a_holiday_to_the_next_working_day():
    deadline = add_days(D(2026, 9, 24), 7)  # nominally 10/1, 国庆节
    assert deadline.nominal_date == D(2026, 10, 1)
    assert deadline.due_date == D(2026, 10, 8)
    assert deadline.moved
    assert deadline.ends_at == dt.datetime(2026, 10, 9, 0, 0, tzinfo=BEIJING)


def test_it_moves_a_last_day_on_a_weekend_but_not_on_a_調休_saturday():
    assert add_days(D(2026, 10, 4), 7).due_date == D(2026, 10, 12)  # Sun 10/11 -> Mon
    assert add_days(D(2026, 10, 3), 7).due_date == D(2026, 10, 10)  # Sat 10/10 works


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (D(2026, 3, 31), 1, D(2026, 4, 30)),  # no 31 April: the month's last day (§202)
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2026, 1, 31), 1, D(2026, 2, 28)),  # Sat 2/28/2026 is a 调休 working day
        (D(2026, 5, 15), 1, D(2026, 6, 15)),  # the corresponding day
        (D(2026, 9, 1), 1, D(2026, 10, 8)),  # 10/1 is a holiday: next working day (§203)
        (D(2026, 7, 3), 3, D(2026, 10, 8)),
        (D(2025, 11, 30), 3, D(2026, 2, 28)),  # month end on a 调休 Saturday stays
        (D(2026, 4, 30), 1, D(2026, 6, 1)),  # Sat 5/30 is a rest day: Monday 6/1
    ],
)
def test_it_counts_months_as_the_civil_code_says(start, months, due):
    assert add_days(start, months, Unit.MONTHS).due_date == due


def test_it_ends_a_month_on_the_last_day_of_a_shorter_month():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2026, 12, 31), 2) == D(2027, 2, 28)
    assert add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)


def test_it_takes_an_aware_moment_as_its_beijing_date():
    late_evening_utc = dt.datetime(2026, 9, 30, 16, 30, tzinfo=dt.UTC)  # 10/1 00:30 Beijing
    assert add_days(late_evening_utc, 1).start == D(2026, 10, 1)
    with pytest.raises(ValueError):
        add_days(dt.datetime(2026, 9, 30, 12, 0), 1)


def test_it_counts_only_weekends_and_warns_for_a_year_without_data():
    assert not HolidayYear.objects.filter(year=2027).exists()
    deadline = add_days(D(2027, 9, 30), 3, Unit.WORKING_DAYS)
    assert deadline.due_date == D(2027, 10, 5)  # Fri 10/1, Mon 10/4, Tue 10/5
    assert deadline.missing_years == (2027,)
    assert "2027年" in deadline.warning
    assert "尚未录入" in deadline.warning


def test_it_warns_when_a_period_crosses_into_a_missing_year():
    deadline = add_days(D(2026, 12, 20), 30)
    assert deadline.missing_years == (2027,)


def test_it_reads_a_year_in_at_most_two_queries_and_then_from_the_cache(
    django_assert_max_num_queries,
):
    with django_assert_max_num_queries(2):
        add_days(D(2026, 1, 1), 200, Unit.WORKING_DAYS)
    with django_assert_max_num_queries(0):
        add_days(D(2026, 3, 1), 100, Unit.WORKING_DAYS)


def test_it_refuses_a_negative_period():
    with pytest.raises(ValueError):
        add_days(D(2026, 1, 1), -1)
