"""Forms and list filters of the attendance pages (DUTY-3)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lianxin.activities.models import Assignment
from lianxin.common.filters import ActorFilterSet
from lianxin.common.forms import StaffForm
from lianxin.directory.models import Station

MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month(value: str | None) -> dt.date | None:
    """ "2026-03" → 2026-03-01; None for anything else."""
    match = MONTH_RE.match((value or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return dt.date(year, month, 1)


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"})

    def clean(self, value: Any) -> dt.date | None:  # type: ignore[override]
        value = super().clean(value)
        if not value:
            return None
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError(_("月份格式应为 2026-03。"))
        return month


class ConfirmForm(StaffForm):
    """工作人员确认到岗: the time he arrived, when it was not just now."""

    arrived_at = forms.TimeField(
        label=_("到岗时间"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("留空表示现在；补登往日的到岗须填写。"),
        error_messages={"invalid": _("时间格式应为 09:00。")},
    )


class ExcuseForm(StaffForm):
    note = forms.CharField(
        label=_("请假说明"),
        max_length=200,
        error_messages={"required": _("请填写请假说明。")},
    )


class AbsenceFilter(ActorFilterSet):
    """缺岗记录: by station, month and person."""

    station = django_filters.ModelChoiceFilter(
        label=_("联络站"), field_name="shift__station", queryset=Station.objects.all()
    )
    month = django_filters.CharFilter(
        label=_("月份"),
        method="filter_month",
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"}),
    )
    person = django_filters.CharFilter(
        label=_("姓名"), field_name="person__name", lookup_expr="icontains"
    )

    class Meta:
        model = Assignment
        fields: list[str] = []

    def filter_month(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        month = parse_month(value)
        if month is None:
            return queryset.none() if value else queryset
        return queryset.filter(shift__date__year=month.year, shift__date__month=month.month)


class MonthForm(StaffForm):
    month = MonthField(label=_("月份"), required=True)
