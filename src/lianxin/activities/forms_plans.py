"""Forms of the plan pages (ACT-1, ACT-3): a training plan, a station's annual activity plan
and its items, the lists' filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.permissions import Actor, scope
from lianxin.activities.models import ActivityPlan, PlanItem, TrainingPlan
from lianxin.activities.models.activity import planned_classes_error, planned_hours_error
from lianxin.common.forms import StaffModelForm, label_empty_choice
from lianxin.directory.models import Congress, Station

YEAR_MIN, YEAR_MAX = 2000, 2100
YEAR_MESSAGE = _("年度应在 2000 至 2100 之间。")
MONTHS = [(m, _("%(m)s月") % {"m": m}) for m in range(1, 13)]


def _year(value: int | None) -> int | None:
    if value is not None and not YEAR_MIN <= value <= YEAR_MAX:
        raise forms.ValidationError(YEAR_MESSAGE)
    return value


class TrainingPlanForm(StaffModelForm):
    """培训计划 (ACT-3): a congress's plan for one year, by level and theme."""

    class Meta:
        model = TrainingPlan
        fields = [
            "congress",
            "year",
            "title",
            "level",
            "theme",
            "audience",
            "planned_classes",
            "planned_hours",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].required = False
        self.fields["level"].help_text = _("不填时取所选人大的层级。")
        self.fields["planned_classes"].help_text = _("全年计划举办的培训期数，至少 1 期。")
        for name in ("year", "planned_classes", "planned_hours"):
            # The messages are the form's own (below), in plain words; no browser spinner limits.
            self.fields[name].widget.attrs.pop("min", None)
            self.fields[name].widget.attrs.pop("max", None)
            self.fields[name].validators = []

    def clean_year(self) -> int | None:
        return _year(self.cleaned_data.get("year"))

    def clean_planned_classes(self) -> int | None:
        value = self.cleaned_data.get("planned_classes")
        message = planned_classes_error(value)  # the model's rule (ACT-3), said in the field
        if message:
            raise forms.ValidationError(message)
        return value

    def clean_planned_hours(self) -> int | None:
        value = self.cleaned_data.get("planned_hours")
        message = planned_hours_error(value)
        if message:
            raise forms.ValidationError(message)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        congress: Congress | None = data.get("congress")
        if congress is not None and not data.get("level"):
            data["level"] = congress.level
            self.instance.level = congress.level
        title = (data.get("title") or "").strip()
        if congress is not None and data.get("year") and title:
            taken = TrainingPlan.objects.filter(congress=congress, year=data["year"], title=title)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error(
                    "title", _("本人大该年度已有同名的培训计划，请换一个名称或修改原计划。")
                )
        return data


class ActivityPlanForm(StaffModelForm):
    """站点年度活动计划 (ACT-1): one plan per station and year."""

    class Meta:
        model = ActivityPlan
        fields = ["station", "year", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].validators = []
        self.fields["year"].widget.attrs.pop("min", None)
        self.fields["year"].widget.attrs.pop("max", None)
        self.fields["note"].help_text = _("如全年活动的总体安排、重点。")

    def clean_year(self) -> int | None:
        return _year(self.cleaned_data.get("year"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        station, year = data.get("station"), data.get("year")
        if station is not None and year:
            taken = ActivityPlan.objects.filter(station=station, year=year)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error("year", _("该联络站本年度已有活动计划，请在原计划中增加计划活动。"))
        return data


class PlanItemForm(StaffModelForm):
    """One planned activity: month, kind, what, a note."""

    month = forms.TypedChoiceField(
        label=_("月份"),
        coerce=int,
        choices=[("", _("请选择")), *MONTHS],
        error_messages={"invalid_choice": _("请选择 1 至 12 月。")},
    )

    class Meta:
        model = PlanItem
        fields = ["month", "kind", "title", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].widget.attrs["class"] = "form-select"
        self.fields["title"].help_text = _("如：宣讲惠农政策、视察农村饮水安全。")


class TrainingFilter(forms.Form):
    """The training list's filters: year, level, theme."""

    year = forms.IntegerField(label=_("年度"), required=False)
    level = forms.TypedChoiceField(
        label=_("培训层级"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("全部")), *Congress.Level.choices],
    )
    theme = forms.CharField(label=_("主题"), required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css

    def clean_year(self) -> int | None:
        return _year(self.cleaned_data.get("year"))


class PlanFilter(forms.Form):
    """The station plans' filters: year, station."""

    year = forms.IntegerField(label=_("年度"), required=False)
    station = forms.ModelChoiceField(
        label=_("联络站"), required=False, queryset=Station.objects.none()
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = scope(actor, Station.objects.filter(is_active=True))  # type: ignore[attr-defined]
        label_empty_choice(self.fields["station"], _("全部"))
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css

    def clean_year(self) -> int | None:
        return _year(self.cleaned_data.get("year"))
