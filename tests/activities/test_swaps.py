"""换班 and 代班 (DUTY-2): a deputy asks, the counterpart agrees on his phone, station staff
approve — the assignments move in one transaction after checking again; every refusal, the
void request, the notifications of each step, and the pages."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from lianxin.accounts.models import Role
from lianxin.activities.duty import swaps
from lianxin.activities.models import Assignment, DutyLeave, PoolMember, Roster, SwapRequest
from lianxin.activities.models.duty import DutyRole
from lianxin.audit.models import AuditEntry
from lianxin.common.errors import Conflict, NotAllowed
from lianxin.notifications.models import Notification
from tests.activities.conftest_setup import NOW, actor, make_duty

pytestmark = pytest.mark.django_db

WED = dt.date(2026, 9, 30)
LATER = dt.date(2026, 10, 14)


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def duty(world):
    d = make_duty(world.a)
    me, li, wang = d.people
    d.mine = d.shift(WED, me, li)  # a代表 and 李二 on Wednesday
    d.theirs = d.shift(LATER, wang, li)  # 王三 and 李二 two weeks later
    d.my_a = d.assignment(d.mine, me)
    d.wang_a = d.assignment(d.theirs, wang)
    return d


def _me(world):
    return actor(world.a.deputy_user)


def _wang(duty):
    return actor(duty.users[2])


def _staff(world):
    return actor(world.a.station_staff, Role.STATION)


def _take(world, duty, **over):
    """a代表 asks 王三 to take his Wednesday (代班)."""
    kwargs = {"assignment": duty.my_a, "counterpart": duty.people[2], "reason": "外出开会"}
    kwargs.update(over)
    return swaps.swap_request(actor=_me(world), **kwargs)


def _swap_messages(user):
    return list(Notification.objects.filter(recipient=user, kind="duty.swap").order_by("pk"))


# --- The happy paths ---------------------------------------------------------------------------


def test_it_hands_a_shift_over_after_agreement_and_approval(world, duty):
    me, _li, wang = duty.people
    swap = _take(world, duty)
    assert swap.status == SwapRequest.Status.PENDING
    assert "请您代班" in _swap_messages(duty.users[2])[0].title

    swap = swaps.swap_answer(actor=_wang(duty), swap=swap, agree=True)
    assert swap.status == SwapRequest.Status.AGREED
    assert "同意代班" in _swap_messages(world.a.deputy_user)[-1].title
    staff_note = _swap_messages(world.a.station_staff)[-1]
    assert "换班待审批" in staff_note.title
    assert staff_note.url == reverse("duty:swap_detail", args=[swap.pk])

    Assignment.objects.filter(pk=duty.my_a.pk).update(reminded_at=NOW)
    swap = swaps.swap_decide(actor=_staff(world), swap=swap, approve=True, note="同意")
    moved = Assignment.objects.get(pk=duty.my_a.pk)
    assert swap.status == SwapRequest.Status.APPROVED and swap.decided_by == world.a.station_staff
    assert moved.person == wang and moved.source == Assignment.Source.SWAP
    assert moved.reminded_at is None  # 王三 gets his own reminder
    assert not Assignment.objects.filter(shift=duty.mine, person=me).exists()
    assert "已批准" in _swap_messages(world.a.deputy_user)[-1].title
    assert "已批准" in _swap_messages(duty.users[2])[-1].title
    assert AuditEntry.objects.filter(
        object_type="activities.assignment", object_id=moved.pk, note="换班"
    ).exists()
    assert AuditEntry.objects.filter(object_type="activities.swaprequest").count() == 3


def test_it_exchanges_two_shifts(world, duty):
    me, _li, wang = duty.people
    swap = swaps.swap_request(
        actor=_me(world), assignment=duty.my_a, counterpart=None,
        counterpart_assignment=duty.wang_a, reason="家里有事",
    )  # fmt: skip
    assert swap.counterpart == wang and swaps.kind_label(swap) == "换班"
    swaps.swap_answer(actor=_wang(duty), swap=swap, agree=True)
    swaps.swap_decide(actor=_staff(world), swap=swap, approve=True)
    assert Assignment.objects.get(pk=duty.my_a.pk).person == wang
    assert Assignment.objects.get(pk=duty.wang_a.pk).person == me


def test_it_ends_a_request_the_counterpart_declines(world, duty):
    swap = swaps.swap_answer(actor=_wang(duty), swap=_take(world, duty), agree=False)
    assert swap.status == SwapRequest.Status.DECLINED
    assert "不同意" in _swap_messages(world.a.deputy_user)[-1].title
    assert _swap_messages(world.a.station_staff) == []
    assert Assignment.objects.get(pk=duty.my_a.pk).person == duty.people[0]


def test_it_lets_the_requester_withdraw(world, duty):
    swap = swaps.swap_cancel(actor=_me(world), swap=_take(world, duty))
    assert swap.status == SwapRequest.Status.CANCELLED
    assert "撤回" in _swap_messages(duty.users[2])[-1].title
    with pytest.raises(Conflict):
        swaps.swap_answer(actor=_wang(duty), swap=swap, agree=True)


def test_it_rejects_with_a_note_and_moves_nothing(world, duty):
    swap = _take(world, duty)
    swaps.swap_answer(actor=_wang(duty), swap=swap, agree=True)
    with pytest.raises(ValidationError, match="不批准时请填写审批意见"):
        swaps.swap_decide(actor=_staff(world), swap=swap, approve=False)
    swap = swaps.swap_decide(actor=_staff(world), swap=swap, approve=False, note="人手不足")
    assert swap.status == SwapRequest.Status.REJECTED and swap.decision_note == "人手不足"
    assert Assignment.objects.get(pk=duty.my_a.pk).person == duty.people[0]
    assert "人手不足" in _swap_messages(world.a.deputy_user)[-1].title


# --- Refusals when asking ----------------------------------------------------------------------


def _refused(world, duty, field, message, **over):
    before = SwapRequest.objects.count()
    with pytest.raises(ValidationError) as caught:
        _take(world, duty, **over)
    assert any(message in m for m in caught.value.message_dict[field]), caught.value.message_dict
    assert SwapRequest.objects.count() == before


def test_it_refuses_a_request_without_a_reason(world, duty):
    _refused(world, duty, "reason", "请说明换班事由。", reason=" ")


def test_it_refuses_to_swap_with_himself(world, duty):
    _refused(world, duty, "counterpart", "不能和自己换班。", counterpart=duty.people[0])


def test_it_refuses_a_counterpart_outside_the_pool_or_in_another_role(world, duty):
    PoolMember.objects.filter(person=duty.people[2]).update(role=DutyRole.UNIT_HEAD)
    _refused(world, duty, "counterpart", "不在本站值班人员库中（代表）")


def test_it_refuses_a_counterpart_on_leave_that_day(world, duty):
    DutyLeave.objects.create(person=duty.people[2], starts_on=WED, ends_on=WED)
    _refused(world, duty, "counterpart", "a王三 在9月30日请假。")


def test_it_refuses_a_counterpart_already_on_a_shift_that_day(world, duty):
    other = Roster.objects.create(
        station=world.a.room, pattern=duty.pattern, name="工作室", starts_on=WED, ends_on=WED,
        status=Roster.Status.PUBLISHED,
    )  # fmt: skip
    duty.shift(WED, duty.people[2], roster=other, starts=dt.time(14, 0))
    _refused(world, duty, "counterpart", "a王三 在9月30日已有值班。")


def test_it_refuses_a_shift_already_open_for_a_swap(world, duty):
    _take(world, duty)
    _refused(world, duty, "assignment", "已有待处理的换班申请", counterpart=duty.people[1])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": "present", "checked_in_at": NOW}, "已签到或已处理"),
        ({"status": "excused"}, "已签到或已处理"),
    ],
)
def test_it_refuses_a_checked_in_or_settled_shift(world, duty, change, message):
    Assignment.objects.filter(pk=duty.my_a.pk).update(**change)
    _refused(world, duty, "assignment", message)


def test_it_refuses_a_shift_begun_or_past(world, duty):
    with time_machine.travel(dt.datetime(2026, 9, 30, 9, 5, tzinfo=NOW.tzinfo), tick=False):
        _refused(world, duty, "assignment", "已经开始或已过去")


def test_it_refuses_a_shift_of_an_unpublished_roster(world, duty):
    Roster.objects.filter(pk=duty.roster.pk).update(status=Roster.Status.PROPOSED)
    _refused(world, duty, "assignment", "撤回发布")


def test_it_refuses_another_persons_shift_and_staff_asking(world, duty):
    li_a = duty.assignment(duty.mine, duty.people[1])
    with pytest.raises(NotAllowed):
        _take(world, duty, assignment=li_a)
    with pytest.raises(NotAllowed):
        swaps.swap_request(actor=_staff(world), assignment=duty.my_a,
                           counterpart=duty.people[2], reason="x")  # fmt: skip


def test_it_refuses_exchanges_on_the_same_day_or_another_station(world, duty):
    li_a = duty.assignment(duty.mine, duty.people[1])
    with pytest.raises(ValidationError, match="同一天"):
        _take(world, duty, counterpart=None, counterpart_assignment=li_a)
    other = Roster.objects.create(
        station=world.a.room, pattern=duty.pattern, name="工作室", starts_on=LATER,
        ends_on=LATER, status=Roster.Status.PUBLISHED,
    )  # fmt: skip
    elsewhere = duty.shift(dt.date(2026, 10, 21), duty.people[2], roster=other)
    with pytest.raises(ValidationError, match="同一岗位"):
        _take(world, duty, counterpart=None,
              counterpart_assignment=duty.assignment(elsewhere, duty.people[2]))  # fmt: skip


def test_it_refuses_an_exchange_onto_a_day_the_requester_is_away(world, duty):
    DutyLeave.objects.create(person=duty.people[0], station=world.a.station,
                             starts_on=LATER, ends_on=LATER)  # fmt: skip
    with pytest.raises(ValidationError, match="a代表 在10月14日请假"):
        _take(world, duty, counterpart=None, counterpart_assignment=duty.wang_a)


# --- Who may take each step ----------------------------------------------------------------------


def test_it_lets_only_the_counterpart_answer_and_only_after_that_staff_decide(world, duty):
    swap = _take(world, duty)
    with pytest.raises(NotAllowed):
        swaps.swap_answer(actor=actor(duty.users[1]), swap=swap, agree=True)
    with pytest.raises(NotAllowed):
        swaps.swap_answer(actor=_me(world), swap=swap, agree=True)
    with pytest.raises(Conflict, match="对方还没有同意"):
        swaps.swap_decide(actor=_staff(world), swap=swap, approve=True)
    swaps.swap_answer(actor=_wang(duty), swap=swap, agree=True)
    for outsider in (actor(world.b.station_staff), actor(world.a.leadership), _wang(duty)):
        with pytest.raises(NotAllowed):
            swaps.swap_decide(actor=outsider, swap=swap, approve=True)
    swaps.swap_decide(actor=actor(world.a.office), swap=swap, approve=True)
    with pytest.raises(Conflict, match="已经处理过了"):
        swaps.swap_decide(actor=_staff(world), swap=swap, approve=True)


# --- Approval checks again ------------------------------------------------------------------------


def _agreed(world, duty, **over):
    swap = _take(world, duty, **over)
    return swaps.swap_answer(actor=_wang(duty), swap=swap, agree=True)


def test_it_refuses_approval_when_the_counterpart_went_on_leave_meanwhile(world, duty):
    swap = _agreed(world, duty)
    DutyLeave.objects.create(person=duty.people[2], station=world.a.station,
                             starts_on=WED, ends_on=WED)  # fmt: skip
    assert swaps.refusals(swaps.load_swap(swap.pk)) == ["a王三 在9月30日请假。"]
    with pytest.raises(ValidationError, match="请假"):
        swaps.swap_decide(actor=_staff(world), swap=swap, approve=True)
    swap.refresh_from_db()
    assert swap.status == SwapRequest.Status.AGREED
    assert Assignment.objects.get(pk=duty.my_a.pk).person == duty.people[0]


def test_it_refuses_approval_when_the_counterpart_got_a_shift_that_day(world, duty):
    swap = _agreed(world, duty)
    other = Roster.objects.create(
        station=world.a.room, pattern=duty.pattern, name="工作室", starts_on=WED, ends_on=WED,
        status=Roster.Status.PUBLISHED,
    )  # fmt: skip
    duty.shift(WED, duty.people[2], roster=other, starts=dt.time(15, 0))
    with pytest.raises(ValidationError, match="已有值班"):
        swaps.swap_decide(actor=_staff(world), swap=swap, approve=True)
    assert Assignment.objects.get(pk=duty.my_a.pk).person == duty.people[0]


@pytest.mark.parametrize("change", ["reassigned", "checked_in", "begun"])
def test_it_voids_a_request_whose_shift_changed(world, duty, change):
    swap = _agreed(world, duty)
    if change == "reassigned":
        Assignment.objects.filter(pk=duty.my_a.pk).update(person=duty.people[2])
    elif change == "checked_in":
        Assignment.objects.filter(pk=duty.my_a.pk).update(status="present", checked_in_at=NOW)
    later = dt.datetime(2026, 9, 30, 10, 0, tzinfo=NOW.tzinfo) if change == "begun" else NOW
    with time_machine.travel(later, tick=False), pytest.raises(Conflict, match="已失效"):
        swaps.swap_decide(actor=_staff(world), swap=swap, approve=True)
    swap.refresh_from_db()
    assert swap.status == SwapRequest.Status.VOID and swap.decision_note
    assert "已失效" in _swap_messages(world.a.deputy_user)[-1].title
    assert "已失效" in _swap_messages(duty.users[2])[-1].title


def test_it_voids_an_exchange_whose_other_shift_changed(world, duty):
    swap = swaps.swap_request(actor=_me(world), assignment=duty.my_a, counterpart=None,
                              counterpart_assignment=duty.wang_a, reason="x")  # fmt: skip
    Assignment.objects.filter(pk=duty.wang_a.pk).update(person=duty.people[0])
    with pytest.raises(Conflict):
        swaps.swap_answer(actor=_wang(duty), swap=swap, agree=True)
    swap.refresh_from_db()
    assert swap.status == SwapRequest.Status.VOID


def test_it_voids_other_open_requests_about_a_moved_shift(world, duty):
    swap = _agreed(world, duty)
    # 王三 also asked a代表 to exchange his later shift for that same Wednesday.
    other = swaps.swap_request(actor=_wang(duty), assignment=duty.wang_a, counterpart=None,
                               counterpart_assignment=duty.my_a, reason="调整")  # fmt: skip
    swaps.swap_decide(actor=_staff(world), swap=swap, approve=True)
    other.refresh_from_db()
    assert other.status == SwapRequest.Status.VOID


def test_the_sweep_voids_stale_requests_once(world, duty):
    swap = _take(world, duty)
    assert swaps.void_stale_swaps() == 0
    later = dt.datetime(2026, 9, 30, 12, 0, tzinfo=NOW.tzinfo)
    assert swaps.void_stale_swaps(now=later) == 1
    assert swaps.void_stale_swaps(now=later) == 0
    swap.refresh_from_db()
    assert swap.status == SwapRequest.Status.VOID
    assert len([n for n in _swap_messages(world.a.deputy_user) if "已失效" in n.title]) == 1


# --- The pages ---------------------------------------------------------------------------------


def test_it_asks_agrees_and_approves_through_the_pages(world, duty):
    phone = world.client_for(world.a.deputy_user, Role.DEPUTY)
    url = reverse("mobile:duty_shift", args=[duty.my_a.pk])
    form = phone.get(url).context["form"]
    choices = [v for _g, group in form.fields["choice"].choices[1:] for v, _l in group]
    assert f"take:{duty.people[2].pk}" in choices  # 王三 is free on Wednesday
    assert f"take:{duty.people[1].pk}" not in choices  # 李二 is on the same shift
    assert f"swap:{duty.wang_a.pk}" in choices
    response = phone.post(url, {"choice": f"take:{duty.people[2].pk}", "reason": "外出开会"})
    assert response.status_code == 302
    swap = SwapRequest.objects.get()

    wang = world.client_for(duty.users[2], Role.DEPUTY)
    page = wang.get(reverse("mobile:duty_swaps")).content.decode()
    assert "a代表 请您代班" in page and "外出开会" in page
    assert wang.post(reverse("mobile:duty_swaps"),
                     {"swap": swap.pk, "answer": "agree"}).status_code == 302  # fmt: skip
    swap.refresh_from_db()
    assert swap.status == SwapRequest.Status.AGREED

    staff = world.client_for(world.a.station_staff, Role.STATION)
    listed = staff.get(reverse("duty:swap_list")).content.decode()
    assert reverse("duty:swap_detail", args=[swap.pk]) in listed
    detail = staff.get(reverse("duty:swap_detail", args=[swap.pk]))
    assert detail.context["may_decide"]
    response = staff.post(reverse("duty:swap_decide", args=[swap.pk]),
                          {"decision": "approve", "note": ""})  # fmt: skip
    assert response.status_code == 302
    assert Assignment.objects.get(pk=duty.my_a.pk).person == duty.people[2]
    assert "已批准" in staff.get(response["Location"]).content.decode()


def test_it_shows_staff_what_stands_in_the_way_and_keeps_other_stations_out(world, duty):
    swap = _agreed(world, duty)
    DutyLeave.objects.create(person=duty.people[2], starts_on=WED, ends_on=WED)
    staff = world.client_for(world.a.station_staff, Role.STATION)
    page = staff.get(reverse("duty:swap_detail", args=[swap.pk])).content.decode()
    assert "现在批准会被拒绝" in page and "a王三 在9月30日请假。" in page
    response = staff.post(reverse("duty:swap_decide", args=[swap.pk]), {"decision": "approve"})
    assert "请假" in staff.get(response["Location"]).content.decode()
    other = world.client_for(world.b.station_staff, Role.STATION)
    assert other.get(reverse("duty:swap_detail", args=[swap.pk])).status_code == 404
    assert other.post(reverse("duty:swap_decide", args=[swap.pk]),
                      {"decision": "approve"}).status_code == 404  # fmt: skip
    swap.refresh_from_db()
    assert swap.status == SwapRequest.Status.AGREED


def test_it_keeps_the_phones_swap_form_to_his_own_open_shifts(world, duty):
    phone = world.client_for(world.a.deputy_user, Role.DEPUTY)
    li_a = duty.assignment(duty.mine, duty.people[1])
    assert phone.get(reverse("mobile:duty_shift", args=[li_a.pk])).status_code == 404
    response = phone.post(reverse("mobile:duty_shift", args=[duty.my_a.pk]),
                          {"choice": f"take:{duty.people[2].pk}", "reason": ""})  # fmt: skip
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert SwapRequest.objects.count() == 0
    other = world.client_for(duty.users[1], Role.DEPUTY)
    swap = _take(world, duty)
    assert other.post(reverse("mobile:duty_swaps"),
                      {"swap": swap.pk, "answer": "agree"}).status_code == 404  # fmt: skip
    swap.refresh_from_db()
    assert swap.status == SwapRequest.Status.PENDING
