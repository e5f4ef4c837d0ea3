"""Form base classes: Bootstrap classes on every widget, ``actor`` for choices within reach."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.permissions import Actor, scope


def label_empty_choice(field: forms.Field, label: Any) -> None:
    """Shows an empty choice as words (请选择 / 全部) instead of Django's "---------"."""
    if isinstance(field, forms.ModelChoiceField) or hasattr(field, "empty_label"):
        # ModelChoiceField, and django-filter's ChoiceField, which adds the empty choice itself.
        if field.empty_label is not None and str(field.empty_label).startswith("---"):  # type: ignore[attr-defined]
            field.empty_label = label  # type: ignore[attr-defined]
    elif isinstance(field, forms.ChoiceField):
        choices = list(field.choices)  # type: ignore[arg-type]
        if choices and choices[0][0] in ("", None) and str(choices[0][1]).startswith("---"):
            field.choices = [("", label), *choices[1:]]


def _within_reach(actor: Actor, queryset: Any, instance: Any, name: str) -> Any:
    """The choices within reach, plus the record's current choice: a station head may save
    his station although the congress it names lies outside his reach; he just cannot pick
    another one."""
    scoped = scope(actor, queryset)
    current = getattr(instance, f"{name}_id", None) if getattr(instance, "pk", None) else None
    if current is None:
        return scoped
    return queryset.filter(Q(pk__in=scoped.values("pk")) | Q(pk=current))


class StaffFormMixin:
    """Adds Bootstrap classes and marks invalid fields; narrows related choices to reach."""

    fields: dict[str, forms.Field]
    errors: Any

    def __init__(self, *args: Any, actor: Actor | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.actor = actor
        instance = getattr(self, "instance", None)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
            if isinstance(field, forms.ModelChoiceField) and actor is not None:
                field.queryset = _within_reach(actor, field.queryset, instance, name)  # type: ignore[attr-defined, arg-type]
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"
            label_empty_choice(field, _("请选择"))

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:
            if name in self.fields:
                css = self.fields[name].widget.attrs.get("class", "")
                self.fields[name].widget.attrs["class"] = f"{css} is-invalid".strip()
                # Screen readers announce the message with the field (WCAG 3.3.1).
                self.fields[name].widget.attrs["aria-invalid"] = "true"
                self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}_error"


class StaffModelForm(StaffFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    pass


class StaffForm(StaffFormMixin, forms.Form):
    pass
