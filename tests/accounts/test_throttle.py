"""Login throttling (SEC-3): refused before hashing, per account and per address, and no
lasting lock-out of the real user."""

import time_machine
from django.test import Client

from lianxin.audit.models import AuditEntry
from tests.factories import PASSWORD

T0 = "2026-03-02 09:00:00 +0800"


def _client(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def _login(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def _fail(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        _login(client, username, "wrong-password")


def test_it_refuses_without_checking_the_password_after_the_free_failures(world, monkeypatch):
    attacker = _client("10.0.0.66")
    with time_machine.travel(T0, tick=False):
        _fail(attacker, "a_office", 5)
        calls = []
        import django.contrib.auth

        real = django.contrib.auth.authenticate
        monkeypatch.setattr(
            "lianxin.accounts.views.authenticate",
            lambda *a, **k: calls.append(1) or real(*a, **k),
        )
        response = _login(attacker, "a_office", PASSWORD)
    assert response.status_code == 429
    assert "登录尝试过于频繁，请 2 秒后再试" in response.content.decode()
    assert calls == []  # no password hash was computed
    assert "_auth_user_id" not in attacker.session


def test_it_doubles_the_wait_with_each_further_failure_up_to_a_short_cap(world):
    attacker = _client("10.0.0.66")
    with time_machine.travel(T0, tick=False) as traveller:
        _fail(attacker, "a_office", 5)
        waits = []
        for _ in range(7):
            response = _login(attacker, "a_office", "wrong-password")
            assert response.status_code == 429
            waits.append(int(response.content.decode().split("请 ")[1].split(" 秒")[0]))
            traveller.shift(waits[-1])
            _login(attacker, "a_office", "still-wrong")  # a real (failing) attempt
    assert waits == [2, 4, 8, 16, 32, 60, 60]


def test_it_lets_the_right_password_in_after_the_wait(world):
    client = _client("10.0.0.7")
    with time_machine.travel(T0, tick=False) as traveller:
        _fail(client, "a_office", 6)
        assert _login(client, "a_office", PASSWORD).status_code == 429
        traveller.shift(4)
        response = _login(client, "a_office", PASSWORD)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(world.a.office.pk)


def test_it_does_not_let_a_stranger_lock_the_real_user_out(world):
    attacker = _client("10.0.0.66")
    with time_machine.travel(T0, tick=False):
        _fail(attacker, "a_office", 40)
        owner = _client("192.168.1.20")
        response = _login(owner, "a_office", PASSWORD)
        assert response.status_code == 302
        assert owner.session["_auth_user_id"] == str(world.a.office.pk)


def test_it_slows_one_address_guessing_many_accounts(world):
    attacker = _client("10.0.0.66")
    with time_machine.travel(T0, tick=False):
        for n in range(30):
            _login(attacker, f"nobody{n}", "wrong-password")
        response = _login(attacker, "b_office", PASSWORD)
    assert response.status_code == 429


def test_it_is_generous_with_an_address_many_staff_share(world):
    nat = _client("10.1.1.1")
    with time_machine.travel(T0, tick=False):
        for n in range(20):
            _login(nat, f"typo{n}", "wrong-password")
        response = _login(nat, "b_office", PASSWORD)
    assert response.status_code == 302


def test_it_reads_the_address_only_from_the_trusted_proxy_header(world, settings):
    # Without a trusted proxy a forged header changes nothing: the socket address counts.
    with time_machine.travel(T0, tick=False):
        for n in range(30):
            Client(REMOTE_ADDR="10.0.0.66", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}").post(
                "/accounts/login/", {"username": f"x{n}", "password": "bad"}
            )
        blocked = Client(REMOTE_ADDR="10.0.0.66", HTTP_X_FORWARDED_FOR="9.9.9.9")
        assert _login(blocked, "b_office", PASSWORD).status_code == 429

        settings.TRUSTED_PROXY_HEADER = "X-Real-IP"
        behind_proxy = Client(REMOTE_ADDR="10.0.0.66", HTTP_X_REAL_IP="172.16.0.5")
        assert _login(behind_proxy, "b_office", PASSWORD).status_code == 302


def test_it_records_logins_and_failed_logins_without_the_password(world):
    client = _client("10.0.0.8")
    with time_machine.travel(T0, tick=False):
        _login(client, "a_office" + "x" * 200, "Secret-guess-123")
        _login(client, "a_office", PASSWORD)
    failed = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert failed.actor_name == ("a_office" + "x" * 200)[:64]
    assert failed.address == "10.0.0.8"
    ok = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN)
    assert ok.actor == world.a.office
    for entry in AuditEntry.objects.all():
        text = str(entry.changes) + entry.note + entry.actor_name + entry.object_repr
        assert "Secret-guess-123" not in text
        assert PASSWORD not in text


def test_it_throttles_the_api_token_endpoint_the_same_way(world):
    client = _client("10.0.0.66")
    url = "/api/v1/auth/token/"
    with time_machine.travel(T0, tick=False) as traveller:
        for _ in range(5):
            assert client.post(url, {"username": "a_office", "password": "bad"}).status_code == 400
        response = client.post(url, {"username": "a_office", "password": PASSWORD})
        assert response.status_code == 429
        assert response["Retry-After"] == "2"
        assert "秒后再试" in response.json()["error"]["message"]
        traveller.shift(2)
        response = client.post(url, {"username": "a_office", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/accounts/users/").status_code == 404  # an office is no sysadmin


def test_it_gives_no_api_token_to_an_account_without_the_capability(world):
    response = Client().post("/api/v1/auth/token/", {"username": "aud", "password": PASSWORD})
    assert response.status_code == 403
