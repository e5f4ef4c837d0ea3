"""Celery tasks of the portal: they take primary keys, never instances."""

from celery import shared_task


@shared_task(name="portal.register_intake", ignore_result=True)
def register_intake_task(intake_id: int) -> bool:
    """Files the case of an acknowledged opinion (decision 0010); the sweep retries."""
    from lianxin.portal.intake import register

    return register(intake_id) is not None


@shared_task(name="portal.register_pending", ignore_result=True)
def register_pending_task() -> int:
    """Registers every acknowledged opinion waiting for its case (decision 0010)."""
    from lianxin.portal.intake import register_pending

    return register_pending()
