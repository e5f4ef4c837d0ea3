"""Celery application. Without a broker the tasks run in-process (CELERY_TASK_ALWAYS_EAGER).

Production runs one ``celery beat`` and M workers; beat queues ``common.run_sweeps`` every
``SWEEP_INTERVAL_SECONDS``. In the embedded default no beat runs: the gunicorn master owns
the sweep timer (deploy/gunicorn.conf.py), so exactly one process sweeps.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")

app = Celery("lianxin")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["lianxin.common"])
app.autodiscover_tasks(["lianxin.directory.exchange"])


@app.on_after_finalize.connect
def _beat_schedule(sender: Celery, **kwargs: object) -> None:
    from django.conf import settings

    sender.conf.beat_schedule = {
        "run-sweeps": {
            "task": "common.run_sweeps",
            "schedule": float(settings.SWEEP_INTERVAL_SECONDS),
        },
        **getattr(settings, "CELERY_BEAT_SCHEDULE", {}),
    }
