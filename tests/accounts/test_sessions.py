"""Sessions (SEC-3): rotation at login, idle timeout, forced logout of a disabled account,
logout, no-store on staff pages, the role switch and the role-aware landing page."""

import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from rest_framework.authtoken.models import Token

from lianxin.accounts import services
from lianxin.accounts.models import Role
from lianxin.accounts.permissions import actor_for
from lianxin.audit.models import AuditEntry
from tests.factories import PASSWORD, assign

T0 = "2026-03-02 09:00:00 +0800"


def _login(client: Client, username: str, **extra):
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD, **extra})


def test_it_rotates_the_session_key_at_login(world):
    client = Client()
    with time_machine.travel(T0, tick=False):
        client.get("/accounts/login/")
        session = client.session
        session["planted"] = "by an attacker"
        session.save()
        before = session.session_key
        client.cookies["sessionid"] = before
        _login(client, "a_office")
        after = client.cookies["sessionid"].value
        assert after != before
        assert not Session.objects.filter(session_key=before).exists()
        assert client.get("/").status_code == 200


def test_it_ends_an_idle_session_after_the_timeout(world, settings):
    client = Client()
    with time_machine.travel(T0, tick=False) as traveller:
        _login(client, "a_office")
        traveller.shift(settings.SESSION_COOKIE_AGE - 60)
        assert client.get("/").status_code == 200  # activity renews the session
        traveller.shift(settings.SESSION_COOKIE_AGE - 60)
        assert client.get("/").status_code == 200
        traveller.shift(settings.SESSION_COOKIE_AGE + 1)
        response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_ends_the_sessions_and_tokens_of_a_disabled_account_at_once(world):
    victim = Client()
    other = Client()
    with time_machine.travel(T0, tick=False):
        _login(victim, "a_office")
        _login(other, "b_office")
        Token.objects.create(user=world.a.office)
        old_cookie = victim.cookies["sessionid"].value
        sysadmin = world.client_for(world.sysadmin)
        response = sysadmin.post(f"/accounts/users/{world.a.office.pk}/disable/")
        assert response.status_code == 302
        world.a.office.refresh_from_db()
        assert world.a.office.is_active is False
        assert not Session.objects.filter(session_key=old_cookie).exists()
        assert not Token.objects.filter(user=world.a.office).exists()
        replay = Client()
        replay.cookies["sessionid"] = old_cookie
        assert replay.get("/").status_code == 302
        assert other.get("/").status_code == 200  # nobody else is logged out
        assert _login(Client(), "a_office").status_code == 200  # cannot log in again
    assert AuditEntry.objects.filter(
        object_id=str(world.a.office.pk), changes__is_active=[True, False]
    ).exists()


def test_it_refuses_to_let_the_administrator_disable_himself(world):
    import pytest

    from lianxin.common.errors import DomainError

    with pytest.raises(DomainError):
        services.user_disable(actor=actor_for(world.sysadmin), user=world.sysadmin)


def test_it_logs_out_and_records_it(world):
    client = Client()
    with time_machine.travel(T0, tick=False):
        _login(client, "a_office")
        assert client.post("/accounts/logout/").status_code == 302
        assert client.get("/").status_code == 302
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGOUT, actor=world.a.office).exists()


def test_it_marks_staff_pages_no_store(world):
    client = world.client_for(world.a.office)
    assert client.get("/").headers["Cache-Control"] == "no-store"
    assert client.get("/accounts/token/").headers["Cache-Control"] == "no-store"
    admin = world.client_for(world.sysadmin)
    assert admin.get("/accounts/users/").headers["Cache-Control"] == "no-store"


def test_it_lands_each_administrator_on_his_own_work(world):
    expectations = {
        "sys": "/accounts/users/",
        "sec": "/accounts/assignments/",
        "aud": "/staff/audit/",
        "a_office": "/",
        "a_deputy": "/",
    }
    with time_machine.travel(T0, tick=False):
        for username, target in expectations.items():
            response = _login(Client(), username)
            assert response.status_code == 302
            assert response["Location"] == target, username


def test_it_follows_a_safe_next_but_not_another_site(world):
    with time_machine.travel(T0, tick=False):
        assert _login(Client(), "sys", next="/accounts/token/")["Location"] == "/accounts/token/"
        assert _login(Client(), "sys", next="https://evil.example/")["Location"] == (
            "/accounts/users/"
        )


def test_it_switches_to_another_role_of_the_same_account(world):
    user = world.a.office
    second = assign(user, Role.LEADERSHIP, region=world.a.region)
    client = world.client_for(user)
    response = client.post("/accounts/switch-role/", {"assignment": second.pk})
    assert response.status_code == 302
    assert client.session["lianxin_assignment_id"] == second.pk
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.SWITCH_ROLE, actor=user, object_id=str(second.pk)
    ).exists()
    page = client.get("/").content.decode()
    assert 'data-testid="role-switch"' in page


def test_it_refuses_to_switch_to_an_assignment_of_another_account(world):
    client = world.client_for(world.a.office)
    client.get("/")
    own = client.session.get("lianxin_assignment_id")
    assert own is not None
    foreign = world.sysadmin.assignments.get()
    response = client.post("/accounts/switch-role/", {"assignment": foreign.pk}, follow=True)
    assert "无法切换到该角色" in response.content.decode()
    assert client.session.get("lianxin_assignment_id") == own
    assert client.get("/accounts/users/").status_code == 404


def test_it_refuses_to_switch_to_a_revoked_assignment(world):
    user = world.a.office
    second = assign(user, Role.LEADERSHIP, region=world.a.region)
    second.is_active = False
    second.save()
    client = world.client_for(user)
    client.post("/accounts/switch-role/", {"assignment": second.pk})
    assert client.session.get("lianxin_assignment_id") != second.pk
