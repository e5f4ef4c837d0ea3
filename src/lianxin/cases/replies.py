"""Reply templates (答复模板, CASE-5): an office keeps texts per category; the unit's reply form
offers those that fit the case and fills their placeholders.

Placeholders are a fixed list of Chinese words in braces, replaced by plain text — never
``str.format`` (a template is typed by staff and must not reach attributes of anything). None
of them is personal data: a reply reaches the citizen and the public tracking page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.cases.models import Case, CaseUnit, ReplyTemplate

TEXT_MAX = 2000
_PLACEHOLDER = re.compile(r"\{([^{}\s]{1,12})\}")


def _day(moment: Any) -> str:
    return date_format(timezone.localtime(moment), "DATE_FORMAT") if moment else ""


def _lead(case: Case) -> str:
    lead = (
        case.units.filter(role=CaseUnit.Role.LEAD)
        .exclude(status__in=[CaseUnit.Status.RETURNED, CaseUnit.Status.WITHDRAWN])
        .select_related("unit")
        .first()
    )
    return lead.unit.name if lead is not None else ""


# Placeholder -> (what it means, how it is filled). The keys are what staff type.
PLACEHOLDERS: dict[str, tuple[Any, Callable[[Case], str]]] = {
    "编号": (gettext_lazy("意见编号"), lambda c: c.number),
    "类别": (gettext_lazy("意见类别"), lambda c: c.category.name),
    "地点": (gettext_lazy("问题地点"), lambda c: c.place or c.region.name),
    "受理日期": (gettext_lazy("受理日期"), lambda c: _day(c.received_at)),
    "交办日期": (gettext_lazy("交办日期"), lambda c: _day(c.dispatched_at)),
    "承办单位": (gettext_lazy("主办单位名称"), _lead),
    "今天": (gettext_lazy("答复当天的日期"), lambda c: _day(timezone.now())),
}


def placeholder_help() -> str:
    return "、".join(f"{{{key}}}（{label}）" for key, (label, _fill) in PLACEHOLDERS.items())


def check_text(text: str) -> str:
    """The template's text, or a ValidationError naming an unknown placeholder."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写模板内容。")})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": _("模板内容不能超过%(n)s字。") % {"n": TEXT_MAX}})
    unknown = [m for m in _PLACEHOLDER.findall(text) if m not in PLACEHOLDERS]
    if unknown:
        raise ValidationError(
            {
                "text": _("“{%(name)s}”不是可用的占位符。可用的有：%(known)s")
                % {"name": unknown[0], "known": placeholder_help()}
            }
        )
    return text


def fill(template: ReplyTemplate, case: Case) -> str:
    """The template's text with the case's values in place of its placeholders."""
    values: dict[str, str] = {}

    def sub(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in PLACEHOLDERS:
            return match.group(0)
        if key not in values:
            values[key] = PLACEHOLDERS[key][1](case) or ""
        return values[key]

    return _PLACEHOLDER.sub(sub, template.text)[:TEXT_MAX]


def templates_for(case: Case) -> QuerySet[ReplyTemplate]:
    """The active templates that fit the case: of its region or a region above it, for its
    category or for every category; those of the nearest region and the case's category
    first."""
    ids = [int(p) for p in case.region.path.strip("/").split("/") if p]
    return (
        ReplyTemplate.objects.filter(region_id__in=ids, is_active=True)
        .filter(Q(category__isnull=True) | Q(category_id=case.category_id))
        .select_related("region", "category")
        .order_by(F("category").asc(nulls_last=True), "-region__depth", "order", "pk")
    )
