"""gunicorn settings for `make run` and production (ARCHITECTURE: gthread workers, WSGI).

In the embedded default (no broker) the master process owns the periodic sweeps: a thread
started in `when_ready` runs them on a timer. Workers are forked from the master and do not
inherit that thread, so exactly one process runs the sweeps.
"""

import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 60
graceful_timeout = 20
accesslog = "-" if os.environ.get("LIANXIN_ACCESS_LOG") else None
# Citizens' tracking links (/p/t/<token>/) never reach the access log in clear (SEC-2).
from lianxin.common.logging import gunicorn_logger_class  # noqa: E402

logger_class = gunicorn_logger_class()
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def when_ready(server):  # type: ignore[no-untyped-def]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
    import django

    django.setup()
    from django.conf import settings

    if not settings.RUN_SWEEPS_IN_PROCESS:
        return
    from lianxin.common.sweeps import run_forever

    threading.Thread(target=run_forever, name="lianxin-sweeps", daemon=True).start()
    server.log.info(
        "periodic sweeps run in the master process every %ss", settings.SWEEP_INTERVAL_SECONDS
    )
