"""The citizens' forms (CASE-1, CASE-2, CASE-7, SEC-5): plain Chinese messages next to each
field, nothing written until everything is right."""

from __future__ import annotations

import re
import secrets
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lianxin.cases.models import Case, Category
from lianxin.cases.photos import MAX_BYTES, MAX_PHOTOS
from lianxin.cases.redaction import normalise
from lianxin.cases.services import TEXT_MAX
from lianxin.common.forms import StaffFormMixin

KEY_RE = re.compile(r"^[A-Za-z0-9_-]{22,64}$")


def new_submission_key() -> str:
    """The form's one-time key: 192 random bits (CASE-1)."""
    return secrets.token_urlsafe(24)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to MAX_PHOTOS photos; each is checked and re-encoded by ``cases.photos``."""

    widget = MultipleFileInput(attrs={"accept": "image/*"})

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data or []) if f] if isinstance(data, list | tuple) else [data]
        files = [f for f in files if f]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("最多上传%(n)s张照片。") % {"n": MAX_PHOTOS})
        for f in files:
            if getattr(f, "size", 0) > MAX_BYTES:
                raise ValidationError(
                    _("照片不能超过%(mb)sMB。") % {"mb": MAX_BYTES // (1024 * 1024)}
                )
        return files


class CategoryChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Category) -> str:
        return obj.name


_REQUIRED = {
    "required": _("请选择问题的类别。"),
    "invalid_choice": _("请从列表中选择问题的类别。"),
}


class OpinionForm(StaffFormMixin, forms.Form):
    """One opinion, in two steps: what and where (step 1), then the similar cases nearby to
    join instead (附议, CASE-2), photos and contact details (step 2)."""

    key = forms.CharField(widget=forms.HiddenInput)
    # Step 1
    village = forms.TypedChoiceField(
        label=_("所在村（社区）"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("问题发生在哪个村或社区，便于就近办理。"),
        error_messages={"invalid_choice": _("请从列表中选择村（社区）。")},
    )
    category = CategoryChoiceField(
        label=_("问题类别"),
        queryset=Category.objects.none(),
        empty_label=_("请选择"),
        error_messages=_REQUIRED,
        help_text=_("便于交给对口的部门办理。"),
    )
    text = forms.CharField(
        label=_("您反映的问题"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("请填写反映的问题。"),
            "max_length": _("内容不能超过%(limit_value)s字。"),
        },
        help_text=_("请写清楚是什么问题、持续多久、希望怎样解决。请不要在这里写身份证号。"),
    )
    place = forms.CharField(
        label=_("问题地点"),
        max_length=200,
        required=False,
        error_messages={"max_length": _("地点不能超过%(limit_value)s字。")},
        help_text=_("如：某某路与某某街交叉口东侧。办理人员凭此到现场查看。"),
    )
    # Step 2
    join = forms.ChoiceField(
        label=_("是否附议"),
        required=False,
        error_messages={
            "invalid_choice": _("您要附议的意见已办结或不在附近，请重新选择，或提交为新的意见。")
        },
    )
    latitude = forms.DecimalField(
        label=_("纬度"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(-90),
        max_value=Decimal(90),
        error_messages={"invalid": _("纬度应为数字，如 34.123456。")},
    )
    longitude = forms.DecimalField(
        label=_("经度"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(-180),
        max_value=Decimal(180),
        error_messages={"invalid": _("经度应为数字，如 113.123456。")},
    )
    photos = PhotosField(
        label=_("照片（可选，最多4张）"),
        required=False,
        help_text=_("现场照片有助于办理。照片中的位置等信息会被自动去除。"),
    )
    anonymous = forms.BooleanField(
        label=_("匿名反映（不留姓名和电话）"),
        required=False,
        help_text=_("匿名也会办理；但我们无法打电话向您了解情况。"),
    )
    name = forms.CharField(
        label=_("姓名（可选）"),
        max_length=50,
        required=False,
        error_messages={"max_length": _("姓名不能超过%(limit_value)s字。")},
        help_text=_("便于办理人员称呼您。"),
    )
    phone = forms.CharField(
        label=_("手机号码（可选）"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("便于办理人员联系您、电话查询时核对身份。"),
    )
    notify_by_sms = forms.BooleanField(
        label=_("短信告知进度"),
        required=False,
        help_text=_("办理有进展时发短信告诉您（需留手机号码）。"),
    )

    def __init__(
        self,
        *args: Any,
        categories: Any,
        villages: list[tuple[int, str]] = (),  # type: ignore[assignment]
        similar: list[Case] = (),  # type: ignore[assignment]
        final: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.final = final
        category = self.fields["category"]
        assert isinstance(category, forms.ModelChoiceField)
        category.queryset = categories
        village = self.fields["village"]
        assert isinstance(village, forms.ChoiceField)
        village.choices = [("", _("请选择")), *villages]
        if not villages:
            del self.fields["village"]
        join = self.fields["join"]
        assert isinstance(join, forms.ChoiceField)
        join.choices = [("", _("提交为新的意见")), *((c.number, c.number) for c in similar)]
        if not final:
            for name in STEP_TWO:
                del self.fields[name]

    def clean_key(self) -> str:
        key = self.cleaned_data["key"].strip()
        if not KEY_RE.match(key):
            raise ValidationError(_("页面已过期，请重新提交。"))
        return key

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("请填写反映的问题。"))
        return text

    def clean_phone(self) -> str:
        phone = normalise(self.cleaned_data.get("phone") or "").strip()
        digits = re.sub(r"[\s-]", "", phone)
        if digits.startswith("+86"):
            digits = digits[3:]
        if digits and not re.fullmatch(r"1[3-9]\d{9}", digits):
            raise ValidationError(_("请填写正确的11位手机号码。"))
        return digits

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not self.final:
            return data
        lat, lng = data.get("latitude"), data.get("longitude")
        if (lat is None) != (lng is None) and "latitude" not in self.errors:
            self.add_error("longitude" if lng is None else "latitude", _("经度和纬度要一起填写。"))
        if data.get("notify_by_sms") and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("选择短信告知进度时，请留下手机号码。"))
        if data.get("anonymous"):
            data["name"] = ""
            if not data.get("notify_by_sms"):
                data["phone"] = ""
        return data


STEP_TWO = (
    "join",
    "latitude",
    "longitude",
    "photos",
    "anonymous",
    "name",
    "phone",
    "notify_by_sms",
)


class RatingForm(StaffFormMixin, forms.Form):
    """群众评单 (CASE-7): 不满意 needs a reason, so that the re-handling knows what to fix."""

    rating = forms.ChoiceField(
        label=_("您对办理结果的评价"),
        choices=[
            (Case.Rating.SATISFIED, _("满意")),
            (Case.Rating.BASICALLY, _("基本满意")),
            (Case.Rating.DISSATISFIED, _("不满意")),
        ],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("请选择满意、基本满意或不满意。")},
    )
    reason = forms.CharField(
        label=_("理由（选“不满意”时必填）"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("理由不能超过%(limit_value)s字。")},
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if (
            data.get("rating") == Case.Rating.DISSATISFIED
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", _("请说明不满意的原因，以便重新办理。"))
        return data


class LookupForm(StaffFormMixin, forms.Form):
    """查询 by case number and PIN (CASE-1): what a caller reads out on the phone."""

    number = forms.CharField(
        label=_("意见编号"),
        max_length=32,
        error_messages={"required": _("请填写意见编号。")},
        help_text=_("提交时得到的编号，如 410425001-2026-00001。"),
    )
    pin = forms.CharField(
        label=_("查询密码"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("请填写6位查询密码。")},
    )

    def clean_number(self) -> str:
        return normalise(self.cleaned_data["number"]).strip()

    def clean_pin(self) -> str:
        pin = normalise(self.cleaned_data["pin"]).strip()
        if not re.fullmatch(r"\d{6}", pin):
            raise ValidationError(_("查询密码是6位数字。"))
        return pin
