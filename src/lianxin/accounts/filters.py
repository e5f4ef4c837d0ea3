"""List filters of the administrators' pages."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.models import Role, RoleAssignment, User


class _StyledFilterSet(django_filters.FilterSet):
    def filter_active(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(is_active=value == "true")

    def __init__(self, *args: Any, actor: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        for f in self.form.fields.values():
            css = "form-select" if isinstance(f.widget, forms.Select) else "form-control"
            f.widget.attrs.setdefault("class", css)


ACTIVE_CHOICES = (("true", _("有效")), ("false", _("已停用")))


class UserFilter(_StyledFilterSet):
    is_active = django_filters.ChoiceFilter(
        label=_("状态"), choices=ACTIVE_CHOICES, method="filter_active", empty_label=_("全部")
    )
    role = django_filters.ChoiceFilter(
        label=_("角色"),
        choices=Role.choices,
        method="filter_role",
        empty_label=_("全部"),
    )

    class Meta:
        model = User
        fields = ["is_active"]

    def filter_role(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(assignments__role=value, assignments__is_active=True).distinct()


class AssignmentFilter(_StyledFilterSet):
    role = django_filters.ChoiceFilter(label=_("角色"), choices=Role.choices, empty_label=_("全部"))
    is_active = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=(("true", _("有效")), ("false", _("已撤销"))),
        method="filter_active",
        empty_label=_("全部"),
    )

    class Meta:
        model = RoleAssignment
        fields = ["role", "is_active"]
