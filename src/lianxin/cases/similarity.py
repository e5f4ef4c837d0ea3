"""Similar open cases nearby, shown before a citizen files (附议, CASE-2).

"Nearby" is the same village or community, or the same station; "similar" is the same
category, recent, and close in text — measured on Chinese character bigrams (and single
characters for very short texts), not by a substring match. Only a bounded number of recent
candidates is scored, through the index on (region, category, received_at), so the check
stays fast with millions of cases.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from lianxin.cases.models import TERMINAL_STATUSES, Case, Category
from lianxin.cases.redaction import normalise
from lianxin.directory.models import Station
from lianxin.regions.models import Region

_KEEP = re.compile(r"[\u4e00-\u9fff0-9a-z]+")
# Words that say nothing about the problem itself.
_STOP = set("的了是在我们你他她它和与及或也就都而且但请问吗呢吧啊哦嗯这那有没不很太")


def grams(text: str) -> frozenset[str]:
    """The character bigrams of the text's Chinese, digits and letters (stop characters out)."""
    parts = _KEEP.findall(normalise(text).lower())
    chars = "".join(ch for ch in "".join(parts) if ch not in _STOP)
    if len(chars) < 2:
        return frozenset(chars)
    return frozenset(chars[i : i + 2] for i in range(len(chars) - 1))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Overlap of two gram sets, scaled to the shorter text (a short complaint about the same
    street lamp as a long one still matches)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


@dataclass(frozen=True)
class Match:
    case: Case
    score: float


def threshold() -> float:
    return float(getattr(settings, "LIANXIN_SIMILAR_THRESHOLD", 0.45))


def recent_days() -> int:
    return int(getattr(settings, "LIANXIN_SIMILAR_DAYS", 90))


def similar_open_cases(
    *,
    region: Region,
    category: Category,
    text: str,
    station: Station | None = None,
    limit: int = 5,
    candidates: int = 300,
) -> list[Match]:
    """Open, recent cases of the same place and category whose text is similar, best first."""
    wanted = grams(text)
    if len(wanted) < 3:
        return []
    since = timezone.now() - dt.timedelta(days=recent_days())
    place = Q(region=region)
    if station is not None:
        place |= Q(station=station)
    pool = (
        Case.objects.filter(place, category=category, received_at__gte=since)
        .exclude(status__in=TERMINAL_STATUSES)
        .exclude(sensitive=True)
        .only(
            "pk",
            "number",
            "public_text",
            "status",
            "received_at",
            "region_id",
            "category_id",
            "congress_id",
        )
        .order_by("-received_at")[:candidates]
    )
    found = [Match(case, similarity(wanted, grams(case.public_text))) for case in pool]
    found = [m for m in found if m.score >= threshold()]
    found.sort(key=lambda m: (-m.score, -m.case.received_at.timestamp()))
    return found[:limit]
