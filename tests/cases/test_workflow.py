"""The closed loop's one transition table, applied by one function (CASE-3, CASE-5, CASE-7)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from lianxin.audit.models import AuditEntry
from lianxin.cases import services, workflow
from lianxin.cases.models import Case, CaseCitizen, CaseEvent, CaseUnit, Procedure
from lianxin.cases.workflow import TABLE, Action, Who
from lianxin.common.errors import Conflict, NotAllowed

S = Case.Status
pytestmark = pytest.mark.django_db


def statuses(case: Case) -> list[str]:
    return list(case.events.order_by("seq").values_list("to_status", flat=True))


def walk_to_handling(world, a) -> Case:
    from tests.cases.conftest import file

    case = file(world.a).case
    case = services.confirm(who=a.deputy, case=case)
    case = services.triage(who=a.office, case=case, scope=Case.Scope.TOWNSHIP)
    case = services.dispatch(who=a.office, case=case, lead=world.a.unit, co=[world.a.sub_unit])
    return services.accept(who=a.unit, case=case)


def test_it_walks_the_six_orders_and_writes_one_event_per_step(world, a):
    case = walk_to_handling(world, a)
    case = services.reply(who=a.unit, case=case, text="已更换路灯三盏。", solved=True)
    case = services.approve_reply(who=a.deputy, case=case)
    citizen = case.citizens.get()
    case = services.rate(who=Who.citizen(citizen.pk), case=case, rating=Case.Rating.SATISFIED)
    case = services.return_visit(who=a.station, case=case, note="电话回访，群众表示满意。")
    case = services.archive(who=a.office, case=case)
    assert statuses(case) == [
        S.SUBMITTED, S.CONFIRMED, S.TRIAGED, S.DISPATCHED, S.HANDLING, S.REPLIED,
        S.AWAITING_RATING, S.CLOSED, S.CLOSED, S.ARCHIVED,
    ]  # fmt: skip
    assert list(case.events.values_list("seq", flat=True)) == list(range(1, 11))
    assert case.rating == Case.Rating.SATISFIED and case.archived_at is not None
    assert case.due_at is None
    lead = case.units.get(role=CaseUnit.Role.LEAD)
    assert lead.status == CaseUnit.Status.REPLIED and lead.reply == "已更换路灯三盏。"
    assert AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk)).count() == 9


def test_it_refuses_every_change_to_an_archived_case(world, a):
    case = walk_to_handling(world, a)
    case = services.reply(who=a.unit, case=case, text="已修复。", solved=True)
    case = services.approve_reply(who=a.deputy, case=case)
    case = services.rate(who=a.station, case=case, rating=Case.Rating.BASICALLY)
    case = services.return_visit(who=a.station, case=case, note="已回访。")
    case = services.archive(who=a.office, case=case)
    for action in Action:
        with pytest.raises(Conflict):
            workflow.apply(a.office, case.pk, action)
    event = case.events.last()
    assert event is not None
    with pytest.raises(Exception):  # noqa: B017 - the database refuses (trigger)
        CaseEvent.objects.filter(pk=event.pk).update(note="改写")


def test_it_answers_already_handled_to_the_second_of_two_dispatches(world, a):
    from tests.cases.conftest import file

    case = services.triage(who=a.office, case=services.confirm(who=a.deputy, case=file(world.a).case),
                           scope=Case.Scope.TOWNSHIP)  # fmt: skip
    services.dispatch(who=a.office, case=case, lead=world.a.unit)
    with pytest.raises(Conflict, match="已被他人处理"):
        services.dispatch(who=a.station, case=case, lead=world.a.sub_unit)
    assert case.units.count() == 1
    assert case.events.filter(action=Action.DISPATCH).count() == 1


def test_it_refuses_actors_outside_the_row_or_the_reach(world, a, b):
    from tests.cases.conftest import file

    case = file(world.a).case
    with pytest.raises(NotAllowed):
        services.confirm(who=b.deputy, case=case)  # another township's deputy
    with pytest.raises(NotAllowed):
        services.confirm(who=a.unit, case=case)  # units do not take cases up
    with pytest.raises(NotAllowed):
        services.triage(who=b.office, case=case, scope=Case.Scope.TOWNSHIP)
    # 定单 comes first when the congress wants it: no triage straight from 点单.
    with pytest.raises(Conflict):
        services.triage(who=a.office, case=case, scope=Case.Scope.TOWNSHIP)
    assert Case.objects.get(pk=case.pk).status == S.SUBMITTED
    assert case.events.count() == 1


def test_it_sends_a_reply_back_and_reopens_once_on_dissatisfaction(world, a):
    case = walk_to_handling(world, a)
    case = services.reply(who=a.unit, case=case, text="已安排。", solved=False)
    case = services.send_back(who=a.deputy, case=case, reason="没有说明何时修好。")
    assert case.status == S.HANDLING
    case = services.reply(who=a.unit, case=case, text="本周五前修好。", solved=True)
    case = services.approve_reply(who=a.deputy, case=case)
    citizen = case.citizens.get()
    with pytest.raises(ValidationError):
        services.rate(who=Who.citizen(citizen.pk), case=case, rating=Case.Rating.DISSATISFIED)
    case = services.rate(
        who=Who.citizen(citizen.pk), case=case, rating=Case.Rating.DISSATISFIED, reason="还是没修"
    )
    assert case.status == S.HANDLING and case.reopen_count == 1
    assert case.due_step == "reply" and case.due_at is not None
    case = services.reply(who=a.unit, case=case, text="已修好。", solved=True)
    case = services.approve_reply(who=a.deputy, case=case)
    case = services.rate(
        who=Who.citizen(citizen.pk), case=case, rating=Case.Rating.DISSATISFIED, reason="灯不亮"
    )
    assert case.status == S.CLOSED and case.rating == Case.Rating.DISSATISFIED
    rated = CaseCitizen.objects.get(pk=citizen.pk)
    assert rated.rating == Case.Rating.DISSATISFIED and rated.rating_reason == "灯不亮"


def test_it_lets_the_unit_return_a_case_for_redispatch(world, a):
    from tests.cases.conftest import file

    case = services.confirm(who=a.deputy, case=file(world.a).case)
    case = services.triage(who=a.office, case=case, scope=Case.Scope.TOWNSHIP)
    case = services.dispatch(who=a.office, case=case, lead=world.a.unit)
    with pytest.raises(ValidationError):
        services.return_case(who=a.unit, case=case, reason=" ")
    case = services.return_case(who=a.unit, case=case, reason="不属于本单位职责")
    assert case.status == S.TRIAGED and case.due_step == "dispatch"
    assert case.units.get().status == CaseUnit.Status.RETURNED
    case = services.dispatch(who=a.office, case=case, lead=world.a.sub_unit)
    assert case.units.filter(status=CaseUnit.Status.DISPATCHED).get().unit == world.a.sub_unit


def test_it_runs_pu_yang_county_without_confirmation_and_checked_by_the_office(world, a):
    """濮阳县 交办—督促解决—反馈评估—回访问效: no 定单; the office checks replies."""
    from tests.cases.conftest import file

    Procedure.objects.create(
        congress=world.a.congress,
        name="交办—督促解决—反馈评估—回访问效",
        deputy_confirms=False,
        reply_checked_by=Procedure.Checker.OFFICE,
        labels={"dispatch": "交办", "return_visit": "回访问效"},
    )
    case = file(world.a).case
    with pytest.raises(Conflict):
        services.confirm(who=a.deputy, case=case)
    case = services.triage(who=a.station, case=case, scope=Case.Scope.TOWNSHIP)
    case = services.dispatch(who=a.office, case=case, lead=world.a.unit)
    case = services.accept(who=a.unit, case=case)
    case = services.reply(who=a.unit, case=case, text="已办结。", solved=True)
    with pytest.raises(NotAllowed):
        services.approve_reply(who=a.deputy, case=case)
    case = services.approve_reply(who=a.office, case=case)
    assert case.status == S.AWAITING_RATING
    procedure = workflow.procedure_for(case)
    assert workflow.label(procedure, "dispatch", workflow.ACTION_LABELS[Action.DISPATCH]) == "交办"


def test_it_closes_unrated_cases_as_unrated_not_satisfied(world, a):
    case = walk_to_handling(world, a)
    case = services.reply(who=a.unit, case=case, text="已修复。", solved=True)
    case = services.approve_reply(who=a.deputy, case=case)
    case = services.expire_rating(case=case)
    assert case.status == S.CLOSED and case.rating == Case.Rating.UNRATED


def test_it_merges_a_case_and_keeps_each_citizens_link(world, a):
    from tests.cases.conftest import file

    first = file(world.a)
    second = file(world.a, name="李四", phone="13900001111")
    services.merge(who=a.office, case=second.case, into=first.case)
    merged = Case.objects.get(pk=second.case.pk)
    assert merged.status == S.MERGED and merged.merged_into_id == first.case.pk
    assert services.find_by_token(second.token).case == first.case
    assert services.find_by_token(first.token).case == first.case
    assert first.case.citizens.count() == 2
    assert first.case.citizens.filter(is_primary=True).get().pk == first.citizen.pk


def test_every_row_names_known_roles_and_one_row_per_status_and_action():
    roles = {"office", "station", "unit", "deputy", "citizen", "system"}
    for row in TABLE:
        assert row.roles <= roles, row
        assert row.source not in (S.ARCHIVED, S.MERGED), row
    assert len({(r.source, r.action) for r in TABLE}) == len(TABLE)


def test_it_counts_the_first_deadline_across_the_national_day_holiday(world, a):
    """CASE-4: 3 days from 28 September 2026 end on 1 October, a holiday; the period ends on
    the first working day after the National Day holiday (民法典 §203)."""
    from lianxin.holidays.deadlines import BEIJING, is_working_day
    from tests.cases.conftest import file

    case = file(world.a, received_at=dt.datetime(2026, 9, 28, 2, tzinfo=dt.UTC)).case
    assert case.due_step == "report" and case.due_at is not None
    due = (case.due_at - dt.timedelta(seconds=1)).astimezone(BEIJING).date()
    assert due > dt.date(2026, 10, 7) and is_working_day(due)
    assert not any(
        is_working_day(dt.date(2026, 10, 1) + dt.timedelta(days=n))
        for n in range((due - dt.date(2026, 10, 1)).days)
    )


def test_it_gives_the_same_answer_to_a_retried_form(world):
    from tests.cases.conftest import file

    first = file(world.a, submission_key="k" * 32)
    again = file(world.a, submission_key="k" * 32)
    assert again.created is False
    assert (again.case.pk, again.token, again.pin) == (first.case.pk, first.token, first.pin)
    twin = file(world.a, submission_key="j" * 32)  # the same words by another citizen
    assert twin.case.pk != first.case.pk
    assert Case.objects.count() == 2


def test_it_masks_phones_and_names_in_the_public_text(world):
    from tests.cases.conftest import file

    receipt = file(
        world.a,
        name="王小明",
        text="我叫王小明，电话 138 1234 5678，身份证410425199001011234，王小明家门口的下水道堵了。",
    )
    public = receipt.case.public_text
    assert "王小明" not in public and "5678" not in public and "199001011234" not in public
    assert "下水道堵了" in public


def test_a_who_without_a_citizen_cannot_rate(world, a):
    case = walk_to_handling(world, a)
    case = services.reply(who=a.unit, case=case, text="已修复。", solved=True)
    case = services.approve_reply(who=a.deputy, case=case)
    other = CaseCitizen.objects.exclude(case=case).first()
    assert other is None
    with pytest.raises(NotAllowed):
        services.rate(who=Who(kind="citizen"), case=case, rating=Case.Rating.SATISFIED)
