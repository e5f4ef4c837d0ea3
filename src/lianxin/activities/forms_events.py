"""Forms of the activity pages (ACT-1, PERF-3): an activity, its outcomes, invitations, the
opinions collected, a deputy's self-report and its approval, the list's filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.permissions import Actor
from lianxin.activities import events
from lianxin.activities.models import Activity, ActivityKind
from lianxin.cases.models import Category
from lianxin.common.forms import StaffForm, StaffModelForm
from lianxin.directory.models import Person, Station
from lianxin.regions.models import Region

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ActivityForm(StaffModelForm):
    """An activity organised by staff: kind, organiser, place, times."""

    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "description",
            "station",
            "group",
            "grid",
            "training_plan",
            "plan_item",
            "region",
            "organiser_name",
            "place",
            "starts_at",
            "ends_at",
            "hours",
        ]
        # The item of a station's annual plan the activity carries out (ACT-1): set when the
        # activity is started from the plan page, kept as it is by later edits.
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME, "plan_item": forms.HiddenInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].required = False
        self.fields["region"].help_text = _("不填时取组织站点所在区域。")
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("region") and not data.get("station"):
            self.add_error("region", _("请选择组织站点或所在区域。"))
        item, station = data.get("plan_item"), data.get("station")
        if item is not None and (
            station is None or not station.path.startswith(item.plan.station.path)
        ):
            self.add_error("station", _("按年度计划开展的活动，请选择该计划所属的联络站。"))
        return data


class OutcomeForm(StaffModelForm):
    """After the activity: minutes, outcomes, problems solved on the spot, research report."""

    class Meta:
        model = Activity
        fields = ["minutes", "outcomes", "solved_on_spot", "report_title", "report_text"]
        widgets = {
            "minutes": forms.Textarea(attrs={"rows": 4}),
            "outcomes": forms.Textarea(attrs={"rows": 3}),
            "report_text": forms.Textarea(attrs={"rows": 4}),
        }


class InviteForm(StaffForm):
    persons = forms.ModelMultipleChoiceField(
        label=_("邀请代表"), queryset=Person.objects.none(), required=False
    )
    station_deputies = forms.BooleanField(label=_("邀请本站全部代表"), required=False)
    group_members = forms.BooleanField(label=_("邀请小组全部成员"), required=False)

    def __init__(self, *args: Any, actor: Actor, activity: Activity, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        self.activity = activity
        self.fields["persons"].queryset = events.invitable(actor).order_by("name")  # type: ignore[attr-defined]
        if not activity.station_id:
            del self.fields["station_deputies"]
        if not activity.group_id:
            del self.fields["group_members"]

    def chosen(self) -> list[Person]:
        people = {p.pk: p for p in self.cleaned_data.get("persons") or []}
        if self.cleaned_data.get("station_deputies") and self.activity.station:
            people.update({p.pk: p for p in events.station_deputies(self.activity.station)})
        if self.cleaned_data.get("group_members") and self.activity.group:
            people.update({p.pk: p for p in events.group_members(self.activity.group)})
        return list(people.values())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not self.chosen():
            raise forms.ValidationError(_("请选择要邀请的代表。"))
        return data


class OpinionForm(StaffForm):
    category = forms.ModelChoiceField(label=_("类别"), queryset=Category.objects.none())
    text = forms.CharField(label=_("意见内容"), widget=forms.Textarea(attrs={"rows": 2}))
    region = forms.ModelChoiceField(
        label=_("所在区域"), queryset=Region.objects.none(), required=False
    )
    place = forms.CharField(label=_("具体地点"), max_length=200, required=False)
    name = forms.CharField(label=_("群众姓名"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)

    def __init__(self, *args: Any, actor: Actor | None = None, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["region"].queryset = Region.objects.all()  # type: ignore[attr-defined]
        if actor is not None:  # narrowed again now that the querysets are set
            from lianxin.accounts.permissions import scope

            self.fields["region"].queryset = scope(actor, Region.objects.all())  # type: ignore[attr-defined]
            self.fields["category"].queryset = scope(actor, Category.objects.filter(is_active=True))  # type: ignore[attr-defined]


OpinionFormSet = forms.formset_factory(OpinionForm, extra=3, max_num=30, validate_max=True)


class DecisionForm(StaffForm):
    note = forms.CharField(label=_("审核意见"), max_length=200, required=False)


class MarkForm(forms.Form):
    attendance = forms.ChoiceField(
        choices=[
            ("present", _("已签到")),
            ("absent", _("缺席")),
            ("excused", _("请假")),
        ]
    )


class PhotoForm(StaffForm):
    image = forms.FileField(label=_("活动照片"))


class SelfReportForm(StaffForm):
    kind = forms.ChoiceField(label=_("活动类型"), choices=[("", _("请选择")), *events.SELF_KINDS])
    title = forms.CharField(label=_("活动名称"), max_length=120)
    day = forms.DateField(label=_("活动日期"), widget=forms.DateInput())
    place = forms.CharField(label=_("地点"), max_length=200)
    content = forms.CharField(label=_("活动内容"), widget=forms.Textarea(attrs={"rows": 4}))


class ActivityFilter(forms.Form):
    """The list's filters: kind, month, station, status."""

    kind = forms.ChoiceField(
        label=_("活动类型"), required=False, choices=[("", _("全部")), *ActivityKind.choices]
    )
    month = forms.CharField(
        label=_("月份"), required=False, widget=forms.DateInput(attrs={"type": "month"})
    )
    station = forms.ModelChoiceField(
        label=_("组织站点"), required=False, queryset=Station.objects.none(), empty_label=_("全部")
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *Activity.Status.choices]
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        from lianxin.accounts.permissions import scope

        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = scope(actor, Station.objects.filter(is_active=True))  # type: ignore[attr-defined]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css

    def clean_month(self) -> dt.date | None:
        raw = (self.cleaned_data.get("month") or "").strip()
        if not raw:
            return None
        try:
            return dt.date.fromisoformat(f"{raw}-01")
        except ValueError as exc:
            raise forms.ValidationError(_("月份格式应为 2026-03。")) from exc


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)
