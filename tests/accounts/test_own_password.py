"""Every account changes its own password; after a reset it must before anything else (SEC-3)."""

import pytest

from lianxin.accounts.permissions import actor_for
from lianxin.accounts.services import user_set_password
from lianxin.audit.models import AuditEntry
from tests.factories import PASSWORD

NEW = "Brand-new-pass-2026!"


def _change(client, old=PASSWORD, new1=NEW, new2=NEW):
    return client.post(
        "/accounts/password/",
        {"old_password": old, "new_password1": new1, "new_password2": new2},
    )


def test_it_changes_the_own_password_and_keeps_the_session(world):
    client = world.client_for(world.a.deputy_user)
    response = _change(client)
    assert response.status_code == 302
    world.a.deputy_user.refresh_from_db()
    assert world.a.deputy_user.check_password(NEW)
    assert client.get("/m/me/").status_code == 200  # still signed in on this device
    entry = AuditEntry.objects.filter(object_id=str(world.a.deputy_user.pk)).latest("pk")
    assert entry.changes.get("password") == ["***", "***"]  # changed, never in clear


@pytest.mark.parametrize(
    ("old", "new1", "new2", "message"),
    [
        ("wrong-old-pass", NEW, NEW, "原密码不正确"),
        (PASSWORD, NEW, NEW + "x", "两次输入的新密码不一致"),
        (PASSWORD, "short", "short", "密码"),
        (PASSWORD, PASSWORD, PASSWORD, "新密码不能与原密码相同"),
    ],
)
def test_it_refuses_a_bad_change_with_a_clear_message(world, old, new1, new2, message):
    client = world.client_for(world.a.office)
    response = _change(client, old, new1, new2)
    assert response.status_code == 200
    assert message in response.content.decode()
    world.a.office.refresh_from_db()
    assert world.a.office.check_password(PASSWORD)


def test_it_holds_a_reset_account_on_the_password_page_until_changed(world):
    user_set_password(
        actor=actor_for(world.sysadmin), user=world.a.office, password="Reset-by-admin-26!"
    )
    client = world.client_for(world.a.office)
    response = client.get("/staff/directory/persons/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/"
    assert client.get("/api/v1/persons/").status_code == 403
    assert "系统管理员重置" in client.get("/accounts/password/").content.decode()
    assert _change(client, old="Reset-by-admin-26!").status_code == 302
    assert client.get("/staff/directory/persons/").status_code == 200


def test_it_sends_an_anonymous_visitor_to_login(client, db):
    response = client.get("/accounts/password/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
