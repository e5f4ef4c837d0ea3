"""The upload form of the import page (ORG-14)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.common.forms import StaffForm
from lianxin.directory.exchange.kinds import Kind


class ImportForm(StaffForm):
    kind = forms.ChoiceField(label=_("导入内容"))
    sheet = forms.FileField(
        label=_("表格文件（XLSX或CSV）"),
        help_text=_("可以直接上传单位现有的表格：表头上方的标题行、合并的表头都能识别。"),
    )

    def __init__(self, *args: Any, kinds: list[Kind], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.key, k.label) for k in kinds]  # type: ignore[attr-defined]
