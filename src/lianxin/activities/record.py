"""The deputy's record (PERF-1, 一人一档) as pages read it: one year of his timeline, its
months with how much happened in each, filtered by kind and month. The entries come from the
sources each app registers (``lianxin.common.timeline``); the phone page shows them to the
deputy, the staff page to the office, leadership and his stations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.core.paginator import Page, Paginator
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.permissions import Actor, scope
from lianxin.common.timeline import Entry, sources, timeline

PER_PAGE = 20
YEARS_BACK = 5
HEADERS = [_("日期"), _("类别"), _("事项"), _("情况"), _("状态")]

# The staff counterpart of an evidence page the sources link for the deputy's phone.
_STAFF_PAGES = {
    "mobile:case_detail": "cases:case_detail",
    "mobile:activity_detail": "activities:event_detail",  # ACT-1, PERF-3
    "mobile:voters": "activities:voter_contacts",  # VOT-1: contacts, voters masked
    "mobile:voter_reports": "activities:voter_reports",  # VOT-2
    "mobile:voter_deeds": "activities:voter_deeds",  # VOT-4
    "mobile:voter_committee": "activities:voter_committee",  # ORG-10
}


def _may_open(actor: Actor, view_name: str, func: Any, kwargs: dict[str, Any]) -> bool:
    """Whether ``actor`` may open the staff page: its declared capability, the object in
    reach for a page of one activity, the page's own condition for the members' coverage."""
    perm = getattr(func, "permission", None) or getattr(
        getattr(func, "view_class", None), "permission", None
    )
    if perm is not None and not actor.has(perm):
        return False
    if view_name == "activities:event_detail":
        from lianxin.activities.models import Activity

        pk = kwargs.get("pk")
        return pk is not None and scope(actor, Activity.objects.filter(pk=pk)).exists()
    if view_name == "activities:voter_committee":
        from lianxin.activities.voters import sees_coverage

        return sees_coverage(actor)
    return True


@dataclass(frozen=True)
class Month:
    number: int
    count: int
    selected: bool


@dataclass
class Record:
    year: int
    years: list[int]
    kind: str
    kinds: dict[str, Any]
    month: int | None
    months: list[Month]
    entries: list[Entry]  # the year's entries of the kind (every month)
    page: Page[Entry]
    querystring: str  # year, kind and month, for the pager

    @property
    def total(self) -> int:
        return len(self.entries)


def _int(value: str | None, low: int, high: int) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if low <= number <= high else None


def year_entries(person_id: int, year: int, kind: str = "") -> list[Entry]:
    kinds = [kind] if kind else None
    return timeline(person_id, dt.date(year, 1, 1), dt.date(year + 1, 1, 1), kinds)


def build(person_id: int, params: Mapping[str, str]) -> Record:
    """The record page's state from its query (year, kind, month, page); bad values fall back
    to this year, every kind, every month, the first page."""
    this_year = timezone.localdate().year
    year = _int(params.get("year"), this_year - 50, this_year) or this_year
    kinds = sources()
    kind = params.get("kind", "")
    if kind not in kinds:
        kind = ""
    month = _int(params.get("month"), 1, 12)
    entries = year_entries(person_id, year, kind)
    counts = [0] * 13
    for e in entries:
        counts[e.day.month] += 1
    months = [Month(m, counts[m], m == month) for m in range(1, 13)]
    shown = [e for e in entries if e.day.month == month] if month else entries
    page = Paginator(shown, PER_PAGE).get_page(params.get("page"))
    query: dict[str, Any] = {"year": year}
    if kind:
        query["kind"] = kind
    if month:
        query["month"] = month
    years = list(range(this_year, this_year - YEARS_BACK, -1))
    if year not in years:
        years.append(year)
    return Record(
        year=year,
        years=years,
        kind=kind,
        kinds=kinds,
        month=month,
        months=months,
        entries=entries,
        page=page,
        querystring=urlencode(query),
    )


def staff_url(url: str, actor: Actor | None = None) -> str:
    """The staff page of the evidence a source linked for the phone, or "" when staff have
    none to open. With ``actor``, only a page that actor may open."""
    if not url:
        return ""
    try:
        match = resolve(urlsplit(url).path)  # a list page's anchor names the phone's row
    except Resolver404:
        return ""
    if not match.view_name.startswith("mobile:"):
        return url
    target = _STAFF_PAGES.get(match.view_name)
    if not target:
        return ""
    staff = reverse(target, args=match.args, kwargs=match.kwargs)
    if actor is not None:
        page = resolve(staff)
        if not _may_open(actor, target, page.func, page.kwargs):
            return ""
    return staff


def rows(entries: list[Entry]) -> list[list[str]]:
    """The export's rows (text cells, common.sheets)."""
    labels = sources()
    return [
        [
            e.day.isoformat(),
            str(labels.get(e.kind, e.kind)),
            str(e.title),
            str(e.detail),
            str(e.status),
        ]
        for e in entries
    ]
