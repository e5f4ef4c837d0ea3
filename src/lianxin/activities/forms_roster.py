"""Forms of the roster pages (DUTY-2): the roster's settings, publishing, one shift's edit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.activities.duty.planning import within_a_year
from lianxin.activities.models import DutyPattern, Roster
from lianxin.common.forms import StaffForm, StaffModelForm

MAX_FORM_TIME_LIMIT = 300


class RosterForm(StaffModelForm):
    """A roster: which pattern, over which period (at most a year), with which limits."""

    class Meta:
        model = Roster
        fields = ["pattern", "name", "starts_on", "ends_on", "max_per_month", "time_limit_seconds"]
        widgets = {"starts_on": forms.DateInput(), "ends_on": forms.DateInput()}
        help_texts = {
            "name": _("如 2027年代表周三见排班"),
            "time_limit_seconds": _("自动排班最多用时，到时给出当时找到的最好结果。"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["pattern"]
        field.queryset = field.queryset.filter(is_active=True).select_related("station")  # type: ignore[attr-defined]
        self.fields["time_limit_seconds"].widget.attrs.update(min=1, max=MAX_FORM_TIME_LIMIT)

    def clean_time_limit_seconds(self) -> int:
        value = int(self.cleaned_data["time_limit_seconds"])
        if value > MAX_FORM_TIME_LIMIT:
            raise forms.ValidationError(_("排班限时最长 %(n)s 秒。") % {"n": MAX_FORM_TIME_LIMIT})
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends:
            if ends < starts:
                self.add_error("ends_on", _("结束日期不能早于开始日期。"))
            elif not within_a_year(starts, ends):
                self.add_error("ends_on", _("一张排班表最长一年。"))
        pattern: DutyPattern | None = data.get("pattern")
        if pattern is not None:
            # The model's clean compares station and pattern; the station follows the pattern.
            self.instance.station = pattern.station
        return data


class PublishForm(StaffForm):
    accept = forms.BooleanField(
        label=_("我已知晓上列岗位无人值班，仍然发布"),
        required=False,
    )


class ShiftEditForm(StaffForm):
    """One change to a shift: add a person of the pool, remove or replace one on it."""

    ADD, REMOVE, REPLACE = "add", "remove", "replace"
    op = forms.ChoiceField(
        choices=[(ADD, _("增加")), (REMOVE, _("移除")), (REPLACE, _("替换"))],
        widget=forms.HiddenInput,
    )
    assignment = forms.IntegerField(required=False, widget=forms.HiddenInput)
    member = forms.TypedChoiceField(label=_("人员"), coerce=int, required=False, choices=[])

    def __init__(self, *args: Any, members: list[tuple[int, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", _("请选择")), *(members or [])]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        op = data.get("op")
        if op in (self.REMOVE, self.REPLACE) and not data.get("assignment"):
            raise forms.ValidationError(_("请选择要调整的人员。"))
        if op in (self.ADD, self.REPLACE) and not data.get("member"):
            self.add_error("member", _("请选择人员。"))
        return data
