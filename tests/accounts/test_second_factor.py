"""The second factor at login (SEC-3): TOTP (RFC 6238) and SMS codes, recovery codes, the
pending login, the throttle, the mandatory mode per role and the administrator's reset."""

from __future__ import annotations

import base64
import re

import pytest
import time_machine
from django.test import Client

from lianxin.accounts import mfa, services
from lianxin.accounts.models import SecondFactor, User
from lianxin.accounts.permissions import actor_for
from lianxin.audit.models import AuditEntry
from lianxin.notifications.senders import LocmemSmsSender
from tests.factories import PASSWORD

T0 = "2026-03-02 09:00:00 +0800"
LOGIN = "/accounts/login/"
VERIFY = "/accounts/login/verify/"
SETUP = "/accounts/second-factor/"


def _login(client: Client, username: str, password: str = PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def _verify(client: Client, code: str):
    return client.post(VERIFY, {"code": code})


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _enrol_totp(user: User) -> tuple[str, list[str]]:
    """Enrols ``user`` directly through the service (the page is tested separately)."""
    secret = mfa.new_totp_secret()
    codes = services.second_factor_enrol(
        actor=actor_for(user), method=SecondFactor.Method.TOTP, secret=secret
    )
    return secret, codes


def _stored(factor: SecondFactor, *columns: str) -> tuple[str, ...]:
    """The values as the database holds them (the field decrypts on read)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM accounts_secondfactor WHERE id = %s",  # noqa: S608
            [factor.pk],
        )
        return tuple(cursor.fetchone())


def _wrong(code: str) -> str:
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


def _sms_codes(outbox: list[tuple[str, str]]) -> list[str]:
    return [re.search(r"验证码是 (\d{6})", text).group(1) for _phone, text in outbox]  # type: ignore[union-attr]


@pytest.fixture
def sms_outbox(settings):
    settings.SMS_SENDER = "lianxin.notifications.senders.LocmemSmsSender"
    LocmemSmsSender.outbox = []
    return LocmemSmsSender.outbox


# --- TOTP itself ------------------------------------------------------------------------------


def test_it_computes_the_rfc_6238_reference_codes():
    secret = base64.b32encode(b"12345678901234567890").decode()
    # RFC 6238 appendix B (SHA-1), last six of the eight digits.
    for at, code in [(59, "287082"), (1111111109, "081804"), (1234567890, "005924")]:
        assert mfa.totp(secret, now=at) == code
    assert mfa.totp(secret, now=2000000000) == "279037"


def test_it_tolerates_one_step_either_way_but_not_two():
    secret = mfa.new_totp_secret()
    now = 1_800_000_000.0
    code = mfa.totp(secret, now=now)
    step = mfa.current_step(now)
    assert mfa.totp_match(secret, code, now=now) == step
    assert mfa.totp_match(secret, code, now=now + 30) == step
    assert mfa.totp_match(secret, code, now=now - 30) == step
    assert mfa.totp_match(secret, code, now=now + 60) is None
    assert mfa.totp_match(secret, "１２３", now=now) is None
    assert mfa.otpauth_uri(secret, "a_office").startswith("otpauth://totp/")
    assert f"secret={secret}" in mfa.otpauth_uri(secret, "a_office")


# --- Enrolment --------------------------------------------------------------------------------


def test_it_refuses_a_wrong_confirmation_code_and_enables_with_the_right_one(world):
    user = world.a.office
    client = world.client_for(user)
    with time_machine.travel(T0, tick=False):
        page = client.get("/accounts/second-factor/totp/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "<svg" in html
        secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', html).group(1)  # type: ignore[union-attr]
        secret = secret.replace(" ", "")
        code = mfa.totp(secret)

        wrong = client.post("/accounts/second-factor/totp/", {"code": _wrong(code)})
        assert wrong.status_code == 200
        assert "验证码不正确" in wrong.content.decode()
        assert not SecondFactor.objects.filter(user=user).exists()
        assert secret.replace(" ", "") in wrong.content.decode().replace(" ", "")  # same QR kept

        right = client.post("/accounts/second-factor/totp/", {"code": code})
        assert right.status_code == 302
        assert right["Location"] == "/accounts/second-factor/codes/"
        shown = client.get("/accounts/second-factor/codes/").content.decode()
        codes = re.findall(r"[2-9A-Z]{5}-[2-9A-Z]{5}", shown)
        assert len(set(codes)) == 10
        assert client.get("/accounts/second-factor/codes/").status_code == 302  # shown once
    factor = SecondFactor.objects.get(user=user)
    assert factor.method == "totp"
    assert factor.secret == secret
    assert factor.recovery_left == 10
    # Stored encrypted and hashed; the audit trail holds neither the secret nor any code.
    assert all(v.startswith("enc:v1:") for v in _stored(factor, "secret", "recovery_codes"))
    entries = AuditEntry.objects.filter(object_id__in=[str(user.pk), str(factor.pk)])
    text = " ".join(f"{e.note} {e.changes}" for e in entries)
    assert "启用双因素认证：验证器应用" in text
    assert secret not in text and code not in text
    assert not any(c in text for c in codes)


def test_it_shows_the_status_to_its_owner_and_needs_a_login(world):
    assert Client().get(SETUP).status_code == 302
    client = world.client_for(world.a.deputy_user)
    page = client.get(SETUP).content.decode()
    assert "未启用" in page and "设置验证器应用" in page
    _enrol_totp(world.a.deputy_user)
    page = client.get(SETUP).content.decode()
    assert "已启用" in page and "剩余恢复码 10 个" in page


# --- Login with TOTP --------------------------------------------------------------------------


def test_it_does_not_log_in_with_the_password_alone(world):
    _enrol_totp(world.a.office)
    client = Client()
    with time_machine.travel(T0, tick=False):
        response = _login(client, "a_office")
        assert response.status_code == 302
        assert response["Location"] == VERIFY
        assert not _logged_in(client)
        assert client.session[mfa.PENDING_KEY]["uid"] == world.a.office.pk
        assert client.get("/").status_code == 302  # no page until the code is right
        assert client.get(VERIFY).status_code == 200
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN).exists()


def test_it_logs_in_with_the_right_code_and_refuses_its_replay(world):
    secret, _codes = _enrol_totp(world.a.office)
    client = Client()
    with time_machine.travel(T0, tick=False) as traveller:
        _login(client, "a_office")
        pending_key = client.session.session_key
        code = mfa.totp(secret)
        response = _verify(client, code)
        assert response.status_code == 302
        assert response["Location"] == "/"
        assert _logged_in(client)
        assert client.session.session_key != pending_key  # login() rotated the key
        assert client.get("/").status_code == 200

        replay = Client()
        _login(replay, "a_office")
        refused = _verify(replay, code)
        assert refused.status_code == 200
        assert "验证码不正确" in refused.content.decode()
        assert not _logged_in(replay)

        traveller.shift(30)
        assert _verify(replay, mfa.totp(secret)).status_code == 302
        assert _logged_in(replay)
    login = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN, actor=world.a.office)
    assert login.count() == 2
    assert login.first().note == "通过双因素认证：验证器应用"  # type: ignore[union-attr]


def test_it_refuses_a_wrong_code_and_counts_it_toward_the_throttle(world):
    secret, _codes = _enrol_totp(world.a.office)
    client = Client(REMOTE_ADDR="10.0.0.66")
    with time_machine.travel(T0, tick=False) as traveller:
        _login(client, "a_office")
        right = mfa.totp(secret)
        wrong = _verify(client, _wrong(right))
        assert wrong.status_code == 200
        assert "验证码不正确" in wrong.content.decode()
        assert not _logged_in(client)
        for _ in range(3):
            _verify(client, _wrong(right))
        # The fifth wrong code ends this pending login.
        ended = _verify(client, _wrong(right))
        assert ended.status_code == 302 and ended["Location"] == LOGIN
        assert mfa.PENDING_KEY not in client.session
        # The right password did not clear the account's failures: the next try must wait.
        slowed = _login(client, "a_office")
        assert slowed.status_code == 429
        traveller.shift(2)
        assert _login(client, "a_office")["Location"] == VERIFY
        _verify(client, _wrong(right))  # the sixth failure: the wait doubles
        assert _verify(client, mfa.totp(secret)).status_code == 429
        traveller.shift(4)
        assert _verify(client, mfa.totp(secret)).status_code == 302
        assert _logged_in(client)
    failures = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED)
    assert failures.filter(note="双因素验证失败", actor_name="a_office").count() == 6
    assert not any(_wrong(right) in f"{e.note}{e.changes}" for e in failures)


def test_it_forgets_the_pending_login_after_five_minutes(world):
    secret, _codes = _enrol_totp(world.a.office)
    client = Client()
    with time_machine.travel(T0, tick=False) as traveller:
        _login(client, "a_office")
        traveller.shift(5 * 60 + 1)
        response = _verify(client, mfa.totp(secret))
        assert response.status_code == 302 and response["Location"] == LOGIN
        assert not _logged_in(client)
        assert client.get(VERIFY)["Location"] == LOGIN


def test_it_keeps_a_safe_next_through_the_second_factor(world):
    secret, _codes = _enrol_totp(world.sysadmin)
    client = Client()
    with time_machine.travel(T0, tick=False):
        client.post(LOGIN, {"username": "sys", "password": PASSWORD, "next": "/accounts/token/"})
        assert _verify(client, mfa.totp(secret))["Location"] == "/accounts/token/"


# --- SMS --------------------------------------------------------------------------------------


def test_it_enrols_sms_with_the_profile_phone_and_logs_in_with_a_sent_code(world, sms_outbox):
    user = world.a.deputy_user
    person = world.a.deputy
    person.phone = "13800138000"
    person.save()
    client = world.client_for(user)
    with time_machine.travel(T0, tick=False) as traveller:
        page = client.get("/accounts/second-factor/sms/").content.decode()
        assert "138****8000" in page
        client.post("/accounts/second-factor/sms/", {"action": "send", "phone": ""})
        assert [p for p, _t in sms_outbox] == ["13800138000"]
        code = _sms_codes(sms_outbox)[-1]
        wrong = client.post(
            "/accounts/second-factor/sms/", {"action": "verify", "code": _wrong(code)}
        )
        assert "验证码不正确" in wrong.content.decode()
        assert not SecondFactor.objects.filter(user=user).exists()
        right = client.post("/accounts/second-factor/sms/", {"action": "verify", "code": code})
        assert right["Location"] == "/accounts/second-factor/codes/"
        factor = SecondFactor.objects.get(user=user)
        assert factor.method == "sms" and factor.phone == "13800138000"
        assert _stored(factor, "phone")[0].startswith("enc:v1:")

        traveller.shift(120)
        browser = Client()
        assert _login(browser, "a_deputy")["Location"] == VERIFY
        assert len(sms_outbox) == 2
        assert "138****8000" in browser.get(VERIFY).content.decode()
        resend = browser.post(VERIFY, {"action": "resend"}, follow=True)
        assert "秒后再重新发送" in resend.content.decode()
        assert len(sms_outbox) == 2  # throttled
        login_code = _sms_codes(sms_outbox)[-1]
        assert "验证码不正确" in _verify(browser, _wrong(login_code)).content.decode()
        assert _verify(browser, login_code)["Location"] == "/"
        assert _logged_in(browser)
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.LOGIN, actor=user, note="通过双因素认证：短信验证码"
    ).exists()
    assert not AuditEntry.objects.filter(note__contains=login_code).exists()


def test_it_enrols_sms_with_another_phone_after_validating_it(world, sms_outbox):
    client = world.client_for(world.a.office)
    with time_machine.travel(T0, tick=False):
        bad = client.post("/accounts/second-factor/sms/", {"action": "send", "phone": "12345"})
        assert "请输入有效的11位手机号码" in bad.content.decode()
        assert 'value="12345"' in bad.content.decode()  # what was typed is kept
        assert sms_outbox == []
        client.post("/accounts/second-factor/sms/", {"action": "send", "phone": "139 0000 1111"})
        assert sms_outbox[0][0] == "13900001111"
        code = _sms_codes(sms_outbox)[0]
        client.post("/accounts/second-factor/sms/", {"action": "verify", "code": code})
    assert SecondFactor.objects.get(user=world.a.office).phone == "13900001111"


def test_it_logs_in_with_a_code_from_the_console_sender(world, caplog):
    user = world.a.office
    services.second_factor_enrol(actor=actor_for(user), method="sms", phone="13900002222")
    client = Client()
    with time_machine.travel(T0, tick=False), caplog.at_level("INFO"):
        _login(client, "a_office")
        message = next(r.getMessage() for r in caplog.records if "SMS to" in r.getMessage())
        assert "13900002222" in message
        code = re.search(r"验证码是 (\d{6})", message).group(1)  # type: ignore[union-attr]
        assert _verify(client, code).status_code == 302
        assert _logged_in(client)


def test_it_expires_sms_codes_after_five_minutes_and_a_few_attempts(world, sms_outbox):
    user = world.a.office
    with time_machine.travel(T0, tick=False) as traveller:
        assert mfa.sms_send_code(user=user, phone="13900003333", purpose="login").sent
        code = _sms_codes(sms_outbox)[-1]
        traveller.shift(5 * 60 + 1)
        assert mfa.sms_check_code(user=user, code=code, purpose="login") == mfa.SmsCheck.EXPIRED

        assert mfa.sms_send_code(user=user, phone="13900003333", purpose="login").sent
        code = _sms_codes(sms_outbox)[-1]
        for _ in range(mfa.SMS_ATTEMPTS):
            mfa.sms_check_code(user=user, code=_wrong(code), purpose="login")
        assert mfa.sms_check_code(user=user, code=code, purpose="login") == mfa.SmsCheck.EXPIRED

        traveller.shift(61)
        assert mfa.sms_send_code(user=user, phone="13900003333", purpose="login").sent
        code = _sms_codes(sms_outbox)[-1]
        assert mfa.sms_check_code(user=user, code=code, purpose="login") == mfa.SmsCheck.OK
        assert mfa.sms_check_code(user=user, code=code, purpose="login") == mfa.SmsCheck.EXPIRED
        # Resend: not within a minute, at most five an hour.
        assert mfa.sms_send_code(user=user, phone="13900003333", purpose="login").wait > 0
        for _ in range(2):
            traveller.shift(61)
            assert mfa.sms_send_code(user=user, phone="13900003333", purpose="login").sent
        traveller.shift(61)
        assert not mfa.sms_send_code(user=user, phone="13900003333", purpose="login").sent


# --- Recovery codes ---------------------------------------------------------------------------


def test_it_accepts_each_recovery_code_once(world):
    _secret, codes = _enrol_totp(world.a.office)
    with time_machine.travel(T0, tick=False):
        first = Client()
        _login(first, "a_office")
        response = _verify(first, codes[0])
        assert response.status_code == 302
        assert _logged_in(first)
        assert "还剩 9 个" in first.get("/").content.decode()

        again = Client()
        _login(again, "a_office")
        assert "验证码不正确" in _verify(again, codes[0]).content.decode()
        assert not _logged_in(again)
        # Typed loosely (lower case, no dash) the next one works.
        assert _verify(again, codes[1].lower().replace("-", "")).status_code == 302
    assert SecondFactor.objects.get(user=world.a.office).recovery_left == 8
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.LOGIN, note="通过双因素认证：恢复码"
    ).exists()


def test_it_regenerates_recovery_codes_and_voids_the_old_ones(world):
    _secret, old = _enrol_totp(world.a.office)
    client = world.client_for(world.a.office)
    response = client.post("/accounts/second-factor/codes/", follow=True)
    new = re.findall(r"[2-9A-Z]{5}-[2-9A-Z]{5}", response.content.decode())
    assert len(set(new)) == 10 and not set(new) & set(old)
    with time_machine.travel(T0, tick=False):
        browser = Client()
        _login(browser, "a_office")
        assert _verify(browser, old[0]).status_code == 200
        assert _verify(browser, new[0]).status_code == 302
    assert AuditEntry.objects.filter(note="重新生成恢复码", actor=world.a.office).exists()


def test_it_lets_the_owner_turn_it_off_with_his_password_when_optional(world):
    _enrol_totp(world.a.office)
    client = world.client_for(world.a.office)
    wrong = client.post("/accounts/second-factor/remove/", {"password": "not-my-password"})
    assert "密码不正确" in wrong.content.decode()
    assert SecondFactor.objects.filter(user=world.a.office).exists()
    client.post("/accounts/second-factor/remove/", {"password": PASSWORD})
    assert not SecondFactor.objects.filter(user=world.a.office).exists()
    assert AuditEntry.objects.filter(note="停用双因素认证", actor=world.a.office).exists()
    with time_machine.travel(T0, tick=False):
        assert _login(Client(), "a_office")["Location"] == "/"


# --- The mandatory mode -----------------------------------------------------------------------


def test_it_sends_a_required_role_to_enrolment_and_blocks_every_other_page(world, settings):
    settings.MFA_REQUIRED_ROLES = ["office", "sysadmin"]
    client = Client()
    with time_machine.travel(T0, tick=False):
        response = _login(client, "a_office")
        assert response.status_code == 302
        assert response["Location"] == SETUP
        assert _logged_in(client)
        for path in ("/", "/accounts/token/", "/staff/directory/persons/", "/admin/"):
            assert client.get(path)["Location"] == SETUP, path
        assert client.get("/api/v1/").status_code == 403
        page = client.get(SETUP)
        assert page.status_code == 200
        assert 'data-testid="mfa-required"' in page.content.decode()
        assert client.get("/accounts/second-factor/remove/")["Location"] == SETUP
        html = client.get("/accounts/second-factor/totp/").content.decode()
        secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', html).group(1)  # type: ignore[union-attr]
        code = mfa.totp(secret.replace(" ", ""))
        client.post("/accounts/second-factor/totp/", {"code": code})
        assert client.get("/").status_code == 200
        # A role that is not listed logs in with the password as before.
        assert _login(Client(), "a_deputy")["Location"] == "/"


def test_it_blocks_an_existing_session_of_a_required_role_without_a_factor(world, settings):
    settings.MFA_REQUIRED_ROLES = ["office"]
    client = world.client_for(world.a.office)
    assert client.get("/")["Location"] == SETUP
    assert client.post("/accounts/logout/").status_code == 302
    _enrol_totp(world.a.office)
    assert world.client_for(world.a.office).get("/").status_code == 200
    assert world.client_for(world.b.station_staff).get("/").status_code == 200


def test_it_refuses_to_turn_off_a_required_second_factor(world, settings):
    settings.MFA_REQUIRED_ROLES = ["office"]
    _enrol_totp(world.a.office)
    from lianxin.common.errors import DomainError

    with pytest.raises(DomainError):
        services.second_factor_remove(actor=actor_for(world.a.office))


# --- The system administrator's reset ---------------------------------------------------------


def test_it_lets_the_system_administrator_reset_a_second_factor(world, settings):
    settings.MFA_REQUIRED_ROLES = ["office"]
    secret, _codes = _enrol_totp(world.a.office)
    victim = Client()
    with time_machine.travel(T0, tick=False):
        _login(victim, "a_office")
        _verify(victim, mfa.totp(secret))
        assert victim.get("/").status_code == 200
    admin = world.client_for(world.sysadmin)
    detail = admin.get(f"/accounts/users/{world.a.office.pk}/").content.decode()
    assert "已启用：验证器应用" in detail and "重置双因素认证" in detail

    assert (
        world.client_for(world.secadmin)
        .post(f"/accounts/users/{world.a.office.pk}/second-factor/reset/")
        .status_code
        == 404
    )
    assert SecondFactor.objects.filter(user=world.a.office).exists()

    response = admin.post(f"/accounts/users/{world.a.office.pk}/second-factor/reset/")
    assert response.status_code == 302
    assert not SecondFactor.objects.filter(user=world.a.office).exists()
    assert victim.get("/").status_code == 302  # his sessions ended
    assert AuditEntry.objects.filter(
        actor=world.sysadmin,
        object_id=str(world.a.office.pk),
        note__startswith="重置双因素认证",
    ).exists()
    with time_machine.travel(T0, tick=False):
        assert _login(Client(), "a_office")["Location"] == SETUP  # enrols again


def test_it_refuses_to_let_the_administrator_reset_his_own(world):
    _enrol_totp(world.sysadmin)
    admin = world.client_for(world.sysadmin)
    response = admin.post(f"/accounts/users/{world.sysadmin.pk}/second-factor/reset/", follow=True)
    assert "不能重置自己的双因素认证" in response.content.decode()
    assert SecondFactor.objects.filter(user=world.sysadmin).exists()


def test_it_gives_no_api_token_for_a_password_alone_when_a_second_factor_is_set(world, settings):
    _enrol_totp(world.a.office)
    with time_machine.travel(T0, tick=False):
        client = Client()
        response = client.post(
            "/api/v1/auth/token/", {"username": "a_office", "password": PASSWORD}
        )
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "second_factor_required"
        settings.MFA_REQUIRED_ROLES = ["unit"]
        response = client.post("/api/v1/auth/token/", {"username": "a_unit", "password": PASSWORD})
        assert response.status_code == 403
        settings.MFA_REQUIRED_ROLES = []
        response = client.post("/api/v1/auth/token/", {"username": "a_unit", "password": PASSWORD})
        assert response.status_code == 200
