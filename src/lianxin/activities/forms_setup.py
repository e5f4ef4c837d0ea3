"""Forms and list filters of the duty set-up pages (DUTY-1, DUTY-2): patterns, the pool, leave,
swaps — staff pages and the deputy's phone. Forms parse and check what was typed; the rules
live in ``duty/setup.py`` and ``duty/swaps.py``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.activities.duty import setup
from lianxin.activities.models import (
    DutyLeave,
    DutyPattern,
    PoolMember,
    SwapRequest,
)
from lianxin.activities.models.duty import DutyRole
from lianxin.common.filters import ActorFilterSet
from lianxin.common.forms import StaffForm, StaffModelForm
from lianxin.directory.models import Delegation, HandlingUnit, Mandate, Person, Station

WEEKDAY_CHOICES = [(str(n), label) for n, label in setup.WEEKDAYS]

KIND_HELP = {
    DutyPattern.Kind.WEEKLY: _("每周固定的一天或几天，如“代表周三见”勾选星期三。"),
    DutyPattern.Kind.WORKDAYS: _(
        "每个法定工作日都值班（调休上班的周六、周日也算），如代表监督站“零断档”。"
    ),
    DutyPattern.Kind.SOLAR: _(
        "按公历日子赶集：逢六 = 每月6日、16日、26日，填“6,16,26”或“逢六”；逢一六填“逢一六”。"
    ),
    DutyPattern.Kind.LUNAR: _("按农历日子赶集：如农历逢三填“逢三”（初三、十三、廿三）。"),
    DutyPattern.Kind.DATES: _("逐个填写日期，每行一个或用逗号分开，如 2026-12-02。"),
}


def _weekday_field(label: Any, help_text: Any = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=WEEKDAY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


def _ints(values: Any) -> list[int]:
    return sorted({int(v) for v in values or []})


class _CheckboxesMixin:
    """Check boxes keep Bootstrap's check-box class (the base gives every widget one)."""

    fields: dict[str, forms.Field]

    def _check_boxes(self) -> None:
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                field.widget.attrs["class"] = "form-check-input"


# --- Patterns ----------------------------------------------------------------------------------


