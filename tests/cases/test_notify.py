"""Citizens told of progress (NOTE-1): an SMS of each public step to those who asked for it,
none to others, never twice for one step, retried when the gateway fails."""

from __future__ import annotations

import pytest

from lianxin.cases import services
from lianxin.cases.models import CitizenMessage
from lianxin.cases.notify import tell_citizens
from lianxin.notifications.senders import LocmemSmsSender
from tests.cases.conftest import Personas, file

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox(settings):
    settings.SMS_SENDER = "lianxin.notifications.senders.LocmemSmsSender"
    LocmemSmsSender.outbox.clear()
    return LocmemSmsSender.outbox


def test_a_citizen_who_asked_gets_an_sms_of_each_public_step(
    world, outbox, django_capture_on_commit_callbacks
):
    a = Personas(world.a)
    with django_capture_on_commit_callbacks(execute=True):
        case = file(world.a, phone="13812345678", notify_by_sms=True).case
        file(world.a, phone="13900001111", notify_by_sms=False)  # asked for no SMS
        case = services.confirm(who=a.deputy, case=case)
        case = services.triage(who=a.office, case=case, scope="township")
    phones = [p for p, _t in outbox]
    assert phones == ["13812345678"] * 3
    assert all(case.number in text for _p, text in outbox)
    assert "乡镇" in outbox[-1][1]
    event = case.events.order_by("-seq").first()
    assert tell_citizens(event.pk) == 0  # already sent: never twice
    assert len(outbox) == 3


def test_a_failing_gateway_is_retried_and_then_sends_once(world, settings, monkeypatch):
    settings.SMS_SENDER = "lianxin.notifications.senders.LocmemSmsSender"
    LocmemSmsSender.outbox.clear()
    case = file(world.a, phone="13812345678", notify_by_sms=True).case
    event = case.events.get()

    def down(self, phone, text):
        raise ConnectionError("gateway down")

    monkeypatch.setattr(LocmemSmsSender, "send", down)
    with pytest.raises(ConnectionError):
        tell_citizens(event.pk)
    message = CitizenMessage.objects.get()
    assert message.status == CitizenMessage.Status.FAILED and message.attempts == 1
    monkeypatch.undo()
    settings.SMS_SENDER = "lianxin.notifications.senders.LocmemSmsSender"
    assert tell_citizens(event.pk) == 1
    assert tell_citizens(event.pk) == 0
    message.refresh_from_db()
    assert message.status == CitizenMessage.Status.SENT and message.attempts == 2
