"""Cases of the closed loop for the personas of ``world`` (tests/factories.py)."""

from __future__ import annotations

from typing import Any

import pytest

from lianxin.accounts.permissions import actor_for
from lianxin.cases import services
from lianxin.cases.models import Case, Category
from lianxin.cases.workflow import Who
from tests.factories import Township, World


def category_for(t: Township) -> Category:
    county = t.county
    return Category.objects.get_or_create(
        region=county, code="roads", defaults={"name": "道路交通"}
    )[0]


def who(user: Any, role: str | None = None) -> Who:
    actor = actor_for(user)
    if role is not None:
        assignment = user.assignments.get(role=role)
        actor = actor_for(user, assignment.pk)
    return Who.staff(actor)


def file(t: Township, **overrides: Any) -> services.Receipt:
    intake = services.Intake(
        channel=overrides.pop("channel", Case.Channel.QR_DEPUTY),
        region=overrides.pop("region", t.village),
        category=overrides.pop("category", category_for(t)),
        text=overrides.pop("text", "村口的路灯坏了三个月，晚上出行不便。"),
        station=overrides.pop("station", t.room),
        deputy=overrides.pop("deputy", t.deputy),
        name=overrides.pop("name", "张三"),
        phone=overrides.pop("phone", "13812345678"),
        **overrides,
    )
    return services.file_case(intake=intake)


class Personas:
    """Who for each persona of a township."""

    def __init__(self, t: Township) -> None:
        self.t = t

    @property
    def office(self) -> Who:
        return who(self.t.office)

    @property
    def station(self) -> Who:
        return who(self.t.station_staff)

    @property
    def unit(self) -> Who:
        return who(self.t.unit_staff)

    @property
    def deputy(self) -> Who:
        return who(self.t.deputy_user)

    @property
    def leadership(self) -> Who:
        return who(self.t.leadership)


@pytest.fixture
def a(world: World) -> Personas:
    return Personas(world.a)


@pytest.fixture
def b(world: World) -> Personas:
    return Personas(world.b)
