"""Writing the audit trail (SEC-4). Personal values are never written in clear (SEC-2)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from lianxin.audit.context import current_address
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
        actor_name=(actor_name or (user.get_username() if is_user else ""))[:150],
        role=role[:60],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        changes=changes or {},
        address=(address or current_address())[:64],
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
    """One personal field of ``obj`` in clear, for an actor allowed to see it (SEC-2).

    Checks the permission module (capability and reach), logs the reveal (field name only,
    never the value) and returns the value. Raises ``NotAllowed`` otherwise, and for a field
    that is not personal data (nothing to reveal).
    """
    from lianxin.accounts.permissions import can_reveal_personal
    from lianxin.common.errors import NotAllowed

    model_field = next((f for f in obj._meta.concrete_fields if f.name == field), None)
    if model_field is None or not getattr(model_field, "personal_data", False):
        raise NotAllowed
    if not can_reveal_personal(actor, obj):
        raise NotAllowed
    record_reveal(actor=actor, obj=obj, field=field, address=address)
    return str(getattr(obj, field) or "")


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Entries older than this may be purged; never less than 183 days (网络安全法 §21)."""
    days = max(183, int(settings.AUDIT_RETENTION_DAYS))
    return (now or timezone.now()) - datetime.timedelta(days=days)


def purge_expired_entries(*, now: datetime.datetime | None = None) -> int:
    """The retention purge: deletes entries older than the configured retention.

    On PostgreSQL the append-only trigger lets a DELETE through only for rows older than
    ``lianxin.audit_purge_before``, set here for this transaction alone.
    """
    cutoff = retention_cutoff(now)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # A timestamp we format ourselves, not user input; SET takes no parameters.
                cursor.execute(f"SET LOCAL lianxin.audit_purge_before = '{cutoff.isoformat()}'")
        return AuditEntry.objects.purge_before(cutoff)
