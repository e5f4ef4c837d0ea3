"""What happens when the official calendar of a year changes (CASE-4).

Later apps (cases, suggestions, duty rosters) keep deadlines that were counted on the
calendar. When staff enter, edit or import a year, those running deadlines must be counted
again. They register a listener here, once, in their ``AppConfig.ready``::

    from lianxin.holidays.hooks import calendar_listener

    @calendar_listener("cases.recompute_deadlines")
    def recompute(year: int) -> None:
        ...  # queue a task that recounts the open deadlines falling in ``year``

``on_calendar_changed(year)`` is called by the holidays services after the change has been
committed (``transaction.on_commit``), so a listener sees the new calendar. A listener should
queue its work (a Celery task taking the year) rather than do it inline, and must be
idempotent: the same year may be announced more than once. One failing listener does not stop
the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)

CalendarListener = Callable[[int], object]
_LISTENERS: dict[str, CalendarListener] = {}


def calendar_listener(name: str) -> Callable[[CalendarListener], CalendarListener]:
    """Registers ``fn(year)`` under ``name`` (registering the same name again replaces it)."""

    def register(fn: CalendarListener) -> CalendarListener:
        _LISTENERS[name] = fn
        return fn

    return register


def unregister(name: str) -> None:
    _LISTENERS.pop(name, None)


def listeners() -> dict[str, CalendarListener]:
    return dict(_LISTENERS)


def on_calendar_changed(year: int) -> None:
    """Tells every listener that the calendar of ``year`` changed."""
    for name, fn in list(_LISTENERS.items()):
        try:
            fn(year)
        except Exception:  # one failing listener must not stop the others
            log.exception("calendar listener %s failed for %s", name, year)
