"""The one generic write for directory-like records edited through a form or the API.

Checks the actor's capability and reach, validates, saves in a transaction. The audit trail
records the change (lianxin.audit registers the models it watches).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import Actor, can_edit, can_edit_model, in_reach
from lianxin.common.errors import NotAllowed

M = TypeVar("M", bound=models.Model)


def _check_may_edit(actor: Actor, model: type[models.Model], pk: Any) -> None:
    """The actor may edit this model and, for an existing record, this record as stored."""
    if not can_edit_model(actor, model):
        raise NotAllowed
    if pk is not None and not can_edit(actor, model._default_manager.get(pk=pk)):
        raise NotAllowed


def _check_still_in_reach(actor: Actor, obj: models.Model) -> None:
    # The new state must stay within reach: e.g. an office cannot move a station elsewhere.
    if not in_reach(actor, obj):
        raise ValidationError(_("只能保存您管辖范围内的记录。"))  # rolls the save back


@transaction.atomic
def save_record(*, actor: Actor, form: forms.ModelForm) -> models.Model:  # type: ignore[type-arg]
    """Saves a valid ModelForm for ``actor``; the saved record must lie within his reach."""
    _check_may_edit(actor, form._meta.model, form.instance.pk)
    obj: Any = form.save()
    _check_still_in_reach(actor, obj)
    return obj  # type: ignore[no-any-return]


@transaction.atomic
def save_instance(*, actor: Actor, instance: M) -> M:
    """Saves a validated model instance (the API's writes) under the same rules as
    ``save_record``: capability, reach before and after, model validation."""
    _check_may_edit(actor, type(instance), instance.pk)
    instance.full_clean()
    instance.save()
    _check_still_in_reach(actor, instance)
    return instance
