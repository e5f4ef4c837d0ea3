"""Celery tasks shared by every app. Tasks take primary keys (or nothing), never model
instances, and are queued with ``transaction.on_commit`` (STYLE 8)."""

from celery import shared_task

from lianxin.common.sweeps import run_all_sweeps


@shared_task(name="common.run_sweeps", ignore_result=True)
def run_sweeps() -> dict[str, object]:
    """Runs every registered sweep once (Celery beat calls it every SWEEP_INTERVAL_SECONDS)."""
    return {name: str(result) for name, result in run_all_sweeps().items()}
