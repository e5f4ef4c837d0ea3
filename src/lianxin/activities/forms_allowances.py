"""Forms of the allowance pages (DUTY-4). Bank details are personal data (SEC-2): never
shown in clear in a form; empty means "keep what is stored"."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.activities.forms_attendance import MonthField
from lianxin.activities.models import AllowanceRecipient
from lianxin.common.fields import mask_value
from lianxin.common.forms import StaffForm, StaffModelForm

PERSONAL = (("account_holder", "name"), ("bank_account", "bank_account"))


class RateForm(StaffForm):
    daily_rate = forms.DecimalField(
        label=_("每日补贴（元）"),
        min_value=Decimal("0"),
        max_value=Decimal("100000"),
        max_digits=8,
        decimal_places=2,
        error_messages={
            "required": _("请填写每日补贴标准。"),
            "invalid": _("请填写金额，如 100。"),
            "min_value": _("补贴标准不能为负数。"),
            "max_value": _("补贴标准过大，请核对。"),
            "max_decimal_places": _("金额最多保留两位小数。"),
        },
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class ComputeForm(StaffForm):
    month = MonthField(label=_("月份"), required=True)


class RecipientForm(StaffModelForm):
    account_holder = forms.CharField(label=_("户名"), required=False, max_length=50)
    bank_account = forms.CharField(label=_("银行账号"), required=False, max_length=40)

    class Meta:
        model = AllowanceRecipient
        fields = ["congress", "person", "bank_name", "is_active", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, _kind in PERSONAL:
            self.initial.pop(name, None)
        if self.instance.pk:
            for name, kind in PERSONAL:
                stored = getattr(self.instance, name)
                if stored:
                    self.fields[name].help_text = _("当前：%(v)s。留空则不修改。") % {
                        "v": mask_value(stored, kind)
                    }

    def clean_bank_account(self) -> str:
        value = "".join(self.cleaned_data.get("bank_account", "").split())
        if value and not (value.isdigit() and 12 <= len(value) <= 30):
            raise forms.ValidationError(_("银行账号应为12到30位数字。"))
        return value

    def clean_account_holder(self) -> str:
        return " ".join(self.cleaned_data.get("account_holder", "").split())

    def save(self, commit: bool = True) -> AllowanceRecipient:
        recipient: AllowanceRecipient = super().save(commit=False)
        for name, _kind in PERSONAL:
            if self.cleaned_data.get(name):
                setattr(recipient, name, self.cleaned_data[name])
        if commit:
            recipient.save()
        return recipient
