"""Forms of the region pages; the services decide and word the errors (ORG-1)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.common.forms import StaffForm
from lianxin.regions.models import Region


class RegionCreateForm(StaffForm):
    parent = forms.ModelChoiceField(
        label=_("上级区划"),
        queryset=Region.objects.filter(level__in=(Region.Level.COUNTY, Region.Level.TOWNSHIP)),
        error_messages={"invalid_choice": _("请选择您管辖范围内的县或乡镇。")},
    )
    level = forms.TypedChoiceField(
        label=_("级别"),
        coerce=int,
        choices=[(Region.Level.TOWNSHIP, _("乡镇/街道")), (Region.Level.VILLAGE, _("村/社区"))],
    )
    name = forms.CharField(label=_("名称"), max_length=64)
    kind = forms.CharField(
        label=_("类型"), max_length=16, required=False, help_text=_("如 镇、乡、街道、村、社区")
    )
    code = forms.CharField(
        label=_("区划代码"),
        max_length=20,
        required=False,
        help_text=_("国家统计用区划代码（乡镇9位、村12位）；不知道可留空，系统将生成本地代码。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = self.fields["parent"].queryset.order_by("path")  # type: ignore[attr-defined]


class RegionEditForm(StaffForm):
    name = forms.CharField(label=_("名称"), max_length=64)
    kind = forms.CharField(label=_("类型"), max_length=16, required=False)
    code = forms.CharField(
        label=_("区划代码"),
        max_length=20,
        required=False,
        help_text=_("填写国家区划代码可替换本地生成的代码；留空则保持不变。"),
    )


class RegionImportForm(StaffForm):
    sheet = forms.FileField(
        label=_("区划表（CSV或XLSX）"),
        help_text=_(
            "四列：上级区划代码或名称、名称、级别（乡镇/街道或村/社区）、区划代码（可空）。"
        ),
    )
    dry_run = forms.BooleanField(label=_("只检查，不导入（试运行）"), required=False, initial=True)
