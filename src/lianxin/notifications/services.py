"""Sending and reading notifications (NOTE-1).

``notify`` is what every app calls: it writes the inbox message and queues email and SMS
deliveries as the recipient's preferences ask. With a ``dedupe_key`` it is idempotent: a
second call with the same key finds the key taken (a unique constraint, so two racing sweeps
cannot both win) and sends nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from lianxin.accounts.permissions import Actor, Perm
from lianxin.common.errors import NotAllowed
from lianxin.notifications.kinds import DEFAULT
from lianxin.notifications.models import Channel, Delivery, Notification, Preference

log = logging.getLogger(__name__)


def channels_for(user: Any, kind: str) -> list[str]:
    """The outside channels ``user`` wants for ``kind``: its own row, else the default row."""
    prefs = {p.kind: p for p in Preference.objects.filter(user=user, kind__in=[kind, DEFAULT])}
    pref = prefs.get(kind) or prefs.get(DEFAULT)
    if pref is None:
        return []
    return [c for c, wanted in ((Channel.EMAIL, pref.email), (Channel.SMS, pref.sms)) if wanted]


def notify(
    *,
    recipient: Any,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str | None = None,
) -> Notification | None:
    """Puts a message in ``recipient``'s inbox and queues the deliveries he asked for.

    Returns the new notification, or None when ``dedupe_key`` was already used (nothing sent).
    """
    if dedupe_key is not None and Notification.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind[:40],
                title=title[:200],
                body=body,
                url=url[:300],
                dedupe_key=dedupe_key,
            )
            deliveries = [
                Delivery.objects.create(notification=notification, channel=channel)
                for channel in channels_for(recipient, kind)
            ]
    except IntegrityError:
        if dedupe_key is not None and Notification.objects.filter(dedupe_key=dedupe_key).exists():
            return None  # somebody else sent it first
        raise
    for delivery in deliveries:
        _queue_delivery(delivery.pk)
    return notification


def _queue_delivery(delivery_id: int) -> None:
    from lianxin.notifications.tasks import send_delivery

    transaction.on_commit(lambda: send_delivery.delay(delivery_id))


def _address(user: Any, channel: str) -> str:
    if channel == Channel.EMAIL:
        return str(user.email or "")
    person = getattr(user, "person", None)
    return str(getattr(person, "phone", "") or "") if person is not None else ""


def delivery_send(*, delivery_id: int) -> str:
    """Sends one pending delivery through its channel's sender; safe to run twice.

    Claims the delivery with a compare-and-swap on ``attempts`` so two workers never both send.
    """
    from lianxin.notifications.senders import send_email, sms_sender

    delivery = (
        Delivery.objects.select_related("notification__recipient").filter(pk=delivery_id).first()
    )
    if delivery is None or delivery.status == Delivery.Status.SENT:
        return "skipped"
    claimed = Delivery.objects.filter(
        pk=delivery.pk, status=delivery.status, attempts=delivery.attempts
    ).update(attempts=delivery.attempts + 1)
    if not claimed:
        return "skipped"
    notification = delivery.notification
    address = _address(notification.recipient, delivery.channel)
    status, error = Delivery.Status.SENT, ""
    if not address:
        status, error = Delivery.Status.FAILED, "no address"
    else:
        text = f"{notification.title}\n{notification.body}".strip()
        try:
            if delivery.channel == Channel.EMAIL:
                send_email(address, notification.title, text)
            else:
                sms_sender().send(address, text)
        except Exception as exc:  # a sender may raise anything; the delivery records it
            log.warning("delivery %s failed: %s", delivery.pk, exc)
            status, error = Delivery.Status.FAILED, str(exc)[:300]
    Delivery.objects.filter(pk=delivery.pk).update(
        status=status,
        error=error,
        sent_at=timezone.now() if status == Delivery.Status.SENT else None,
    )
    return str(status)


def _require(actor: Actor) -> None:
    if not actor.has(Perm.USE_INBOX):
        raise NotAllowed


def notification_mark_read(*, actor: Actor, notification_id: int) -> bool:
    """Marks one of the actor's own messages read; False if it is not his or already read."""
    _require(actor)
    return bool(
        Notification.objects.filter(
            pk=notification_id, recipient=actor.user, read_at__isnull=True
        ).update(read_at=timezone.now())
    )


def notification_mark_all_read(*, actor: Actor) -> int:
    _require(actor)
    return Notification.objects.filter(recipient=actor.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preferences_save(*, actor: Actor, choices: dict[str, tuple[bool, bool]]) -> None:
    """Saves (email, sms) per kind for the actor himself. ``"*"`` is the default for every
    kind; a kind whose choice equals the default keeps no row of its own (it follows it)."""
    _require(actor)
    default = choices.get(DEFAULT, (False, False))
    with transaction.atomic():
        for kind, (email, sms) in choices.items():
            if kind != DEFAULT and (email, sms) == default:
                Preference.objects.filter(user=actor.user, kind=kind).delete()
                continue
            Preference.objects.update_or_create(
                user=actor.user, kind=kind[:40], defaults={"email": email, "sms": sms}
            )


def unread_count(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
