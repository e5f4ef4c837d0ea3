"""Directory services and the generic API save: rules, reach and idempotence."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import actor_for
from lianxin.common.errors import Conflict, NotAllowed
from lianxin.common.services import save_instance
from lianxin.directory import services
from lianxin.directory.models import Mandate, Station, WorkPlan


def office(world, t="a"):
    user = getattr(world, t).office
    return actor_for(user, user.assignments.get(role=Role.OFFICE).pk)


def test_it_ends_a_mandate_once(world):
    mandate = world.a.deputy.mandates.get()
    ended = services.mandate_end(
        actor=office(world), mandate=mandate, ended_on=datetime.date(2026, 1, 5), reason="death"
    )
    assert ended.status == Mandate.Status.TERMINATED
    assert ended.end_reason == "death"
    with pytest.raises(Conflict):
        services.mandate_end(
            actor=office(world),
            mandate=mandate,
            ended_on=datetime.date(2026, 1, 5),
            reason="death",
        )


def test_it_marks_a_resignation_as_resigned(world):
    mandate = world.a.deputy.mandates.get()
    ended = services.mandate_end(
        actor=office(world),
        mandate=mandate,
        ended_on=datetime.date(2026, 1, 5),
        reason=Mandate.EndReason.RESIGNATION,
    )
    assert ended.status == Mandate.Status.RESIGNED


def test_it_refuses_an_unknown_reason_in_chinese(world):
    mandate = world.a.deputy.mandates.get()
    with pytest.raises(ValidationError) as err:
        services.mandate_end(
            actor=office(world), mandate=mandate, ended_on=datetime.date(2026, 1, 5), reason="x"
        )
    assert err.value.message_dict["reason"] == ["请选择终止原因。"]


def test_it_refuses_to_end_a_mandate_out_of_reach(world):
    with pytest.raises(NotAllowed):
        services.mandate_end(
            actor=office(world, "b"),
            mandate=world.a.deputy.mandates.get(),
            ended_on=datetime.date(2026, 1, 5),
            reason="death",
        )


def test_it_publishes_a_plan_once(world):
    plan = WorkPlan.objects.create(congress=world.a.congress, year=2026, title="计划", content="x")
    first = services.workplan_publish(actor=office(world), plan=plan)
    second = services.workplan_publish(actor=office(world), plan=plan)
    assert first.published_at == second.published_at
    with pytest.raises(NotAllowed):
        services.workplan_publish(actor=office(world, "b"), plan=plan)


def test_it_saves_an_instance_only_within_reach(world):
    station = Station(name="新站", kind=Station.Kind.HOME, region=world.b.region)
    with pytest.raises(ValidationError):
        save_instance(actor=office(world), instance=station)
    assert not Station.objects.filter(name="新站").exists()
    station = Station(name="新站", kind=Station.Kind.HOME, region=world.a.region)
    save_instance(actor=office(world), instance=station)
    assert Station.objects.filter(name="新站").exists()
    with pytest.raises(NotAllowed):
        save_instance(actor=office(world, "b"), instance=station)


def test_it_refuses_a_save_by_a_role_without_the_capability(world):
    leader = actor_for(world.a.leadership)
    station = world.a.station
    station.name = "改名"
    with pytest.raises(NotAllowed):
        save_instance(actor=leader, instance=station)
