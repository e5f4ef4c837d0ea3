"""Duty patterns expanded into shift days over a whole year (DUTY-1), against known dates:
the 2026 holiday table (with its 调休 working days), solar market days, and lunar market days
checked against known lunar-to-solar conversions."""

from __future__ import annotations

import datetime as dt

import pytest

from lianxin.activities.duty import patterns
from lianxin.activities.duty.patterns import PatternSpec, expand

D = dt.date
YEAR_2026 = (D(2026, 1, 1), D(2026, 12, 31))
# The State Council's 2026 arrangement: weekend days worked in exchange (调休上班).
MAKEUP_2026 = {D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20),
               D(2026, 10, 10)}  # fmt: skip


@pytest.fixture
def cal(db):
    """The holiday table as migrations seed it (2004–2026 from chinese-calendar)."""
    return patterns.official_days(*YEAR_2026)


def test_it_lists_the_6th_16th_and_26th_of_every_month_for_a_solar_逢六(cal):
    days = expand(PatternSpec(kind="solar", month_days=(6, 16, 26), skip_holidays=False),
                  *YEAR_2026, cal)  # fmt: skip
    assert len(days) == 36
    assert days[:3] == [D(2026, 1, 6), D(2026, 1, 16), D(2026, 1, 26)]
    assert days[-1] == D(2026, 12, 26)


def test_it_skips_the_market_days_that_fall_in_a_holiday(cal):
    days = expand(PatternSpec(kind="solar", month_days=(6, 16, 26)), *YEAR_2026, cal)
    # 2月16日 (Spring Festival), 4月6日 (Qingming), 9月26日 (Mid-Autumn), 10月6日 (National Day)
    assert len(days) == 32
    for holiday in (D(2026, 2, 16), D(2026, 4, 6), D(2026, 9, 26), D(2026, 10, 6)):
        assert holiday not in days


def test_it_holds_a_逢一六_market_six_times_a_month_and_the_31st_only_where_it_exists(cal):
    days = expand(PatternSpec(kind="solar", month_days=(1, 6, 11, 16, 21, 26),
                              skip_holidays=False), *YEAR_2026, cal)  # fmt: skip
    assert len(days) == 72
    days_31 = expand(PatternSpec(kind="solar", month_days=(31,), skip_holidays=False),
                     *YEAR_2026, cal)  # fmt: skip
    assert [d.month for d in days_31] == [1, 3, 5, 7, 8, 10, 12]


def test_it_finds_lunar_market_days_at_their_known_solar_dates(cal):
    """Known conversions: 正月初六 = 2月22日, 正月十五 (元宵) = 3月3日, 五月初五 (端午) = 6月19日,
    八月十五 (中秋) = 9月25日 in 2026."""
    sixth = expand(PatternSpec(kind="lunar", month_days=(6,), skip_holidays=False),
                   *YEAR_2026, cal)  # fmt: skip
    assert D(2026, 2, 22) in sixth
    assert len(sixth) == 12  # 2026 has no leap month: one 初六 a month (腊月 of 2025 included)
    fifteenth = expand(PatternSpec(kind="lunar", month_days=(15,), skip_holidays=False),
                       *YEAR_2026, cal)  # fmt: skip
    assert D(2026, 3, 3) in fifteenth and D(2026, 9, 25) in fifteenth
    fifth = expand(PatternSpec(kind="lunar", month_days=(5,), skip_holidays=False),
                   *YEAR_2026, cal)  # fmt: skip
    assert D(2026, 6, 19) in fifth


def test_it_skips_lunar_market_days_on_holidays(cal):
    fifth = expand(PatternSpec(kind="lunar", month_days=(5,)), *YEAR_2026, cal)
    assert D(2026, 6, 19) not in fifth  # 端午 is a holiday


def test_it_has_no_30th_in_a_short_lunar_month(cal):
    """2026's Spring Festival eve is 腊月二十九 (2月16日): the twelfth month of lunar 2025 has
    no 30th day, so a 逢三十 market does not happen that month (it is not moved)."""
    thirtieth = expand(PatternSpec(kind="lunar", month_days=(30,), skip_holidays=False),
                       *YEAR_2026, cal)  # fmt: skip
    assert not [d for d in thirtieth if D(2026, 1, 19) <= d <= D(2026, 2, 16)]
    assert 0 < len(thirtieth) < 12
    for day in thirtieth:  # the next day is always the first of a lunar month
        assert patterns.lunar_day(day + dt.timedelta(days=1))[2] == 1


