"""Filters of the audit trail: by actor, action, object type and date (SEC-4)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.audit.models import AuditEntry


def object_type_choices() -> list[tuple[str, str]]:
    from django.contrib.auth import get_user_model

    from lianxin.audit.registry import watched_models

    models = {m._meta.label_lower: str(m._meta.verbose_name) for m in watched_models()}
    models.setdefault(get_user_model()._meta.label_lower, str(_("账号")))
    return sorted(models.items(), key=lambda item: item[1])


class AuditEntryFilter(django_filters.FilterSet):
    actor_name = django_filters.CharFilter(label=_("操作人"), lookup_expr="icontains")
    action = django_filters.ChoiceFilter(
        label=_("操作"), choices=AuditEntry.Action.choices, empty_label=_("全部")
    )
    object_type = django_filters.ChoiceFilter(
        label=_("对象类型"), choices=object_type_choices, empty_label=_("全部")
    )
    object_id = django_filters.CharFilter(label=_("对象编号"))
    date_from = django_filters.DateFilter(
        label=_("起始日期"),
        field_name="at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("截止日期"),
        field_name="at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEntry
        fields: list[str] = []

    def __init__(self, *args: Any, actor: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        for f in self.form.fields.values():
            css = "form-select" if isinstance(f.widget, forms.Select) else "form-control"
            f.widget.attrs.setdefault("class", css)
