"""What a congress expects a year, with the defaults of the bulletins (ACT-2, VOT-1, VOT-3,
VOT-4). A congress overrides a figure with a ``Quota`` row; every count reads it here."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Standard:
    code: str
    label: str | Promise
    default: int
    per: str  # "year", "quarter", "month", "half_month"


STANDARDS: dict[str, Standard] = {
    s.code: s
    for s in (
        # ACT-2 (漯河): every group, every year.
        Standard("group_activities", _("代表小组每年活动次数"), 4, "year"),
        Standard("group_reports", _("代表小组每年调研报告篇数"), 1, "year"),
        Standard("group_suggestions", _("代表小组每年建议件数"), 2, "year"),
        # VOT-1 (西峡): fixed voters on each deputy's list a year.
        Standard("fixed_voters", _("每名代表每年固定联系选民人数"), 10, "year"),
        # VOT-3 (西峡): grid duties.
        Standard("grid_visits", _("网格走访（每半月）"), 1, "half_month"),
        Standard("grid_meetings", _("网格员例会（每月）"), 1, "month"),
        Standard("policy_talks", _("政策宣讲（每季度）"), 1, "quarter"),
        Standard("grid_research", _("网格调研（每年）"), 2, "year"),
        # VOT-4 (舞钢): good deeds a year.
        Standard("good_deeds", _("每名代表每年为民办实事件数"), 2, "year"),
        # ORG-10: each linked deputy contacted this many times a year.
        Standard("committee_contacts", _("常委会组成人员每年联系每名代表次数"), 2, "year"),
    )
}


def quota(congress_id: int | None, code: str) -> int:
    """The congress's figure for ``code``, or the default."""
    from lianxin.activities.models import Quota

    if congress_id is not None:
        value = (
            Quota.objects.filter(congress_id=congress_id, code=code)
            .values_list("value", flat=True)
            .first()
        )
        if value is not None:
            return value
    return STANDARDS[code].default
