"""Setting up a station's duty (DUTY-1, DUTY-2): patterns with requirements and their preview,
the pool (one person, the station's deputies, a delegation, a window unit's head), leave —
with Chinese validation messages, reach and audit."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from lianxin.accounts.models import Role
from lianxin.activities.duty import setup
from lianxin.activities.models import DutyLeave, DutyPattern, PoolMember, Requirement
from lianxin.activities.models.duty import DutyRole
from lianxin.audit.models import AuditEntry
from lianxin.common.errors import NotAllowed
from lianxin.directory.models import HandlingUnit, UnitContact
from tests.activities.conftest_setup import NOW, TODAY, actor, make_deputy, make_duty
from tests.factories import MandateFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def duty(world):
    return make_duty(world.a)


def _staff(world):
    return world.client_for(world.a.station_staff, Role.STATION)


def _pattern_data(station, **over):
    data = {
        "station": station.pk,
        "name": "代表周三见（下午）",
        "kind": "weekly",
        "weekdays": ["2"],
        "month_days": "",
        "dates": "",
        "skip_holidays": "on",
        "starts_at": "14:30",
        "ends_at": "17:00",
        "valid_from": "2026-09-01",
        "valid_until": "",
        "note": "",
        "deputies": "2",
        "unit_heads": "0",
    }
    data.update(over)
    return data


# --- Reading what staff type ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("6,16,26", [6, 16, 26]),
        ("6，16、26", [6, 16, 26]),
        ("逢六", [6, 16, 26]),
        ("逢一六", [1, 6, 11, 16, 21, 26]),
        ("逢三八", [3, 8, 13, 18, 23, 28]),
        ("逢十", [10, 20, 30]),
        ("", []),
    ],
)
def test_it_reads_market_days_as_staff_write_them(text, days):
    assert setup.parse_month_days(text) == days


@pytest.mark.parametrize("text", ["六号", "6,6", "逢", "逢x"])
def test_it_refuses_market_days_it_cannot_read_with_a_chinese_message(text):
    with pytest.raises(ValidationError) as caught:
        setup.parse_month_days(text)
    assert any(ch >= "\u4e00" for ch in caught.value.messages[0])


def test_it_reads_named_dates_in_the_usual_forms():
    assert setup.parse_dates("2026-12-02\n2026/12/9，2026年12月16日") == [
        "2026-12-02",
        "2026-12-09",
        "2026-12-16",
    ]
    with pytest.raises(ValidationError, match="2026-12-02"):
        setup.parse_dates("12月2日")
    with pytest.raises(ValidationError):
        setup.parse_dates("2026-02-30")


# --- Patterns (DUTY-1) -------------------------------------------------------------------------


def test_it_creates_a_weekly_pattern_with_its_requirement_and_audits_it(world):
    response = _staff(world).post(reverse("duty:pattern_create"), _pattern_data(world.a.station))
    pattern = DutyPattern.objects.get(name="代表周三见（下午）")
    assert response.status_code == 302
    assert response["Location"] == reverse("duty:pattern_detail", args=[pattern.pk])
    assert pattern.weekdays == [2] and pattern.month_days == [] and pattern.dates == []
    assert pattern.needs() == {"deputy": 2}
    entries = AuditEntry.objects.filter(object_type="activities.dutypattern", object_id=pattern.pk)
    assert entries.filter(action=AuditEntry.Action.CREATE).exists()
    assert entries.filter(changes__has_key="requirements").exists()


def test_it_takes_market_days_in_words_and_two_roles_a_shift(world):
    data = _pattern_data(
        world.a.station, name="逢六集日", kind="solar", month_days="逢六", unit_heads="1"
    )
    assert _staff(world).post(reverse("duty:pattern_create"), data).status_code == 302
    pattern = DutyPattern.objects.get(name="逢六集日")
    assert pattern.month_days == [6, 16, 26] and pattern.weekdays == []
    assert pattern.needs() == {"deputy": 2, "unit_head": 1}


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"weekdays": []}, "weekdays", "请至少选择一天。"),
        ({"kind": "solar", "month_days": ""}, "month_days", "请至少填写一个日子"),
        ({"kind": "solar", "month_days": "6,32"}, "month_days", "取值应在 1 到 31 之间"),
        ({"kind": "lunar", "month_days": "31"}, "month_days", "取值应在 1 到 30 之间"),
        ({"kind": "solar", "month_days": "六号"}, "month_days", "不是日子"),
        ({"kind": "dates", "dates": ""}, "dates", "请至少填写一个日期。"),
        ({"ends_at": "09:00", "starts_at": "10:00"}, "ends_at", "结束时间应晚于开始时间。"),
        ({"valid_until": "2026-01-01"}, "valid_until", "截止日期不能早于生效日期。"),
        ({"deputies": "0", "unit_heads": "0"}, "deputies", "请至少为一种岗位填写每班人数。"),
        ({"deputies": "51"}, "deputies", "50"),
        ({"name": "代表周三见"}, "name", "本站已有名为“代表周三见”的值班规则。"),
    ],
)
def test_it_explains_a_bad_pattern_in_chinese_and_saves_nothing(world, duty, over, field, message):
    before = (DutyPattern.objects.count(), Requirement.objects.count())
    response = _staff(world).post(
        reverse("duty:pattern_create"), _pattern_data(world.a.station, **over)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(message in e for e in errors[field]), errors[field]
    assert "保存未成功" in response.content.decode()
    assert (DutyPattern.objects.count(), Requirement.objects.count()) == before


def test_it_previews_the_next_dates_without_saving_skipping_the_national_day(world):
    data = _pattern_data(world.a.station, preview="1")
    response = _staff(world).post(reverse("duty:pattern_create"), data)
    assert response.status_code == 200
    days = [d for d, _w in response.context["preview"]]
    assert days[:3] == [dt.date(2026, 9, 30), dt.date(2026, 10, 14), dt.date(2026, 10, 21)]
    assert "2026-10-07" not in response.content.decode()  # a holiday Wednesday
    assert not DutyPattern.objects.filter(name="代表周三见（下午）").exists()


def test_it_previews_working_days_with_the_makeup_saturday(world):
    data = _pattern_data(world.a.station, kind="workdays", weekdays=[], preview="1")
    days = [
        d for d, _w in _staff(world).post(reverse("duty:pattern_create"), data).context["preview"]
    ]
    assert days[:5] == [
        dt.date(2026, 9, 28),
        dt.date(2026, 9, 29),
        dt.date(2026, 9, 30),
        dt.date(2026, 10, 8),
        dt.date(2026, 10, 9),
    ]
    assert days[5] == dt.date(2026, 10, 10)  # 调休: a Saturday that works


def test_it_keeps_a_holiday_market_day_when_the_pattern_says_so(world):
    kept = DutyPattern(station=world.a.station, kind="solar", month_days=[6, 16, 26],
                       skip_holidays=False, valid_from=TODAY)  # fmt: skip
    skipped = DutyPattern(station=world.a.station, kind="solar", month_days=[6, 16, 26],
                          skip_holidays=True, valid_from=TODAY)  # fmt: skip
    assert setup.upcoming_dates(kept, count=2) == [dt.date(2026, 10, 6), dt.date(2026, 10, 16)]
    assert setup.upcoming_dates(skipped, count=2) == [dt.date(2026, 10, 16), dt.date(2026, 10, 26)]


def test_it_previews_lunar_market_days(world):
    from lunardate import LunarDate

    pattern = DutyPattern(station=world.a.station, kind="lunar", month_days=[3, 13, 23],
                          skip_holidays=False, valid_from=TODAY)  # fmt: skip
    days = setup.upcoming_dates(pattern, count=6)
    lunar = [LunarDate.from_solar_date(d.year, d.month, d.day).day for d in days]
    assert set(lunar) <= {3, 13, 23}
    assert lunar[:3] in ([3, 13, 23], [13, 23, 3], [23, 3, 13])
    assert len(days) == 6 and days == sorted(days) and days[0] >= TODAY
    assert setup.describe(pattern) == "农历每月初三、十三、廿三"


def test_it_shows_a_pattern_in_words_with_its_next_dates(world, duty):
    response = _staff(world).get(reverse("duty:pattern_detail", args=[duty.pattern.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "每周三，节假日不值班" in html
    assert "代表 2 人" in html
    assert "2026-09-30" in html and "2026-10-14" in html


def test_it_edits_a_pattern_and_its_requirements(world, duty):
    url = reverse("duty:pattern_edit", args=[duty.pattern.pk])
    form = _staff(world).get(url).context["form"]
    assert form.initial["deputies"] == 2 and form.initial["weekdays"] == ["2"]
    data = _pattern_data(world.a.station, name="代表周三见", deputies="3", unit_heads="1")
    assert _staff(world).post(url, data).status_code == 302
    duty.pattern.refresh_from_db()
    assert duty.pattern.needs() == {"deputy": 3, "unit_head": 1}
    assert duty.pattern.starts_at == dt.time(14, 30)


def test_it_stops_and_restarts_a_pattern(world, duty):
    url = reverse("duty:pattern_active", args=[duty.pattern.pk])
    assert _staff(world).post(url, {"active": "0"}).status_code == 302
    duty.pattern.refresh_from_db()
    assert not duty.pattern.is_active
    _staff(world).post(url, {"active": "1"})
    duty.pattern.refresh_from_db()
    assert duty.pattern.is_active


def test_it_keeps_another_stations_patterns_out_of_reach(world, duty):
    other = world.client_for(world.b.station_staff, Role.STATION)
    for name in ("duty:pattern_detail", "duty:pattern_edit"):
        assert other.get(reverse(name, args=[duty.pattern.pk])).status_code == 404
    assert other.post(reverse("duty:pattern_active", args=[duty.pattern.pk]),
                      {"active": "0"}).status_code == 404  # fmt: skip
    duty.pattern.refresh_from_db()
    assert duty.pattern.is_active
    # Naming station a in station b's form is refused as an invalid choice; nothing saved.
    response = other.post(reverse("duty:pattern_create"), _pattern_data(world.a.station))
    assert "station" in response.context["form"].errors
    assert not DutyPattern.objects.filter(name="代表周三见（下午）").exists()
    with pytest.raises(NotAllowed):
        setup.pattern_save(
            actor=actor(world.b.station_staff),
            pattern=DutyPattern(
                station=world.a.station, name="x", kind="workdays", valid_from=TODAY
            ),
            requirements={"deputy": 2},
        )
    listed = other.get(reverse("duty:pattern_list")).content.decode()
    assert reverse("duty:pattern_detail", args=[duty.pattern.pk]) not in listed


@pytest.mark.parametrize("who", ["deputy_user", "unit_staff", "leadership"])
def test_it_lets_only_duty_managers_create_patterns(world, who):
    user = getattr(world.a, who)
    assert world.client_for(user).get(reverse("duty:pattern_create")).status_code == 404


def test_it_lets_leadership_read_patterns(world, duty):
    leader = world.client_for(world.a.leadership, Role.LEADERSHIP)
    html = leader.get(reverse("duty:pattern_detail", args=[duty.pattern.pk])).content.decode()
    assert "代表周三见" in html and reverse("duty:pattern_edit", args=[duty.pattern.pk]) not in html


# --- The pool (DUTY-2) -------------------------------------------------------------------------


def test_it_adds_a_deputy_with_his_delegation_from_his_mandate(world, duty):
    person, _user = make_deputy(world.a, "赵四", "a_zhao", duty.delegation)
    data = {"station": world.a.station.pk, "person": person.pk, "role": "deputy",
            "unavailable_weekdays": ["1", "3"], "max_per_month": "2", "note": "教师"}  # fmt: skip
    response = _staff(world).post(reverse("duty:pool_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    member = PoolMember.objects.get(person=person)
    assert member.delegation == duty.delegation
    assert member.unavailable_weekdays == [1, 3] and member.max_per_month == 2
    assert AuditEntry.objects.filter(
        object_type="activities.poolmember", object_id=member.pk, action="create"
    ).exists()


def test_it_refuses_a_non_deputy_in_the_deputy_role_and_a_duplicate(world, duty):
    head = world.a.station_staff.person
    response = _staff(world).post(
        reverse("duty:pool_create"),
        {"station": world.a.station.pk, "person": world.a.deputy.pk, "role": "deputy"},
    )
    assert "已在本站值班人员库中" in str(response.context["form"].errors["person"])
    with pytest.raises(ValidationError) as caught:
        setup.pool_add(actor=actor(world.a.station_staff), station=world.a.station,
                       person=head, role="deputy")  # fmt: skip
    assert "不是在任代表" in str(caught.value.message_dict["person"])
    with pytest.raises(ValidationError) as caught:
        setup.pool_add(actor=actor(world.a.office), station=world.a.station,
                       person=head, role="unit_head")  # fmt: skip
    assert caught.value.message_dict["unit"] == ["窗口单位负责人须填写所在单位。"]
    with pytest.raises(ValidationError) as caught:
        setup.pool_add(actor=actor(world.a.office), station=world.a.station,
                       person=world.a.deputy, role="deputy", max_per_month=40)  # fmt: skip
    assert "1 到 31" in str(caught.value.message_dict["max_per_month"])
    assert PoolMember.objects.count() == 3


def test_it_adds_the_deputies_sitting_in_the_station_and_its_rooms(world, duty):
    person, _user = make_deputy(world.a, "钱五", "a_qian")
    PoolMember.objects.filter(person=duty.people[1]).update(is_active=False)
    staff = _staff(world)
    response = staff.post(
        reverse("duty:pool_bulk"), {"action": "station", "s-station": world.a.station.pk}
    )
    assert response.status_code == 302
    assert PoolMember.objects.filter(person=person, station=world.a.station).exists()
    assert PoolMember.objects.get(person=duty.people[1]).is_active  # brought back
    page = staff.get(response["Location"]).content.decode()
    assert "新加入 1 人，恢复 1 人，已在库中 2 人。" in page


def test_it_adds_a_delegation_for_the_office_and_tells_station_staff_to_ask(world, duty):
    _person, _user = make_deputy(world.a, "孙六", "a_sun", duty.delegation)
    elsewhere = PersonFactory(name="周七", region=world.a.region)  # sits in no station
    MandateFactory(person=elsewhere, term=world.a.term, delegation=duty.delegation)
    office = world.client_for(world.a.office, Role.OFFICE)
    response = office.post(
        reverse("duty:pool_bulk"),
        {
            "action": "delegation",
            "d-station": world.a.station.pk,
            "d-delegation": duty.delegation.pk,
        },
    )
    assert response.status_code == 302
    assert set(
        PoolMember.objects.filter(delegation=duty.delegation).values_list("person__name", flat=True)
    ) >= {"孙六", "周七"}
    page = _staff(world).get(reverse("duty:pool_bulk")).content.decode()
    assert "请由人大机关（代表工委）工作人员按代表团添加" in page
    with pytest.raises(ValidationError):
        setup.pool_add_delegation(actor=actor(world.a.station_staff), station=world.a.station,
                                  delegation=duty.delegation)  # fmt: skip


def test_it_adds_a_window_units_head_as_unit_head(world, duty):
    window = HandlingUnit.objects.create(
        name="甲镇便民服务中心", kind="window", region=world.a.region
    )
    head = PersonFactory(name="窗口负责人", region=world.a.region)
    UnitContact.objects.create(unit=window, person=head, is_primary=True)
    UnitContact.objects.create(
        unit=window, person=PersonFactory(name="窗口办事员"), is_primary=False
    )
    office = world.client_for(world.a.office, Role.OFFICE)
    response = office.post(
        reverse("duty:pool_bulk"),
        {"action": "unit", "u-station": world.a.station.pk, "u-unit": window.pk,
         "u-primary_only": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    member = PoolMember.objects.get(person=head)
    assert member.role == DutyRole.UNIT_HEAD and member.unit == window
    assert not PoolMember.objects.filter(person__name="窗口办事员").exists()


def test_it_edits_a_pool_entry_and_stops_it(world, duty):
    member = duty.members[0]
    url = reverse("duty:pool_edit", args=[member.pk])
    response = _staff(world).post(url, {"unavailable_weekdays": ["0"], "max_per_month": "0",
                                        "is_active": "on", "note": ""})  # fmt: skip
    assert response.status_code == 200
    assert "max_per_month" in response.context["form"].errors
    member.refresh_from_db()
    assert member.max_per_month is None and member.unavailable_weekdays == []
    _staff(world).post(
        url, {"unavailable_weekdays": ["0", "4"], "max_per_month": "3", "note": "周一、周五有课"}
    )
    member.refresh_from_db()
    assert member.unavailable_weekdays == [0, 4] and member.max_per_month == 3
    assert not member.is_active  # the box was not ticked: stopped
    listed = _staff(world).get(reverse("duty:pool_list")).content.decode()
    assert "周一、周五" in listed


def test_it_keeps_another_stations_pool_out_of_reach(world, duty):
    other = world.client_for(world.b.station_staff, Role.STATION)
    member = duty.members[0]
    assert other.get(reverse("duty:pool_edit", args=[member.pk])).status_code == 404
    response = other.post(reverse("duty:pool_edit", args=[member.pk]),
                          {"max_per_month": "9", "is_active": ""})  # fmt: skip
    assert response.status_code == 404
    member.refresh_from_db()
    assert member.is_active and member.max_per_month is None
    with pytest.raises(NotAllowed):
        setup.pool_add_station_deputies(actor=actor(world.b.station_staff), station=world.a.station)
    with pytest.raises(NotAllowed):
        setup.pool_member_update(actor=actor(world.b.station_staff), member=member, is_active=False)
    listed = other.get(reverse("duty:pool_list")).content.decode()
    assert "a李二" not in listed
    bulk = other.post(
        reverse("duty:pool_bulk"), {"action": "station", "s-station": world.a.station.pk}
    )
    assert "station" in bulk.context["station_form"].errors


# --- Leave (DUTY-2) ----------------------------------------------------------------------------


def test_it_enters_leave_for_a_person_of_the_pool_and_warns_of_his_shifts(world, duty):
    duty.shift(dt.date(2026, 10, 14), duty.people[1], duty.people[2])
    staff = _staff(world)
    response = staff.post(
        reverse("duty:leave_create"),
        {"member": duty.members[1].pk, "starts_on": "2026-10-12", "ends_on": "2026-10-16",
         "reason": "住院"},
    )  # fmt: skip
    leave = DutyLeave.objects.get()
    assert response.status_code == 302
    assert leave.person == duty.people[1] and leave.station == world.a.station
    assert leave.created_by == world.a.station_staff
    page = staff.get(response["Location"]).content.decode()
    assert "1 个已发布的班次" in page and "2026-10-14" in page
    assert AuditEntry.objects.filter(object_type="activities.dutyleave", action="create").exists()


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("2026-10-16", "2026-10-12", "ends_on", "结束日期不能早于开始日期。"),
        (
            "2026-10-13",
            "2026-10-20",
            "starts_on",
            "与已登记的请假（2026-10-12 至 2026-10-16）重叠。",
        ),
        ("2026-11-01", "2027-11-05", "ends_on", "一次请假最长一年。"),
    ],
)
def test_it_explains_bad_leave_in_chinese(world, duty, start, end, field, message):
    DutyLeave.objects.create(person=duty.people[1], station=world.a.station,
                             starts_on=dt.date(2026, 10, 12), ends_on=dt.date(2026, 10, 16))  # fmt: skip
    response = _staff(world).post(
        reverse("duty:leave_create"),
        {"member": duty.members[1].pk, "starts_on": start, "ends_on": end},
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert DutyLeave.objects.count() == 1


def test_it_cancels_leave_not_begun_and_ends_leave_under_way_yesterday(world, duty):
    future = DutyLeave.objects.create(person=duty.people[1], station=world.a.station,
                                      starts_on=dt.date(2026, 10, 12), ends_on=dt.date(2026, 10, 16))  # fmt: skip
    running = DutyLeave.objects.create(person=duty.people[2], station=world.a.station,
                                       starts_on=dt.date(2026, 9, 20), ends_on=dt.date(2026, 10, 3))  # fmt: skip
    assert _staff(world).post(reverse("duty:leave_cancel", args=[future.pk])).status_code == 302
    assert not DutyLeave.objects.filter(pk=future.pk).exists()
    _staff(world).post(reverse("duty:leave_cancel", args=[running.pk]))
    running.refresh_from_db()
    assert running.ends_on == dt.date(2026, 9, 27)


def test_it_keeps_another_stations_leave_out_of_reach(world, duty):
    leave = DutyLeave.objects.create(person=duty.people[1], station=world.a.station,
                                     starts_on=dt.date(2026, 10, 12), ends_on=dt.date(2026, 10, 16))  # fmt: skip
    other = world.client_for(world.b.station_staff, Role.STATION)
    assert other.get(reverse("duty:leave_detail", args=[leave.pk])).status_code == 404
    assert other.post(reverse("duty:leave_cancel", args=[leave.pk])).status_code == 404
    assert DutyLeave.objects.filter(pk=leave.pk).exists()
    response = other.post(reverse("duty:leave_create"),
                          {"member": duty.members[1].pk, "starts_on": "2026-11-02",
                           "ends_on": "2026-11-03"})  # fmt: skip
    assert "member" in response.context["form"].errors
    with pytest.raises(NotAllowed):
        setup.leave_add(actor=actor(world.b.station_staff), person=duty.people[1],
                        station=world.a.station, starts_on=TODAY, ends_on=TODAY)  # fmt: skip


def test_it_lets_a_deputy_enter_his_own_leave_but_not_in_the_past(world, duty):
    me = actor(world.a.deputy_user)
    leave = setup.leave_add(actor=me, person=world.a.deputy, starts_on=dt.date(2026, 10, 1),
                            ends_on=dt.date(2026, 10, 2), reason="出差")  # fmt: skip
    assert leave.station is None and leave.created_by == world.a.deputy_user
    with pytest.raises(ValidationError) as caught:
        setup.leave_add(actor=me, person=world.a.deputy, starts_on=dt.date(2026, 9, 1),
                        ends_on=dt.date(2026, 9, 2))  # fmt: skip
    assert "开始日期不能早于今天" in str(caught.value.message_dict["starts_on"])
    with pytest.raises(NotAllowed):
        setup.leave_add(actor=me, person=duty.people[1], starts_on=dt.date(2026, 10, 1),
                        ends_on=dt.date(2026, 10, 2))  # fmt: skip
    with pytest.raises(NotAllowed):  # staff's leave of another station's person
        setup.leave_cancel(actor=actor(world.b.station_staff), leave=leave)
