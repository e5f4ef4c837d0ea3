"""notify() writes the inbox message, queues deliveries per preference, and never twice."""

from unittest import mock

import pytest
from django.core import mail
from django.db.models import QuerySet

from lianxin.notifications.models import Delivery, Notification, Preference
from lianxin.notifications.senders import LocmemSmsSender
from lianxin.notifications.services import channels_for, notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms(settings):
    settings.SMS_SENDER = "lianxin.notifications.senders.LocmemSmsSender"
    LocmemSmsSender.outbox = []
    return LocmemSmsSender.outbox


def test_it_puts_a_message_in_the_inbox_only_by_default(world):
    n = notify(recipient=world.a.office, kind="test", title="标题", body="内容", url="/x/")
    assert n is not None
    assert Notification.objects.get(recipient=world.a.office).title == "标题"
    assert not Delivery.objects.exists()


def test_it_sends_email_and_sms_as_the_person_prefers(
    world, sms, django_capture_on_commit_callbacks
):
    user = world.a.deputy_user
    user.email = "deputy@example.cn"
    user.save()
    Preference.objects.create(user=user, kind="*", email=True, sms=True)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=user, kind="cases.reminder", title="请确认意见", body="有1条意见待确认")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["deputy@example.cn"]
    assert mail.outbox[0].subject == "请确认意见"
    assert sms == [(world.a.deputy.phone, "请确认意见\n有1条意见待确认")]
    assert set(Delivery.objects.values_list("channel", "status")) == {
        ("email", "sent"),
        ("sms", "sent"),
    }


def test_it_lets_a_kind_preference_override_the_default(world):
    user = world.a.office
    Preference.objects.create(user=user, kind="*", email=True, sms=False)
    Preference.objects.create(user=user, kind="quiet", email=False, sms=False)
    assert channels_for(user, "other") == ["email"]
    assert channels_for(user, "quiet") == []


def test_it_records_a_failed_delivery_without_an_address(
    world, sms, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=world.a.office, kind="*", email=True)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=world.a.office, kind="x", title="t")
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == 1
    assert not mail.outbox


def test_it_sends_nothing_the_second_time_with_the_same_dedupe_key(
    world, sms, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=world.a.deputy_user, kind="*", sms=True)
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(recipient=world.a.deputy_user, kind="x", title="t", dedupe_key="k1")
        second = notify(recipient=world.a.deputy_user, kind="x", title="t", dedupe_key="k1")
    assert first is not None and second is None
    assert Notification.objects.count() == 1
    assert len(sms) == 1


def test_it_loses_a_dedupe_race_quietly(world):
    notify(recipient=world.a.office, kind="x", title="t", dedupe_key="race")
    # The other sender's row appears between our check and our insert.
    with mock.patch.object(QuerySet, "exists", side_effect=[False, True]):
        assert notify(recipient=world.a.office, kind="x", title="t", dedupe_key="race") is None
    assert Notification.objects.filter(dedupe_key="race").count() == 1