def test_it_counts_a_leap_month_as_a_month_with_its_own_market_days(db):
    """Lunar 2025 has a leap sixth month (闰六月): 六月初六 = 2025-06-30, 闰六月初六 = 2025-07-30."""
    start, end = D(2025, 6, 1), D(2025, 8, 31)
    days = expand(PatternSpec(kind="lunar", month_days=(6,), skip_holidays=False), start, end)
    assert D(2025, 6, 30) in days and D(2025, 7, 30) in days
    assert patterns.lunar_day(D(2025, 7, 30)) == (2025, 6, 6, True)


def test_it_skips_the_national_day_holiday_for_a_wednesday_pattern(cal):
    wednesdays = expand(PatternSpec(kind="weekly", weekdays=(2,)), *YEAR_2026, cal)
    assert D(2026, 10, 7) not in wednesdays  # 国庆 holiday
    assert D(2026, 2, 18) not in wednesdays  # 春节 holiday
    assert len(wednesdays) == 50
    everything = expand(PatternSpec(kind="weekly", weekdays=(2,), skip_holidays=False),
                        *YEAR_2026, cal)  # fmt: skip
    assert len(everything) == 52 and D(2026, 10, 7) in everything


def test_it_includes_the_makeup_saturdays_and_sundays_among_working_days(cal):
    workdays = expand(PatternSpec(kind="workdays"), *YEAR_2026, cal)
    assert set(workdays) >= MAKEUP_2026
    assert not [d for d in workdays if d.weekday() >= 5 and d not in MAKEUP_2026]
    for holiday in (D(2026, 1, 1), D(2026, 2, 16), D(2026, 5, 4), D(2026, 10, 7)):
        assert holiday not in workdays
    assert len(workdays) == 248


def test_it_keeps_named_dates_within_the_period_even_on_a_holiday(cal):
    """A named date is the staff's own choice (DUTY-1): National Day stays if they name it."""
    spec = PatternSpec(kind="dates", dates=(D(2026, 3, 5), D(2026, 10, 1), D(2027, 1, 5)))
    assert expand(spec, *YEAR_2026, cal) == [D(2026, 3, 5), D(2026, 10, 1)]
    kept = PatternSpec(kind="dates", dates=spec.dates, skip_holidays=False)
    assert expand(kept, *YEAR_2026, cal) == [D(2026, 3, 5), D(2026, 10, 1)]


def test_it_narrows_the_period_to_the_patterns_validity(cal):
    spec = PatternSpec(kind="weekly", weekdays=(2,), valid_from=D(2026, 3, 1),
                       valid_until=D(2026, 3, 31))  # fmt: skip
    assert expand(spec, *YEAR_2026, cal) == [D(2026, 3, 4), D(2026, 3, 11), D(2026, 3, 18),
                                              D(2026, 3, 25)]  # fmt: skip


def test_it_says_which_years_have_no_holiday_data(db):
    result = patterns.expand_with_calendar(PatternSpec(kind="workdays"), D(2031, 1, 1),
                                           D(2031, 1, 31))  # fmt: skip
    assert result.missing_years == (2031,)
    assert D(2031, 1, 1) in result.days  # unknown: only weekends are rest days


def test_it_reads_the_model_through_of(db):
    from types import SimpleNamespace

    pattern = SimpleNamespace(kind="solar", weekdays=[], month_days=[6, 16, 26],
                              dates=["2026-05-01"], skip_holidays=True,
                              valid_from=D(2026, 1, 1), valid_until=None)  # fmt: skip
    spec = PatternSpec.of(pattern)
    assert spec.month_days == (6, 16, 26) and spec.dates == (D(2026, 5, 1),)


def test_the_table_agrees_with_the_package_it_was_seeded_from(cal):
    import chinese_calendar

    package = {d for d in chinese_calendar.holidays if d.year == 2026}
    assert set(cal.holidays) == package
