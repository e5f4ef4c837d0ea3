"""The inbox and preference pages, and the inbox API: each account sees its own messages."""

import pytest
from django.urls import reverse

from lianxin.accounts.models import Role
from lianxin.notifications.models import Notification, Preference
from lianxin.notifications.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(world):
    return world.client_for(world.a.office, Role.OFFICE)


def test_it_lists_only_my_messages_unread_first(world, office):
    old = notify(recipient=world.a.office, kind="x", title="旧消息")
    Notification.objects.filter(pk=old.pk).update(read_at="2026-01-01T00:00:00Z")
    notify(recipient=world.a.office, kind="x", title="新消息")
    notify(recipient=world.b.office, kind="x", title="别人的消息")
    response = office.get(reverse("notifications:inbox"))
    assert response.status_code == 200
    titles = [n.title for n in response.context["page_obj"].object_list]
    assert titles == ["新消息", "旧消息"]
    assert response.context["unread_notifications"] == 1
    assert "别人的消息" not in response.content.decode()


def test_it_pages_a_long_inbox(world, office):
    for i in range(25):
        notify(recipient=world.a.office, kind="x", title=f"消息{i}")
    first = office.get(reverse("notifications:inbox"))
    assert len(first.context["page_obj"].object_list) == 20
    second = office.get(reverse("notifications:inbox"), {"page": 2})
    assert len(second.context["page_obj"].object_list) == 5


def test_it_shows_an_empty_inbox_with_a_hint(office):
    assert "还没有消息" in office.get(reverse("notifications:inbox")).content.decode()


def test_it_marks_one_and_then_all_read_by_post(world, office):
    one = notify(recipient=world.a.office, kind="x", title="一")
    notify(recipient=world.a.office, kind="x", title="二")
    assert office.get(reverse("notifications:mark_read", args=[one.pk])).status_code == 405
    office.post(reverse("notifications:mark_read", args=[one.pk]))
    one.refresh_from_db()
    assert one.read_at is not None
    office.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(recipient=world.a.office, read_at=None).exists()


def test_it_cannot_mark_somebody_elses_message(world, office):
    theirs = notify(recipient=world.b.office, kind="x", title="别人的")
    office.post(reverse("notifications:mark_read", args=[theirs.pk]))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_it_saves_preferences_with_kinds_following_the_default(world, office):
    from lianxin.notifications.kinds import kinds

    # Every registered kind ticked as the default (email): only SMS for one kind differs.
    as_default = {"email:*": "on", **{f"email:{kind}": "on" for kind in kinds()}}
    response = office.post(
        reverse("notifications:preferences"), {**as_default, "sms:holidays.year_missing": "on"}
    )
    assert response.status_code == 302
    prefs = {p.kind: (p.email, p.sms) for p in Preference.objects.filter(user=world.a.office)}
    assert prefs == {"*": (True, False), "holidays.year_missing": (True, True)}
    office.post(reverse("notifications:preferences"), as_default)
    assert set(Preference.objects.filter(user=world.a.office).values_list("kind", flat=True)) == {
        "*"
    }
    page = office.get(reverse("notifications:preferences")).content.decode()
    assert "通知偏好" in page and "节假日安排缺失提醒" in page


def test_it_sends_an_anonymous_visitor_to_login(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_serves_my_notifications_through_the_api(world):
    mine = notify(recipient=world.a.deputy_user, kind="x", title="我的")
    notify(recipient=world.b.deputy_user, kind="x", title="别人的")
    client = world.client_for(world.a.deputy_user, Role.DEPUTY)
    rows = client.get("/api/v1/notifications/").json()["results"]
    assert [r["title"] for r in rows] == ["我的"]
    theirs = Notification.objects.get(title="别人的")
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    response = client.post(f"/api/v1/notifications/{mine.pk}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True
    notify(recipient=world.a.deputy_user, kind="x", title="再一条")
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
