"""The one generic write for directory-like records edited through a form or the API.

Checks the actor's capability and reach, validates, saves in a transaction. The audit trail
records the change (lianxin.audit registers the models it watches).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import Actor, can_edit, can_edit_model
from lianxin.common.errors import NotAllowed

M = TypeVar("M", bound=models.Model)

# Rules that depend on who saves, not only on what is saved (e.g. ORG-9: only staff whose reach
# covers both townships may place a deputy in a grid of another township). Apps register them
# with ``@actor_rule("app.model")``; both writes below run them before saving.
ActorRule = Callable[[Actor, Any], None]
_ACTOR_RULES: dict[str, list[ActorRule]] = {}


def actor_rule(label: str) -> Callable[[ActorRule], ActorRule]:
    def register(fn: ActorRule) -> ActorRule:
        _ACTOR_RULES.setdefault(label, []).append(fn)
        return fn

    return register


def check_actor_rules(actor: Actor, instance: models.Model) -> None:
    """Raises ValidationError when a rule refuses ``actor`` saving ``instance`` as it is."""
    for rule in _ACTOR_RULES.get(instance._meta.label_lower, []):
        rule(actor, instance)


def _check_may_edit(actor: Actor, model: type[models.Model], pk: Any) -> None:
    """The actor may edit this model and, for an existing record, this record as stored."""
    if not can_edit_model(actor, model):
        raise NotAllowed
    if pk is not None and not can_edit(actor, model._default_manager.get(pk=pk)):
        raise NotAllowed


def _check_still_in_reach(actor: Actor, obj: models.Model) -> None:
    # The new state must stay within reach: e.g. an office cannot move a station elsewhere.
    if not can_edit(actor, obj):
        raise ValidationError(_("只能保存您管辖范围内的记录。"))  # rolls the save back


@transaction.atomic
def save_record(*, actor: Actor, form: forms.ModelForm) -> models.Model:  # type: ignore[type-arg]
    """Saves a valid ModelForm for ``actor``; the saved record must lie within his reach."""
    _check_may_edit(actor, form._meta.model, form.instance.pk)
    check_actor_rules(actor, form.instance)
    obj: Any = form.save()
    _check_still_in_reach(actor, obj)
    return obj  # type: ignore[no-any-return]


@transaction.atomic
def save_instance(*, actor: Actor, instance: M) -> M:
    """Saves a validated model instance (the API's writes) under the same rules as
    ``save_record``: capability, reach before and after, model validation."""
    _check_may_edit(actor, type(instance), instance.pk)
    instance.full_clean()
    check_actor_rules(actor, instance)
    instance.save()
    _check_still_in_reach(actor, instance)
    return instance
