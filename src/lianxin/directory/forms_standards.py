"""Forms of station standards and inspections (ORG-6) and of handover (CASE-12)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.permissions import Actor
from lianxin.common.forms import StaffForm, StaffModelForm
from lianxin.directory.models import Checklist, ChecklistItem, Station
from lianxin.directory.reach import checklist_edit_reach
from lianxin.directory.services import score_key


class ChecklistForm(StaffModelForm):
    station_kinds = forms.MultipleChoiceField(
        label=_("适用站点类型"),
        choices=Station.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选表示适用于所有类型的站点。"),
    )

    class Meta:
        model = Checklist
        fields = ["name", "region", "station_kinds", "pass_score", "description", "is_active"]
        help_texts = {
            "region": _("本区域及下级区域的联络站适用此标准。"),
            "pass_score": _("按百分制填写；项目分值合计不是100分时按比例折算。"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station_kinds"].widget.attrs = {"class": "form-check-input"}

    def clean_pass_score(self) -> int:
        value: int = self.cleaned_data["pass_score"]
        if not 0 < value <= 100:
            raise forms.ValidationError(_("达标分数应在1到100之间（百分制）。"))
        return value


def editable_checklists(actor: Actor | None, queryset: Any) -> Any:
    """Only the checklists the actor may change take new items (a township office uses the
    county's checklist but does not edit it)."""
    if actor is None:
        return queryset.none()
    condition = checklist_edit_reach(actor)
    return queryset if condition is None else queryset.filter(condition)


class ChecklistItemForm(StaffModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["checklist", "order", "title", "requirement", "max_score"]
        widgets = {"requirement": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"order": _("按序号从小到大排列。")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["checklist"]
        field.queryset = editable_checklists(self.actor, field.queryset)

    def clean_max_score(self) -> int:
        value: int = self.cleaned_data["max_score"]
        if value < 1:
            raise forms.ValidationError(_("分值应大于0。"))
        return value


class InspectionStartForm(StaffForm):
    """Which station is inspected against which checklist (the scoring page follows)."""

    station = forms.ModelChoiceField(label=_("联络站"), queryset=Station.objects.all())
    checklist = forms.ModelChoiceField(
        label=_("阵地建设标准"), queryset=Checklist.objects.filter(is_active=True)
    )


@dataclass(frozen=True)
class ScoreRow:
    """One item on the scoring page: the item as the inspection knows it."""

    item_id: int
    order: int
    title: str
    requirement: str
    max_score: int


def note_key(item_id: int) -> str:
    return f"note_{item_id}"


class InspectionForm(StaffForm):
    """The scoring page (ORG-6): one score (0..full score) and note per item, the inspectors,
    the date, what was found and what must be rectified. On a new inspection the station and
    the checklist are chosen too; a correction keeps them."""

    station = forms.ModelChoiceField(label=_("联络站"), queryset=Station.objects.all())
    checklist = forms.ModelChoiceField(
        label=_("阵地建设标准"), queryset=Checklist.objects.filter(is_active=True)
    )
    inspected_on = forms.DateField(label=_("检查日期"), widget=forms.DateInput)
    inspectors = forms.CharField(
        label=_("检查人员"), max_length=200, help_text=_("多人请用顿号分隔，如 张三、李四。")
    )
    findings = forms.CharField(
        label=_("发现的问题"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    rectification = forms.CharField(
        label=_("整改要求"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, rows: list[ScoreRow], creating: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        if not creating:
            del self.fields["station"], self.fields["checklist"]
        else:  # chosen on the previous step; the rows below belong to them
            self.fields["station"].widget = forms.HiddenInput()
            self.fields["checklist"].widget = forms.HiddenInput()
        self.fields["inspected_on"].initial = timezone.localdate
        for row in rows:
            messages = {
                "required": _("请填写“%(title)s”的得分。") % {"title": row.title},
                "invalid": _("“%(title)s”的得分请填写整数。") % {"title": row.title},
                "min_value": _("“%(title)s”的得分不能小于0。") % {"title": row.title},
                "max_value": _("“%(title)s”的得分不能超过%(max)s分。")
                % {"title": row.title, "max": row.max_score},
            }
            self.fields[score_key(row.item_id)] = forms.IntegerField(
                label=row.title,
                min_value=0,
                max_value=row.max_score,
                error_messages=messages,
                widget=forms.NumberInput(
                    attrs={"class": "form-control", "inputmode": "numeric", "style": "width:6rem"}
                ),
            )
            self.fields[note_key(row.item_id)] = forms.CharField(
                label=_("说明"),
                required=False,
                max_length=200,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )

    def clean_inspected_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["inspected_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("检查日期不能晚于今天。"))
        return value

    def head_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if not name.startswith(("score_", "note_"))]

    def score_rows(self) -> list[tuple[ScoreRow, Any, Any]]:
        return [(r, self[score_key(r.item_id)], self[note_key(r.item_id)]) for r in self.rows]


class HandoverForm(StaffForm):
    """离任交接 (CASE-12): the date his posts end."""

    ended_on = forms.DateField(
        label=_("离任日期"),
        widget=forms.DateInput,
        initial=timezone.localdate,
        help_text=_("他担任的站长等职务、网格长和组长职务在这一天结束，岗位列入空缺岗位。"),
    )
