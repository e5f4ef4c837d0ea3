"""The base of every list filter (pages and API): choices narrowed to the actor's reach."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.permissions import Actor, scope
from lianxin.common.forms import label_empty_choice


class ActorFilterSet(django_filters.FilterSet):
    """Takes ``actor=`` (pages) or finds it from the API request; related-object choices are
    narrowed to reach, so a filter never lists another township's records."""

    def __init__(self, *args: Any, actor: Actor | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if actor is None and self.request is not None:
            from lianxin.accounts.api_permissions import request_actor

            actor = (
                request_actor(self.request)
                if hasattr(self.request, "_request")
                else getattr(self.request, "actor", None)
            )
        self.actor = actor
        for f in self.form.fields.values():
            if isinstance(f, forms.ModelChoiceField) and actor is not None:
                f.queryset = scope(actor, f.queryset)  # type: ignore[arg-type]
            label_empty_choice(f, _("全部"))
            widget = f.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
