"""Periodic sweeps (NOTE-2 reminders, deadline escalations, retention purges).

Each app registers its sweeps with ``@sweep``. A sweep must be idempotent: running it twice
changes nothing the second time (reminders carry a uniqueness key). In production Celery beat
calls ``run_all_sweeps`` as a task; in the embedded default the gunicorn master runs it on a
timer (see deploy/gunicorn.conf.py).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections

log = logging.getLogger(__name__)

_SWEEPS: dict[str, Callable[[], object]] = {}


def sweep(name: str) -> Callable[[Callable[[], object]], Callable[[], object]]:
    def register(fn: Callable[[], object]) -> Callable[[], object]:
        _SWEEPS[name] = fn
        return fn

    return register


def registered() -> dict[str, Callable[[], object]]:
    return dict(_SWEEPS)


def run_all_sweeps() -> dict[str, object]:
    results: dict[str, object] = {}
    for name, fn in _SWEEPS.items():
        try:
            results[name] = fn()
        except Exception:  # one failing sweep must not stop the others
            log.exception("sweep %s failed", name)
            results[name] = "failed"
    return results


def run_forever() -> None:  # pragma: no cover - a timer loop, exercised by make run
    while True:
        time.sleep(settings.SWEEP_INTERVAL_SECONDS)
        close_old_connections()
        run_all_sweeps()
        close_old_connections()
