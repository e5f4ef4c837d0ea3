"""Staff forms of the directory: related choices narrowed to reach (StaffModelForm)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.common.fields import mask_value
from lianxin.common.forms import StaffForm, StaffModelForm
from lianxin.directory.models import (
    Body,
    BodyMembership,
    Congress,
    Delegation,
    HandlingUnit,
    Mandate,
    Person,
    Session,
    Station,
    StationMembership,
    StationStaff,
    Term,
    UnitContact,
    WorkPlan,
)

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
ID_RE = re.compile(r"^\d{17}[\dX]$")
_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"


def id_number_is_valid(value: str) -> bool:
    """An 18-character resident ID number with a correct check character (GB 11643)."""
    if not ID_RE.match(value):
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17]


class DirectoryForm(StaffModelForm):
    """Choices whose labels name their congress load it in the same query."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("term", "body", "delegation"):
            field = self.fields.get(name)
            if isinstance(field, forms.ModelChoiceField):
                related = "term__congress" if name == "delegation" else "congress"
                field.queryset = field.queryset.select_related(related)  # type: ignore[union-attr]


class CongressForm(StaffModelForm):
    class Meta:
        model = Congress
        fields = ["region", "level", "name"]


class TermForm(DirectoryForm):
    class Meta:
        model = Term
        fields = ["congress", "number", "starts_on", "ends_on", "is_current"]


class SessionForm(DirectoryForm):
    class Meta:
        model = Session
        fields = ["term", "number", "starts_on", "ends_on", "place"]


class BodyForm(DirectoryForm):
    class Meta:
        model = Body
        fields = ["congress", "term", "kind", "name", "duties"]


class BodyMembershipForm(DirectoryForm):
    class Meta:
        model = BodyMembership
        fields = ["body", "person", "position", "starts_on", "ends_on"]


class WorkPlanForm(DirectoryForm):
    class Meta:
        model = WorkPlan
        fields = ["congress", "year", "title", "content"]


class DelegationForm(DirectoryForm):
    class Meta:
        model = Delegation
        fields = ["term", "name", "region"]


class PersonForm(StaffModelForm):
    """Profile; the personal fields are never shown in clear here (SEC-2): empty means
    "keep what is stored", the masked stored value is shown as help text."""

    phone = forms.CharField(label=_("手机号码"), required=False, max_length=20)
    id_number = forms.CharField(label=_("身份证号"), required=False, max_length=18)

    class Meta:
        model = Person
        fields = [
            "name",
            "gender",
            "ethnicity",
            "party",
            "birth_year",
            "region",
            "sector",
            "work_unit",
            "title",
            "specialties",
            "bio",
            "public_phone",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].required = True
        self.initial.pop("phone", None)
        self.initial.pop("id_number", None)
        if self.instance.pk:
            for name, kind in (("phone", "phone"), ("id_number", "id_number")):
                stored = getattr(self.instance, name)
                if stored:
                    self.fields[name].help_text = _("当前：%(v)s。留空则不修改。") % {
                        "v": mask_value(stored, kind)
                    }

    def clean_phone(self) -> str:
        value = "".join(self.cleaned_data.get("phone", "").split())
        if value and not MOBILE_RE.match(value):
            raise forms.ValidationError(_("请输入11位手机号码。"))
        return value

    def clean_id_number(self) -> str:
        value = self.cleaned_data.get("id_number", "").strip().upper()
        if value and not id_number_is_valid(value):
            raise forms.ValidationError(_("身份证号不正确，请核对18位号码。"))
        return value

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data.get("birth_year")
        if year is not None and not 1900 <= year <= 2100:
            raise forms.ValidationError(_("请输入四位出生年份。"))
        return year

    def save(self, commit: bool = True) -> Person:
        person: Person = super().save(commit=False)
        for name in ("phone", "id_number"):
            if self.cleaned_data.get(name):
                setattr(person, name, self.cleaned_data[name])
        if commit:
            person.save()
        return person


class MandateForm(DirectoryForm):
    class Meta:
        model = Mandate
        fields = ["person", "term", "kind", "delegation", "electoral_district", "started_on"]


class MandateEndForm(StaffForm):
    ended_on = forms.DateField(label=_("终止日期"), widget=forms.DateInput)
    reason = forms.ChoiceField(label=_("终止原因"), choices=Mandate.EndReason.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


class StationForm(StaffModelForm):
    class Meta:
        model = Station
        fields = [
            "name",
            "kind",
            "parent",
            "region",
            "congress",
            "address",
            "opening_hours",
            "phone",
            "industry",
            "enterprises",
            "introduction",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # not under itself or its own sub-stations
            parent = self.fields["parent"]
            parent.queryset = parent.queryset.exclude(  # type: ignore[attr-defined]
                path__startswith=self.instance.path
            )


class StationStaffForm(StaffModelForm):
    class Meta:
        model = StationStaff
        fields = ["station", "person", "role", "side", "starts_on", "ends_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["side"].required = False  # left empty: the congress's side (ORG-5)

    def clean_side(self) -> str:
        return self.cleaned_data.get("side") or StationStaff.Side.CONGRESS


class StationMembershipForm(StaffModelForm):
    class Meta:
        model = StationMembership
        fields = ["station", "person", "kind", "starts_on", "ends_on"]
        help_texts = {
            "kind": _(
                "每名代表只在本人所在地区属地进站一个；产业代表可另“双进站”进企业（产业）联络站。"
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].required = False  # left empty: 属地进站 (ORG-7)

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or StationMembership.Kind.HOME


class HandlingUnitForm(StaffModelForm):
    class Meta:
        model = HandlingUnit
        fields = [
            "name",
            "short_name",
            "kind",
            "parent",
            "region",
            "address",
            "phone",
            "duties",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            parent = self.fields["parent"]
            parent.queryset = parent.queryset.exclude(  # type: ignore[attr-defined]
                path__startswith=self.instance.path
            )


class UnitContactForm(StaffModelForm):
    class Meta:
        model = UnitContact
        fields = ["unit", "person", "position", "is_primary"]
