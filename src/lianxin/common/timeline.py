"""One record per deputy (PERF-1): every app registers a source of timeline entries, and the
deputy's record page (phone and staff) reads them all in date order.

A source is a function ``(person_id, start, end) -> Iterable[Entry]`` over the dates
``start <= day < end``; it returns only facts (a case received, a shift served or missed, an
activity attended, a voter contacted), each with the evidence a reader may open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.functional import Promise


@dataclass(frozen=True)
class Entry:
    day: dt.date
    kind: str  # the source's code, e.g. "cases", "duty", "activity", "voters"
    title: str | Promise
    detail: str | Promise = ""
    url: str = ""  # evidence the reader may open (within his reach), or ""
    status: str | Promise = ""
    tags: tuple[str, ...] = field(default_factory=tuple)


Source = Callable[[int, dt.date, dt.date], Iterable[Entry]]
_SOURCES: dict[str, tuple[str | Promise, Source]] = {}


def timeline_source(code: str, label: str | Promise) -> Callable[[Source], Source]:
    def register(fn: Source) -> Source:
        _SOURCES[code] = (label, fn)
        return fn

    return register


def sources() -> dict[str, str | Promise]:
    return {code: label for code, (label, _fn) in _SOURCES.items()}


def timeline(
    person_id: int, start: dt.date, end: dt.date, kinds: Iterable[str] | None = None
) -> list[Entry]:
    """Every entry of the person between ``start`` (inclusive) and ``end`` (exclusive), newest
    first."""
    wanted = set(kinds) if kinds is not None else None
    entries: list[Entry] = []
    for code, (_label, fn) in _SOURCES.items():
        if wanted is None or code in wanted:
            entries.extend(fn(person_id, start, end))
    return sorted(entries, key=lambda e: (e.day, str(e.title)), reverse=True)
