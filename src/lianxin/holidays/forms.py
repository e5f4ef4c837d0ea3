"""Forms of the calendar pages: a year as the notice reads, a new year, a sheet import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.common.forms import StaffForm
from lianxin.holidays.notice import DaySpec, parse_notice
from lianxin.holidays.services import MAX_YEAR, MIN_YEAR, validate_days

EXAMPLE = (
    "一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n"
    "二、春节：2月6日至12日放假调休，共7天。1月31日（周日）、2月20日（周六）上班。\n"
    "七、国庆节、中秋节：10月1日至8日放假调休，共8天。9月26日（周日）、10月9日（周六）上班。"
)


class YearArrangementForm(StaffForm):
    notice = forms.CharField(
        label=_("依据"),
        max_length=200,
        required=False,
        help_text=_("如 国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕X号）"),
    )
    arrangement = forms.CharField(
        label=_("放假安排"),
        widget=forms.Textarea(attrs={"rows": 10, "placeholder": EXAMPLE}),
        help_text=_(
            "按通知原文每个节日一行：节日名称加冒号，放假日期（“10月1日至8日放假”），"
            "调休上班日期（“9月26日、10月9日上班”）。括号中的星期可以保留。"
        ),
    )

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year = year
        self.days: list[DaySpec] = []

    def clean_arrangement(self) -> str:
        text: str = self.cleaned_data["arrangement"]
        days, errors = parse_notice(self.year, text)
        if errors:
            raise forms.ValidationError([str(e) for e in errors])
        problems = validate_days(self.year, days)
        if problems:
            raise forms.ValidationError(problems)
        self.days = days
        return text


class NewYearForm(StaffForm):
    year = forms.IntegerField(
        label=_("年份"),
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={
            "required": _("请填写年份。"),
            "invalid": _("请填写四位数年份，如2027。"),
            "min_value": _("年份不能早于%(limit_value)s年。"),
            "max_value": _("年份不能晚于%(limit_value)s年。"),
        },
    )


class ImportForm(StaffForm):
    file = forms.FileField(
        label=_("表格文件"),
        help_text=_(
            "CSV或Excel（.xlsx），三列：日期（如2027-10-01）、类型（放假/上班）、节日名称。"
        ),
        error_messages={"required": _("请选择要导入的文件。")},
    )
    dry_run = forms.BooleanField(label=_("仅检查，不写入（试导入）"), required=False, initial=True)

    MAX_BYTES = 1024 * 1024

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("只支持 .csv 或 .xlsx 文件。"))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("文件不能超过1MB。"))
        return upload
