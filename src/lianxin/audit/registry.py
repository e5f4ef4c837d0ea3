"""The automatic audit trail of record changes (SEC-4).

Every create, update and delete of a watched model writes one entry: the actor (from
``lianxin.audit.context``), the changed field names, their old and new values. Personal
fields (``EncryptedTextField``) and passwords are recorded as changed with ``"***"``, never in
clear (SEC-2). ``pre_save`` loads the stored values; ``post_save``/``post_delete`` write.
Queryset ``update()``/``bulk_create()`` bypass signals: services that must be audited save
instances or call ``lianxin.audit.services.record`` themselves.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, post_save, pre_save

from lianxin.audit.context import current_actor, current_address

MASKED = "***"
# Apps whose every model is audited (SEC-4: the directory, regions, accounts and role
# assignments, the holiday calendar as configuration).
WATCHED_APPS = ("regions", "holidays", "accounts", "directory")
# Bookkeeping fields that change without anybody deciding anything.
IGNORED_FIELDS = frozenset({"last_login", "path", "depth", "created_at", "updated_at"})
SECRET_FIELDS = frozenset({"password"})

_watched: dict[type[models.Model], frozenset[str]] = {}


def is_personal(field: models.Field[Any, Any]) -> bool:
    return bool(getattr(field, "personal_data", False)) or field.name in SECRET_FIELDS


def _fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    excluded = _watched.get(model, frozenset())
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in IGNORED_FIELDS and f.name not in excluded
    ]


def to_json(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return str(value)


def _shown(field: models.Field[Any, Any], value: Any) -> Any:
    if is_personal(field):
        return MASKED if value not in (None, "") else ""
    return to_json(value)


def _on_pre_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw") or instance.pk is None or instance._state.adding:
        instance._audit_old = None  # type: ignore[attr-defined]
        return
    fields = _fields(sender)
    update_fields = kwargs.get("update_fields")
    if update_fields is not None:
        fields = [f for f in fields if f.name in update_fields or f.attname in update_fields]
    if not fields:
        instance._audit_old = {}  # type: ignore[attr-defined]
        return
    old = sender._base_manager.filter(pk=instance.pk).values(*[f.attname for f in fields]).first()
    instance._audit_old = old  # type: ignore[attr-defined]


def _on_post_save(
    sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any
) -> None:
    if kwargs.get("raw"):
        return
    from lianxin.audit.models import AuditEntry
    from lianxin.audit.services import record

    old = getattr(instance, "_audit_old", None)
    instance._audit_old = None  # type: ignore[attr-defined]
    changes: dict[str, Any] = {}
    if created or old is None:
        for f in _fields(sender):
            value = getattr(instance, f.attname)
            if value not in (None, "", [], {}):
                changes[f.name] = [None, _shown(f, value)]
        action = AuditEntry.Action.CREATE
    else:
        for f in _fields(sender):
            if f.attname not in old:
                continue
            before, after = old[f.attname], getattr(instance, f.attname)
            if to_json(before) != to_json(after):
                changes[f.name] = [_shown(f, before), _shown(f, after)]
        if not changes:
            return  # nothing anybody decided changed (e.g. only last_login)
        action = AuditEntry.Action.UPDATE
    record(
        actor=current_actor(),
        action=action,
        obj=instance,
        changes=changes,
        address=current_address(),
    )


def _on_post_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    from lianxin.audit.models import AuditEntry
    from lianxin.audit.services import record

    record(
        actor=current_actor(),
        action=AuditEntry.Action.DELETE,
        obj=instance,
        address=current_address(),
    )


def watch(model: type[models.Model], exclude: Iterable[str] = ()) -> None:
    """Audits every create, update and delete of ``model`` (idempotent)."""
    _watched[model] = frozenset(exclude)
    uid = f"lianxin-audit-{model._meta.label_lower}"
    pre_save.connect(_on_pre_save, sender=model, dispatch_uid=f"{uid}-pre")
    post_save.connect(_on_post_save, sender=model, dispatch_uid=f"{uid}-post")
    post_delete.connect(_on_post_delete, sender=model, dispatch_uid=f"{uid}-delete")


def watch_apps(labels: Iterable[str] = WATCHED_APPS) -> None:
    for label in labels:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models():
            watch(model)


def watched_models() -> list[type[models.Model]]:
    return list(_watched)
