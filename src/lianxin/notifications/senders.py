"""Pluggable senders for email and SMS (NOTE-1).

SMS goes through the class named by ``settings.SMS_SENDER`` (a dotted path); the default
``ConsoleSmsSender`` writes to the log, as Django's console email backend does. A real
gateway is a class with ``send(phone, text)`` that raises on failure. Email goes through
Django's mail framework (``EMAIL_BACKEND``; console by default).
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class ConsoleSmsSender:
    """Writes each message to the log (the embedded default and development)."""

    def send(self, phone: str, text: str) -> None:
        log.info("SMS to %s: %s", phone, text)


class LocmemSmsSender:
    """Keeps messages in memory (tests): ``LocmemSmsSender.outbox``."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.outbox.append((phone, text))


def sms_sender() -> SmsSender:
    return import_string(settings.SMS_SENDER)()  # type: ignore[no-any-return]


def send_email(address: str, subject: str, body: str) -> None:
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False)
