"""Only the audit administrator reads the audit trail (SEC-4, 三员分立)."""

from django.db.models import Q

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import NOTHING, Actor, Perm, model_perms, reach

model_perms("audit.auditentry", Perm.READ_AUDIT, Perm.WRITE_AUDIT)


@reach("audit.auditentry")
def audit_reach(actor: Actor) -> Q | None:
    return None if actor.role == Role.AUDIT_ADMIN else NOTHING
