"""Forms of the voters pages (VOT-1, VOT-4): few fields, big targets, Chinese messages. The
services validate again; these only collect."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.activities.models.voters import CallbackCall, ContactMethod, FixedVoter
from lianxin.regions.models import Region

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
TEXT = {"class": "form-control"}


def _text(label: Any, *, required: bool = True, max_length: int | None = None) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=max_length,
        widget=forms.TextInput(attrs=TEXT),
        error_messages={"required": _("此项为必填项。"),
                        "max_length": _("内容太长，最多 %(limit_value)d 个字。")},
    )  # fmt: skip


def _area(label: Any, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        error_messages={"required": _("此项为必填项。")},
    )  # fmt: skip


class VoterForm(forms.Form):
    name = _text(_("姓名"), max_length=50)
    phone = _text(_("手机号码"), max_length=20)
    # The villages of the deputy's own area (not a reach question: the service checks it).
    region = forms.ChoiceField(
        label=_("所在村（社区）"),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": _("请选择所在村（社区）。"),
                        "invalid_choice": _("请选择您所在区域内的村（社区）。")},
    )  # fmt: skip
    address = _text(_("住址"), required=False, max_length=200)
    occupation = _text(_("职业或身份"), required=False, max_length=60)
    note = _text(_("备注"), required=False, max_length=200)

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.regions = {str(r.pk): r for r in regions}
        self.fields["region"].choices = [  # type: ignore[attr-defined]
            ("", "---------"),
            *((pk, r.name) for pk, r in self.regions.items()),
        ]
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})

    def clean_region(self) -> Region:
        return self.regions[self.cleaned_data["region"]]


class ContactForm(forms.Form):
    voter = forms.ModelChoiceField(
        label=_("联系的选民"), queryset=FixedVoter.objects.none(), required=False,
        empty_label=_("不是名单上的选民"),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("只能选择本人名单上的选民。")},
    )  # fmt: skip
    contacted_on = forms.DateField(
        label=_("联系日期"), widget=DATE,
        error_messages={"required": _("请填写联系日期。"), "invalid": _("日期格式不正确。")},
    )  # fmt: skip
    method = forms.ChoiceField(
        label=_("联系方式"), choices=ContactMethod.choices, widget=forms.RadioSelect,
        error_messages={"required": _("请选择联系方式。")},
    )  # fmt: skip
    content = _area(_("联系内容"))
    opinions = _area(_("收集的意见建议"), required=False)
    help_given = _area(_("帮助解决的问题"), required=False)
    to_case = forms.BooleanField(
        label=_("把意见建议转为群众意见（进入办理流程）"), required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )  # fmt: skip
    category: forms.ModelChoiceField = forms.ModelChoiceField(  # type: ignore[type-arg]
        label=_("意见类别"), queryset=None, required=False,  # type: ignore[arg-type]
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text=_("转为群众意见时选择。"),
    )  # fmt: skip

    def __init__(self, *args: Any, voters: Any, categories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["voter"].queryset = voters  # type: ignore[attr-defined]
        self.fields["voter"].label_from_instance = lambda v: (  # type: ignore[attr-defined]
            f"{v.name} · {v.region.name}"
        )
        self.fields["category"].queryset = categories  # type: ignore[attr-defined]


class DeedForm(forms.Form):
    done_on = forms.DateField(
        label=_("办理日期"), widget=DATE,
        error_messages={"required": _("请填写办理日期。"), "invalid": _("日期格式不正确。")},
    )  # fmt: skip
    title = _text(_("实事名称"), max_length=120)
    description = _area(_("具体情况"))
    beneficiaries = _text(_("受益群众"), required=False, max_length=120)


class SampleForm(forms.Form):
    month = forms.CharField(
        label=_("月份"),
        widget=forms.TextInput(attrs={"type": "month", "class": "form-control"}),
        error_messages={"required": _("请选择月份。")},
    )
    size = forms.IntegerField(
        label=_("抽取人数"), required=False, min_value=1, max_value=500,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
        help_text=_("不填则按名单人数的10%抽取，至少1人。"),
        error_messages={"min_value": _("抽取人数至少为1人。"), "max_value": _("抽取人数太多。"),
                        "invalid": _("请填写整数。")},
    )  # fmt: skip

    def clean_month(self) -> Any:
        raw = self.cleaned_data["month"]
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", raw.strip())
        try:
            if match is None:
                raise ValueError(raw)
            return dt.date(int(match[1]), int(match[2]), 1)
        except ValueError as exc:
            raise forms.ValidationError(_("月份格式不正确，如 2026-03。")) from exc


class CallForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("回访结果"),
        choices=[c for c in CallbackCall.Outcome.choices if c[0] != CallbackCall.Outcome.PENDING],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择回访结果。")},
    )
    satisfaction = forms.ChoiceField(
        label=_("对代表的评价"), required=False,
        choices=[("", _("未评价")), *CallbackCall.Satisfaction.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip
    answer = _area(_("选民反映"), required=False)


def _count(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, max_value=100000, initial=0,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
        error_messages={"required": _("此项为必填项。"), "invalid": _("请填写整数。"),
                        "min_value": _("不能为负数。"), "max_value": _("数字太大。")},
    )  # fmt: skip


class ReportForm(forms.Form):
    deputy: forms.ModelChoiceField = forms.ModelChoiceField(  # type: ignore[type-arg]
        label=_("代表"), queryset=None,  # type: ignore[arg-type]
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": _("请选择代表。"), "invalid_choice": _("请选择代表。")},
    )  # fmt: skip
    held_on = forms.DateField(
        label=_("述职日期"), widget=DATE,
        error_messages={"required": _("请填写述职日期。"), "invalid": _("日期格式不正确。")},
    )  # fmt: skip
    place = _text(_("地点"), max_length=200)
    report = _area(_("述职报告"))
    voters_present = _count(_("参加选民人数"))
    satisfied = _count(_("满意票"))
    basically = _count(_("基本满意票"))
    dissatisfied = _count(_("不满意票"))
    opinions = _area(_("选民意见"), required=False)

    def __init__(self, *args: Any, deputies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if deputies is None:
            del self.fields["deputy"]
        else:
            self.fields["deputy"].queryset = deputies  # type: ignore[attr-defined]


class CommitteeContactForm(forms.Form):
    link: forms.ModelChoiceField = forms.ModelChoiceField(  # type: ignore[type-arg]
        label=_("联系的代表"), queryset=None,  # type: ignore[arg-type]
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": _("请选择联系的代表。"),
                        "invalid_choice": _("请选择您联系的代表。")},
    )  # fmt: skip
    contacted_on = forms.DateField(
        label=_("联系日期"), widget=DATE,
        error_messages={"required": _("请填写联系日期。"), "invalid": _("日期格式不正确。")},
    )  # fmt: skip
    method = forms.ChoiceField(
        label=_("联系方式"), choices=ContactMethod.choices, widget=forms.RadioSelect,
        error_messages={"required": _("请选择联系方式。")},
    )  # fmt: skip
    content = _area(_("联系内容"))
    opinions = _area(_("代表意见建议"), required=False)

    def __init__(self, *args: Any, links: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["link"].queryset = links  # type: ignore[attr-defined]
        self.fields["link"].label_from_instance = lambda link: link.deputy.name  # type: ignore[attr-defined]
