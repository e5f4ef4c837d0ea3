"""Celery tasks of the notifications app: they take primary keys, never model instances."""

from celery import shared_task


@shared_task(name="notifications.send_delivery", autoretry_for=(), ignore_result=True)
def send_delivery(delivery_id: int) -> str:
    from lianxin.notifications.services import delivery_send

    return delivery_send(delivery_id=delivery_id)
