from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from lianxin.accounts.permissions import ANONYMOUS, Perm


def unread(request: HttpRequest) -> dict[str, Any]:
    """``unread_notifications``: the acting account's unread count, counted only if shown."""
    actor = getattr(request, "actor", ANONYMOUS)
    if not actor.has(Perm.USE_INBOX):
        return {"unread_notifications": 0}

    def count() -> int:
        from lianxin.notifications.services import unread_count

        return unread_count(actor.user)

    return {"unread_notifications": SimpleLazyObject(count)}
