"""Sensitive cases are seen only by the staff named on them; a recused member of staff no
longer sees or acts on a case (CASE-11)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lianxin.accounts.permissions import actor_for, in_reach
from lianxin.cases import services
from lianxin.common.errors import NotAllowed
from tests.cases.conftest import Personas, file

pytestmark = pytest.mark.django_db


def test_a_sensitive_case_is_seen_only_by_the_staff_named_on_it(world):
    a = Personas(world.a)
    case = services.confirm(who=a.deputy, case=file(world.a).case)
    office = actor_for(world.a.office)
    with pytest.raises(ValidationError):
        services.restrict(actor=office, case=case, users=[], reason=" ")
    services.restrict(
        actor=office, case=case, users=[world.a.station_staff], reason="涉及举报人安全"
    )
    assert in_reach(office, case)
    assert in_reach(actor_for(world.a.station_staff), case)
    assert not in_reach(actor_for(world.a.leadership), case)
    assert not in_reach(actor_for(world.a.deputy_user), case)
    with pytest.raises(NotAllowed):
        services.triage(who=a.deputy, case=case, scope="township")
    with pytest.raises(NotAllowed):
        services.restrict(actor=actor_for(world.a.station_staff), case=case, users=[], reason="x")


def test_a_recused_member_of_staff_no_longer_sees_or_acts(world):
    a = Personas(world.a)
    case = services.confirm(who=a.deputy, case=file(world.a).case)
    station = actor_for(world.a.station_staff)
    services.recuse(actor=station, case=case, user=world.a.station_staff, reason="反映人是本人亲属")
    assert not in_reach(station, case)
    with pytest.raises(NotAllowed):
        services.triage(who=a.station, case=case, scope="township")
    assert services.triage(who=a.office, case=case, scope="township").status == "triaged"
    with pytest.raises(NotAllowed):  # only the office records somebody else's recusal
        services.recuse(
            actor=actor_for(world.a.deputy_user), case=case, user=world.a.office, reason="x"
        )
