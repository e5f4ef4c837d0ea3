"""Telling citizens of their case's progress (NOTE-1, CASE-9): the tracking page always shows
every public step; a citizen who left a phone and asked for it also gets an SMS of each public
step, through the pluggable SMS sender. Idempotent per citizen and event."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from lianxin.cases.models import CaseCitizen, CaseEvent, CitizenMessage
from lianxin.notifications.senders import sms_sender

SMS_MAX = 120


def queue(event: CaseEvent) -> None:
    """After the event's transaction commits, tell the citizens who asked for SMS."""
    if not event.public_note or not (event.data or {}).get("public", True):
        return
    if (
        not CaseCitizen.objects.filter(case_id=event.case_id, notify_by_sms=True)
        .exclude(phone="")
        .exists()
    ):
        return
    from lianxin.cases.tasks import tell_citizens_task

    transaction.on_commit(lambda: tell_citizens_task.delay(event.pk))


def text_for(event: CaseEvent) -> str:
    note = event.public_note.strip().replace("\n", " ")
    text = _("【人大代表联络站】您反映的问题（编号%(n)s）：%(note)s") % {
        "n": event.case.number,
        "note": note,
    }
    return text if len(text) <= SMS_MAX else text[: SMS_MAX - 1] + "…"


def tell_citizens(event_id: int) -> int:
    """Sends the event's SMS to each citizen of its case who asked; returns how many were sent.
    A failure is recorded and raised, so the task retries; a sent message is never resent."""
    event = CaseEvent.objects.select_related("case").get(pk=event_id)
    sent = 0
    failure: Exception | None = None
    citizens = CaseCitizen.objects.filter(case_id=event.case_id, notify_by_sms=True).exclude(
        phone=""
    )
    for citizen in citizens:
        done = CitizenMessage.objects.filter(citizen=citizen, event=event).first()
        if done is not None and done.status == CitizenMessage.Status.SENT:
            continue
        if done is None:
            try:
                with transaction.atomic():
                    done = CitizenMessage.objects.create(
                        citizen=citizen, event=event, status=CitizenMessage.Status.FAILED
                    )
            except IntegrityError:  # another worker took it
                continue
        CitizenMessage.objects.filter(pk=done.pk).update(attempts=F("attempts") + 1)
        try:
            sms_sender().send(citizen.phone, text_for(event))
        except Exception as exc:
            failure = exc
            continue
        CitizenMessage.objects.filter(pk=done.pk).update(status=CitizenMessage.Status.SENT)
        sent += 1
    if failure is not None:
        raise failure
    return sent
