"""Form base classes: Bootstrap classes on every widget, ``actor`` for choices within reach."""

from __future__ import annotations

from typing import Any

from django import forms

from lianxin.accounts.permissions import Actor, scope


class StaffFormMixin:
    """Adds Bootstrap classes and marks invalid fields; narrows related choices to reach."""

    fields: dict[str, forms.Field]
    errors: Any

    def __init__(self, *args: Any, actor: Actor | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.actor = actor
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
            if isinstance(field, forms.ModelChoiceField) and actor is not None:
                field.queryset = scope(actor, field.queryset)  # type: ignore[attr-defined, arg-type]
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:
            if name in self.fields:
                css = self.fields[name].widget.attrs.get("class", "")
                self.fields[name].widget.attrs["class"] = f"{css} is-invalid".strip()


class StaffModelForm(StaffFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    pass


class StaffForm(StaffFormMixin, forms.Form):
    pass
