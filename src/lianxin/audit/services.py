"""Writing the audit trail (SEC-4). Personal values are never written in clear (SEC-2)."""

from __future__ import annotations

from typing import Any

from django.db import models

from lianxin.audit.models import AuditEntry

MASKED = "***"


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    address: str = "",
    note: str = "",
    actor_name: str = "",
) -> AuditEntry:
    """Appends one entry. ``actor`` is an ``Actor``, a ``User`` or None (the system)."""
    user = getattr(actor, "user", actor)
    role = actor.label() if hasattr(actor, "label") else ""
    is_user = user is not None and getattr(user, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=user if is_user else None,
        actor_name=actor_name or (user.get_username() if is_user else ""),
        role=role[:60],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        changes=changes or {},
        address=address[:64],
        note=note[:200],
    )


def record_reveal(*, actor: Any, obj: models.Model, field: str, address: str = "") -> AuditEntry:
    """Every reveal of personal data is logged: who saw which field of which record."""
    return record(
        actor=actor,
        action=AuditEntry.Action.REVEAL,
        obj=obj,
        changes={"field": field},
        address=address,
    )


def reveal_personal(*, actor: Any, obj: models.Model, field: str, address: str = "") -> str:
    """Returns one personal field in clear for an actor allowed to see it; logs the reveal.

    Temporary thin version (the audit engineer's fuller one replaces it): it checks the
    permission module, records the reveal and returns the value. Raises ``NotAllowed``.
    """
    from lianxin.accounts.permissions import can_reveal_personal
    from lianxin.common.errors import NotAllowed

    if not can_reveal_personal(actor, obj):
        raise NotAllowed
    record_reveal(actor=actor, obj=obj, field=field, address=address)
    return str(getattr(obj, field) or "")