class PatternForm(_CheckboxesMixin, StaffModelForm):
    """值班规则: when the station is on duty and how many of each role a shift needs."""

    kind = forms.ChoiceField(
        label=_("值班日类型"), choices=DutyPattern.Kind.choices, widget=forms.RadioSelect
    )
    weekdays = _weekday_field(_("星期"), _("“每周固定日”时勾选，可多选。"))
    month_days = forms.CharField(
        label=_("逢几日"),
        required=False,
        max_length=120,
        help_text=_(
            "“公历逢几”“农历逢几”时填写：日子用逗号分开，如 6,16,26；也可以写“逢六”“逢一六”。"
        ),
    )
    dates = forms.CharField(
        label=_("指定日期"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("“指定日期”时填写：每行一个，如 2026-12-02。"),
    )
    deputies = forms.IntegerField(
        label=_("每班代表人数"),
        min_value=0,
        max_value=setup.MAX_PER_SHIFT,
        initial=2,
        help_text=_("如“代表周三见”每次至少 2 名代表。"),
    )
    unit_heads = forms.IntegerField(
        label=_("每班窗口单位负责人人数"),
        min_value=0,
        max_value=setup.MAX_PER_SHIFT,
        initial=0,
        help_text=_("代表监督站请窗口单位负责人一同值班时填写，如 1；不需要填 0。"),
    )

    class Meta:
        model = DutyPattern
        fields = [
            "station",
            "name",
            "kind",
            "weekdays",
            "month_days",
            "dates",
            "skip_holidays",
            "starts_at",
            "ends_at",
            "valid_from",
            "valid_until",
            "note",
        ]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "valid_from": forms.DateInput,
            "valid_until": forms.DateInput,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._check_boxes()
        station = self.fields["station"]
        station.queryset = station.queryset.filter(is_active=True)  # type: ignore[attr-defined]
        instance: DutyPattern = self.instance
        if instance.pk is not None:
            station.disabled = True
            station.help_text = _("值班规则建立后不能改到其他联络站。")
            needs = instance.needs()
            self.initial["deputies"] = needs.get(DutyRole.DEPUTY, 0)
            self.initial["unit_heads"] = needs.get(DutyRole.UNIT_HEAD, 0)
        else:
            self.initial.setdefault("valid_from", timezone.localdate())
            self.initial.setdefault("kind", DutyPattern.Kind.WEEKLY)
        # Lists as the person typed them, not as Python prints them.
        self.initial["weekdays"] = [str(d) for d in self.initial.get("weekdays") or []]
        days = self.initial.get("month_days")
        if isinstance(days, list):
            self.initial["month_days"] = setup.month_days_text(days)
        named = self.initial.get("dates")
        if isinstance(named, list):
            self.initial["dates"] = "\n".join(str(d) for d in named)
        self.kind_help = [
            (str(label), KIND_HELP[DutyPattern.Kind(value)]) for value, label in self.kind_choices()
        ]

    @staticmethod
    def kind_choices() -> list[tuple[str, Any]]:
        return list(DutyPattern.Kind.choices)

    def clean_weekdays(self) -> list[int]:
        return _ints(self.cleaned_data.get("weekdays"))

    def clean_month_days(self) -> list[int]:
        try:
            return setup.parse_month_days(self.cleaned_data.get("month_days") or "")
        except forms.ValidationError:
            raise
        except Exception as exc:  # pragma: no cover - parse raises ValidationError only
            raise forms.ValidationError(str(exc)) from exc

    def clean_dates(self) -> list[str]:
        return setup.parse_dates(self.cleaned_data.get("dates") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        # What another kind would use is dropped, not validated.
        if kind != DutyPattern.Kind.WEEKLY:
            data["weekdays"] = []
        if kind not in (DutyPattern.Kind.SOLAR, DutyPattern.Kind.LUNAR):
            data["month_days"] = []
        if kind != DutyPattern.Kind.DATES:
            data["dates"] = []
        if not (data.get("deputies") or data.get("unit_heads")) and not (
            "deputies" in self.errors or "unit_heads" in self.errors
        ):
            self.add_error("deputies", _("请至少为一种岗位填写每班人数。"))
        instance: DutyPattern = self.instance
        posted = self.data.get("station") if hasattr(self.data, "get") else None
        if instance.pk is not None and posted not in (None, "", str(instance.station_id)):
            # The field is shown disabled; a request naming another station is refused.
            self.add_error("station", _("值班规则建立后不能改到其他联络站。"))
        station, name = data.get("station"), (data.get("name") or "").strip()
        if station is not None and name:
            same = DutyPattern.objects.filter(station=station, name=name)
            if self.instance.pk is not None:
                same = same.exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error("name", _("本站已有名为“%(name)s”的值班规则。") % {"name": name})
        return data

    def requirements(self) -> dict[str, int | None]:
        return {
            DutyRole.DEPUTY: self.cleaned_data.get("deputies"),
            DutyRole.UNIT_HEAD: self.cleaned_data.get("unit_heads"),
        }


class PatternFilter(ActorFilterSet):
    station = django_filters.ModelChoiceFilter(queryset=Station.objects.all(), label=_("联络站"))

    class Meta:
        model = DutyPattern
        fields = ["station", "kind", "is_active"]


# --- The pool ----------------------------------------------------------------------------------


def _candidates() -> Any:
    """Persons who may be put in a pool: serving deputies and units' contacts."""
    serving = Mandate.objects.filter(status=Mandate.Status.SERVING).values("person_id")
    return Person.objects.filter(Q(pk__in=serving) | Q(unit_contacts__isnull=False)).distinct()


class PoolAddForm(_CheckboxesMixin, StaffForm):
    """添加一名值班人员."""

    station = forms.ModelChoiceField(
        label=_("联络站"), queryset=Station.objects.filter(is_active=True)
    )
    person = forms.ModelChoiceField(
        label=_("人员"),
        queryset=_candidates(),
        help_text=_("在任代表，或承办单位的联系人（窗口单位负责人）。"),
    )
    role = forms.ChoiceField(
        label=_("岗位"), choices=DutyRole.choices, initial=DutyRole.DEPUTY, widget=forms.RadioSelect
    )
    delegation = forms.ModelChoiceField(
        label=_("代表团/选区"),
        queryset=Delegation.objects.select_related("term"),
        required=False,
        help_text=_("代表岗位用于轮换代表团；留空则按其任职自动填写。"),
    )
    unit = forms.ModelChoiceField(
        label=_("所在窗口单位"),
        queryset=HandlingUnit.objects.filter(is_active=True),
        required=False,
        help_text=_("窗口单位负责人岗位必填；其值班情况计入单位考核。"),
    )
    unavailable_weekdays = _weekday_field(
        _("固定不能值班的星期"), _("如逢周二、周四要上课的教师代表，勾选周二、周四。")
    )
    max_per_month = forms.IntegerField(
        label=_("每月最多值班次数"),
        min_value=1,
        max_value=31,
        required=False,
        help_text=_("留空则按排班表的统一上限。"),
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._check_boxes()


class PoolEditForm(_CheckboxesMixin, StaffModelForm):
    """一名值班人员: the weekdays he never serves, his monthly maximum, taking part or not."""

    unavailable_weekdays = _weekday_field(_("固定不能值班的星期"), _("排班时不会安排在这些星期。"))
    max_per_month = forms.IntegerField(
        label=_("每月最多值班次数"),
        min_value=1,
        max_value=31,
        required=False,
        help_text=_("留空则按排班表的统一上限。"),
    )

    class Meta:
        model = PoolMember
        fields = [
            "delegation",
            "unit",
            "unavailable_weekdays",
            "max_per_month",
            "is_active",
            "note",
        ]
        help_texts = {"is_active": _("取消勾选即停用：以后的排班不再安排此人，已排的班次不变。")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._check_boxes()
        member: PoolMember = self.instance
        self.initial["unavailable_weekdays"] = [str(d) for d in member.unavailable_weekdays or []]
        drop = "unit" if member.role == DutyRole.DEPUTY else "delegation"
        del self.fields[drop]

    def clean_unavailable_weekdays(self) -> list[int]:
        return _ints(self.cleaned_data.get("unavailable_weekdays"))

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class StationDeputiesForm(StaffForm):
    station = forms.ModelChoiceField(
        label=_("联络站"), queryset=Station.objects.filter(is_active=True)
    )


class DelegationForm(StaffForm):
    station = forms.ModelChoiceField(
        label=_("联络站"), queryset=Station.objects.filter(is_active=True)
    )
    delegation = forms.ModelChoiceField(
        label=_("代表团/选区"), queryset=Delegation.objects.select_related("term__congress")
    )


class UnitHeadsForm(StaffForm):
    station = forms.ModelChoiceField(
        label=_("联络站"), queryset=Station.objects.filter(is_active=True)
    )
    unit = forms.ModelChoiceField(
        label=_("窗口单位"), queryset=HandlingUnit.objects.filter(is_active=True)
    )
    primary_only = forms.BooleanField(
        label=_("只添加主要联系人（单位负责人）"), required=False, initial=True
    )


class PoolFilter(ActorFilterSet):
    station = django_filters.ModelChoiceFilter(queryset=Station.objects.all(), label=_("联络站"))

    class Meta:
        model = PoolMember
        fields = ["station", "role", "is_active"]


# --- Leave -------------------------------------------------------------------------------------


class _MemberChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.person.name}（{obj.station.name} · {obj.get_role_display()}）"


def _check_period(form: forms.Form) -> None:
    start, end = form.cleaned_data.get("starts_on"), form.cleaned_data.get("ends_on")
    if start and end and end < start:
        form.add_error("ends_on", _("结束日期不能早于开始日期。"))


class LeaveForm(StaffForm):
    """Staff enter leave for a person of their pool (at that station)."""

    member = _MemberChoice(
        label=_("人员"),
        queryset=PoolMember.objects.filter(is_active=True).select_related("person", "station"),
        help_text=_("本站值班人员库中的人员；请假只影响本站的排班。"),
    )
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput)
    ends_on = forms.DateField(label=_("结束日期"), widget=forms.DateInput)
    reason = forms.CharField(label=_("事由"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_period(self)
        return data


# --- Swaps -------------------------------------------------------------------------------------


class SwapDecisionForm(StaffForm):
    decision = forms.ChoiceField(
        label=_("审批"),
        choices=[("approve", _("批准")), ("reject", _("不批准"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("审批意见"),
        max_length=200,
        required=False,
        help_text=_("不批准时必填，会告诉两位当事人。"),
    )


class SwapFilter(ActorFilterSet):
    class Meta:
        model = SwapRequest
        fields = ["status"]


class LeaveFilter(ActorFilterSet):
    current = django_filters.BooleanFilter(
        label=_("只看未结束的"), method="filter_current", widget=forms.CheckboxInput
    )

    class Meta:
        model = DutyLeave
        fields: list[str] = []

    def filter_current(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset.filter(ends_on__gte=timezone.localdate()) if value else queryset


# --- The deputy's phone ------------------------------------------------------------------------


class SwapRequestForm(StaffForm):
    """换班/代班 on the phone: one choice — whom to ask to take it, or which of their shifts
    to exchange it for."""

    choice = forms.ChoiceField(label=_("找谁"), choices=[])
    reason = forms.CharField(
        label=_("事由"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("对方和站点工作人员都会看到。"),
    )

    def __init__(
        self, *args: Any, takes: Sequence[Any] = (), exchanges: Sequence[Any] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        groups: list[Any] = [("", _("请选择"))]
        if takes:
            groups.append(
                (_("请对方代班（对方顶替您这一班）"), [(o.value, o.label) for o in takes])
            )
        if exchanges:
            groups.append(
                (_("与对方换班（您去值对方的一班）"), [(o.value, o.label) for o in exchanges])
            )
        self.fields["choice"].choices = groups  # type: ignore[attr-defined]

    def target(self) -> tuple[str, int]:
        kind, _sep, pk = self.cleaned_data["choice"].partition(":")
        return kind, int(pk)


class MyLeaveForm(StaffForm):
    """A deputy's own leave: everywhere, or at one of his stations."""

    station = forms.ChoiceField(
        label=_("请假范围"), required=False, help_text=_("不选表示在所有站点都请假。")
    )
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput)
    ends_on = forms.DateField(label=_("结束日期"), widget=forms.DateInput)
    reason = forms.CharField(label=_("事由"), max_length=200, required=False)

    def __init__(self, *args: Any, stations: Sequence[Station] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].choices = [  # type: ignore[attr-defined]
            ("", _("所有站点")),
            *[(str(s.pk), s.name) for s in stations],
        ]
        self.initial.setdefault("starts_on", timezone.localdate() + dt.timedelta(days=1))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_period(self)
        return data
