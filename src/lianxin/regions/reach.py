"""Reach of region records (SPEC section 0)."""

from django.db.models import Q

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import NOTHING, Actor, Perm, model_perms, reach, region_path

model_perms("regions.region", Perm.VIEW_REGIONS, Perm.EDIT_REGIONS)


@reach("regions.region")
def region_reach(actor: Actor) -> Q | None:
    role = actor.role
    if role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
        return None  # they assign accounts to any region
    if role in (Role.OFFICE, Role.LEADERSHIP):
        return Q(path__startswith=region_path(actor))
    a = actor.assignment
    if role == Role.STATION and a is not None and a.station is not None:
        return Q(path__startswith=a.station.region.path)
    return NOTHING
