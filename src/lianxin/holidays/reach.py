"""Reach of the official calendar: every role reads it, the system administrator keeps it."""

from django.db.models import Q

from lianxin.accounts.permissions import NOTHING, Actor, Perm, model_perms, reach

model_perms("holidays.holidayyear", Perm.VIEW_CALENDAR, Perm.MANAGE_CALENDAR)
model_perms("holidays.calendarday", Perm.VIEW_CALENDAR, Perm.MANAGE_CALENDAR)


@reach("holidays.holidayyear")
def holiday_year_reach(actor: Actor) -> Q | None:
    return None if actor.has(Perm.VIEW_CALENDAR) else NOTHING


@reach("holidays.calendarday")
def calendar_day_reach(actor: Actor) -> Q | None:
    return None if actor.has(Perm.VIEW_CALENDAR) else NOTHING
