"""Celery tasks of the cases app: they take primary keys or plain values, never instances."""

from celery import shared_task


@shared_task(name="cases.recompute_deadlines", ignore_result=True)
def recompute_deadlines_task(year: int) -> int:
    from lianxin.cases.deadlines import recompute_deadlines

    return recompute_deadlines(year)


@shared_task(
    name="cases.tell_citizens",
    ignore_result=True,
    autoretry_for=(Exception,),
    retry_backoff=60,
    max_retries=5,
)
def tell_citizens_task(event_id: int) -> int:
    from lianxin.cases.notify import tell_citizens

    return tell_citizens(event_id)
