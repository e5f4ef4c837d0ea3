from typing import Any

from django.http import HttpRequest

from lianxin.accounts.models import RoleAssignment
from lianxin.accounts.permissions import ANONYMOUS, Perm
from lianxin.common.navigation import nav_for


def actor(request: HttpRequest) -> dict[str, Any]:
    """The acting role and the roles the account may switch to, for the page header."""
    current = getattr(request, "actor", ANONYMOUS)
    if not current.is_authenticated:
        return {"actor": current}
    assignments = RoleAssignment.objects.filter(user=current.user, is_active=True).select_related(
        "region", "station", "unit"
    )
    return {
        "actor": current,
        "role_choices": list(assignments),
        "perms": {p.name: current.has(p) for p in Perm},
        "nav_groups": nav_for(current, request.path),
    }
