"""The one generic write for directory-like records edited through a form.

Checks the actor's capability and reach, validates, saves in a transaction. The audit trail
records the change (lianxin.audit registers the models it watches).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import Actor, can_edit, can_edit_model, in_reach
from lianxin.common.errors import NotAllowed


@transaction.atomic
def save_record(*, actor: Actor, form: forms.ModelForm) -> models.Model:  # type: ignore[type-arg]
    """Saves a valid ModelForm for ``actor``; the saved record must lie within his reach."""
    model = form._meta.model
    instance = form.instance
    if not can_edit_model(actor, model):
        raise NotAllowed
    if instance.pk is not None and not can_edit(actor, model._default_manager.get(pk=instance.pk)):
        raise NotAllowed
    obj: Any = form.save()
    # The new state must stay within reach: e.g. an office cannot move a station elsewhere.
    if not in_reach(actor, obj):
        raise ValidationError(_("只能保存您管辖范围内的记录。"))  # rolls the save back
    return obj  # type: ignore[no-any-return]
