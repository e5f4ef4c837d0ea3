"""Reach of notifications: each account reads only its own inbox (NOTE-1)."""

from django.db.models import Q

from lianxin.accounts.permissions import NOTHING, Actor, Perm, model_perms, reach

model_perms("notifications.notification", Perm.USE_INBOX, Perm.USE_INBOX)


@reach("notifications.notification")
def notification_reach(actor: Actor) -> Q | None:
    if actor.has(Perm.USE_INBOX):
        return Q(recipient_id=actor.user.pk)
    return NOTHING
