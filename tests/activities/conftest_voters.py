"""Shared set-up of the voters tests (VOT-1, VOT-4): a fixed Beijing morning and helpers."""

from __future__ import annotations

import datetime as dt

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import actor_for
from lianxin.activities import voters
from lianxin.cases.models import Category

BEIJING = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 3, 16, 9, 0, tzinfo=BEIJING)
TODAY = NOW.date()


def deputy_actor(t):
    return actor_for(t.deputy_user, t.deputy_user.assignments.get(role=Role.DEPUTY).pk)


def office_actor(t):
    return actor_for(t.office, t.office.assignments.get(role=Role.OFFICE).pk)


def station_actor(t):
    return actor_for(t.station_staff, t.station_staff.assignments.get(role=Role.STATION).pk)


def add(t, n=1, *, year=None, region=None, start=0):
    """``n`` voters on township ``t``'s deputy's list."""
    return [
        voters.add_voter(
            actor=deputy_actor(t),
            year=year,
            name=f"选民{start + i}",
            phone=f"138{start + i:08d}",
            region=region or t.village,
            address="一组",
        )
        for i in range(n)
    ]


def category(t):
    return Category.objects.get_or_create(
        region=t.county, code="roads", defaults={"name": "道路交通"}
    )[0]
