"""Reach of accounts and role assignments: the system and security administrators (三员分立)."""

from django.db.models import Q

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import NOTHING, Actor, Perm, model_perms, reach

# The system administrator keeps accounts; the security administrator keeps roles.
model_perms("accounts.user", Perm.MANAGE_ACCOUNTS, Perm.MANAGE_ACCOUNTS)
model_perms("accounts.roleassignment", Perm.MANAGE_ROLES, Perm.MANAGE_ROLES)


@reach("accounts.user")
def user_reach(actor: Actor) -> Q | None:
    if actor.role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
        return None
    return NOTHING


@reach("accounts.roleassignment")
def assignment_reach(actor: Actor) -> Q | None:
    if actor.role == Role.SECURITY_ADMIN:
        return None
    if actor.is_authenticated:
        return Q(user_id=actor.user.pk)  # everybody sees his own assignments (role switcher)
    return NOTHING
