"""Celery tasks of the cases app: they take primary keys or plain values, never instances."""

from celery import shared_task


@shared_task(name="cases.recompute_deadlines", ignore_result=True)
def recompute_deadlines_task(year: int) -> int:
    from lianxin.cases.deadlines import recompute_deadlines

    return recompute_deadlines(year)
