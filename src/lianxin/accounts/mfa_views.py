"""Pages of the second factor (SEC-3): the code asked after the right password, the owner's
own "账号安全" pages (set up an authenticator app or SMS, recovery codes, turn off), and the
system administrator's reset. The writes are services in ``accounts/services.py``."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts import mfa, services, throttle
from lianxin.accounts.forms import ConfirmPasswordForm, OneTimeCodeForm, SmsPhoneForm
from lianxin.accounts.models import SecondFactor, User
from lianxin.accounts.permissions import Actor, Perm, actor_for, get_in_reach_or_404
from lianxin.common.errors import DomainError
from lianxin.common.fields import decrypt, encrypt, mask_value
from lianxin.common.views import public, requires

ENROL_TOTP_KEY = "lianxin_mfa_enrol_totp"
ENROL_SMS_KEY = "lianxin_mfa_enrol_sms"
NEW_CODES_KEY = "lianxin_mfa_new_codes"
ENROL_SECONDS = 15 * 60


def signed_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Any logged-in account, acting on its own account only (like the role switch)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return public(wrapper)


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined, no-any-return]


def _profile_phone(user: Any) -> str:
    person = getattr(user, "person", None)
    return str(getattr(person, "phone", "") or "") if person is not None else ""


def _keep_codes(request: HttpRequest, codes: list[str]) -> None:
    """New recovery codes wait (encrypted) in the session for their one showing."""
    request.session[NEW_CODES_KEY] = encrypt(json.dumps(codes))


# --- The code after the right password -------------------------------------------------------


def start_second_factor(request: HttpRequest, user: User, *, next_url: str) -> HttpResponse:
    """Called by the login view when the password was right and the account has a second
    factor: the session is NOT logged in; it holds only the pending marker."""
    factor = mfa.factor_of(user)
    request.session.cycle_key()
    mfa.begin_pending(request, user, next_url=next_url)
    if factor is not None and factor.method == SecondFactor.Method.SMS:
        mfa.sms_send_code(user=user, phone=factor.phone, purpose="login")
    return redirect("accounts:login_verify")


@public  # the pending marker in the session decides; nobody is logged in yet
def login_verify(request: HttpRequest) -> HttpResponse:
    from lianxin.accounts.views import safe_next, throttled_message

    if request.user.is_authenticated:
        return redirect("home")
    found = mfa.pending(request)
    factor = mfa.factor_of(found[0]) if found else None
    if found is None or factor is None:
        mfa.end_pending(request)
        messages.error(request, _("验证已超时，请重新输入账号和密码。"))
        return redirect("accounts:login")
    user, marker = found
    username = user.get_username()
    address = throttle.client_address(request)
    is_sms = factor.method == SecondFactor.Method.SMS

    if request.method == "POST" and request.POST.get("action") == "resend" and is_sms:
        sent = mfa.sms_send_code(user=user, phone=factor.phone, purpose="login")
        if sent.sent:
            messages.success(request, _("新的验证码已发送。"))
        else:
            messages.error(request, _("请 %(s)d 秒后再重新发送。") % {"s": sent.wait})
        return redirect("accounts:login_verify")

    form = OneTimeCodeForm(request.POST if request.method == "POST" else None, allow_recovery=True)
    status = 200
    if request.method == "POST" and form.is_valid():
        wait = throttle.seconds_to_wait(username, address)
        if wait:
            form.add_error(None, throttled_message(wait))
            status = 429
        else:
            check = services.second_factor_check(
                user=user, code=form.cleaned_data["code"], address=address
            )
            if check.ok:
                throttle.register_success(username, address)
                mfa.end_pending(request)
                login(request, user, backend=marker["backend"])  # rotates the session key
                request.session[mfa.ENROLLED_KEY] = True
                actor = actor_for(user)
                request.actor = actor  # type: ignore[attr-defined]
                services.login_recorded(
                    user=user,
                    address=address,
                    actor=actor,
                    note=services.second_factor_login_note(check.method),
                )
                if check.recovery_left is not None:
                    messages.warning(
                        request,
                        _("您使用了一个恢复码，还剩 %(n)d 个。恢复码不多时请重新生成。")
                        % {"n": check.recovery_left},
                    )
                return redirect(safe_next(request, marker.get("next", ""), actor))
            throttle.register_failure(username, address)
            if mfa.pending_failed(request, marker):
                messages.error(request, _("验证码错误次数过多，请重新登录。"))
                return redirect("accounts:login")
            form.add_error(
                "code",
                _("验证码已失效，请重新获取。") if check.expired else _("验证码不正确。"),
            )
    return render(
        request,
        "accounts/login_verify.html",
        {
            "form": form,
            "is_sms": is_sms,
            "masked_phone": mask_value(factor.phone, "phone") if is_sms else "",
            "expires_in": max(
                0, int(float(marker["at"]) + mfa.PENDING_SECONDS - time.time()) // 60
            ),
        },
        status=status,
    )


# --- The owner's pages ------------------------------------------------------------------------


@signed_in
def second_factor(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    factor = mfa.factor_of(user)
    required = mfa.is_required(user)
    return render(
        request,
        "accounts/second_factor.html",
        {
            "title": _("账号安全：双因素认证"),
            "factor": factor,
            "required": required,
            "blocked": required and factor is None,
            "masked_phone": mask_value(factor.phone, "phone") if factor else "",
            "can_remove": factor is not None and not required,
        },
    )


def _enrol_totp_secret(request: HttpRequest, *, fresh: bool = False) -> str:
    state = request.session.get(ENROL_TOTP_KEY)
    if (
        fresh
        or not isinstance(state, dict)
        or time.time() > float(state.get("at", 0)) + ENROL_SECONDS
    ):
        state = {"secret": encrypt(mfa.new_totp_secret()), "at": time.time()}
        request.session[ENROL_TOTP_KEY] = state
    return decrypt(str(state["secret"]))


@signed_in
def second_factor_totp(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR (or type the key), confirm with a code."""
    user: Any = request.user
    secret = _enrol_totp_secret(request, fresh=request.method == "GET" and "new" in request.GET)
    form = OneTimeCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        step = mfa.totp_match(secret, form.cleaned_data["code"])
        if step is None:
            form.add_error("code", _("验证码不正确，请核对手机时间是否准确后重新输入。"))
        else:
            codes = services.second_factor_enrol(
                actor=_actor(request), method=SecondFactor.Method.TOTP, secret=secret, step=step
            )
            request.session.pop(ENROL_TOTP_KEY, None)
            request.session[mfa.ENROLLED_KEY] = True
            _keep_codes(request, codes)
            messages.success(request, _("验证器应用已启用。"))
            return redirect("accounts:second_factor_codes")
    uri = mfa.otpauth_uri(secret, user.get_username())
    return render(
        request,
        "accounts/second_factor_totp.html",
        {
            "title": _("设置验证器应用"),
            "form": form,
            "qr_svg": mark_safe(mfa.qr_svg(uri)),  # noqa: S308 - our own SVG, no user markup
            "secret": mfa.grouped(secret),
            "replacing": mfa.has_factor(user),
        },
    )


@signed_in
def second_factor_sms(request: HttpRequest) -> HttpResponse:
    """Set up SMS codes: choose the phone, receive a code, type it back."""
    user: Any = request.user
    profile_phone = _profile_phone(user)
    state = request.session.get(ENROL_SMS_KEY)
    phone = decrypt(str(state["phone"])) if isinstance(state, dict) else ""
    action = request.POST.get("action", "") if request.method == "POST" else ""
    phone_form = SmsPhoneForm(
        request.POST if action == "send" else None, profile_phone=profile_phone
    )
    code_form = OneTimeCodeForm(request.POST if action == "verify" else None)

    if action == "change":
        request.session.pop(ENROL_SMS_KEY, None)
        return redirect("accounts:second_factor_sms")
    if action in ("send", "resend"):
        if action == "send":
            if not phone_form.is_valid():
                phone = ""
            else:
                phone = phone_form.cleaned_data["phone"]
                request.session[ENROL_SMS_KEY] = {"phone": encrypt(phone)}
        if phone:
            sent = mfa.sms_send_code(user=user, phone=phone, purpose="enrol")
            if sent.sent:
                messages.success(request, _("验证码已发送，请查收短信。"))
            else:
                messages.error(request, _("请 %(s)d 秒后再重新发送。") % {"s": sent.wait})
            return redirect("accounts:second_factor_sms")
    if action == "verify" and phone and code_form.is_valid():
        outcome = mfa.sms_check_code(
            user=user, code=code_form.cleaned_data["code"], purpose="enrol"
        )
        if outcome == mfa.SmsCheck.OK:
            try:
                codes = services.second_factor_enrol(
                    actor=_actor(request), method=SecondFactor.Method.SMS, phone=phone
                )
            except ValidationError as exc:
                code_form.add_error(None, exc)
            else:
                request.session.pop(ENROL_SMS_KEY, None)
                request.session[mfa.ENROLLED_KEY] = True
                _keep_codes(request, codes)
                messages.success(request, _("短信验证码已启用。"))
                return redirect("accounts:second_factor_codes")
        else:
            code_form.add_error(
                "code",
                _("验证码已失效，请重新获取。")
                if outcome == mfa.SmsCheck.EXPIRED
                else _("验证码不正确。"),
            )
    return render(
        request,
        "accounts/second_factor_sms.html",
        {
            "title": _("设置短信验证码"),
            "phone_form": phone_form,
            "code_form": code_form,
            "stage": "code" if phone else "phone",
            "masked_phone": mask_value(phone, "phone"),
            "profile_phone": mask_value(profile_phone, "phone"),
            "replacing": mfa.has_factor(user),
        },
    )


@signed_in
def second_factor_codes(request: HttpRequest) -> HttpResponse:
    """Shows new recovery codes once (GET), or makes new ones (POST)."""
    if request.method == "POST":
        try:
            codes = services.second_factor_regenerate_codes(actor=_actor(request))
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect("accounts:second_factor")
        _keep_codes(request, codes)
        messages.success(request, _("已生成新的恢复码，原有恢复码全部作废。"))
        return redirect("accounts:second_factor_codes")
    stored = request.session.pop(NEW_CODES_KEY, None)
    if not stored:
        return redirect("accounts:second_factor")
    return render(
        request,
        "accounts/second_factor_codes.html",
        {"title": _("恢复码"), "codes": json.loads(decrypt(str(stored)))},
    )


@signed_in
def second_factor_remove(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if mfa.is_required(user) or not mfa.has_factor(user):
        return redirect("accounts:second_factor")
    form = ConfirmPasswordForm(
        request.POST if request.method == "POST" else None,
        user=user,
        address=throttle.client_address(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.second_factor_remove(actor=_actor(request))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            request.session.pop(mfa.ENROLLED_KEY, None)
            messages.success(request, _("双因素认证已停用。"))
        return redirect("accounts:second_factor")
    return render(
        request,
        "accounts/second_factor_remove.html",
        {"title": _("停用双因素认证"), "form": form},
    )


# --- The system administrator -----------------------------------------------------------------


@requires(Perm.MANAGE_ACCOUNTS)
@require_POST
def user_second_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    user = get_in_reach_or_404(actor, User, pk=pk)
    try:
        if services.second_factor_reset(actor=actor, user=user):
            messages.success(request, _("已重置该账号的双因素认证，其所有会话已结束。"))
        else:
            messages.info(request, _("该账号未启用双因素认证。"))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("accounts:user_detail", pk=user.pk)


# --- The owner's password -----------------------------------------------------------------------


@signed_in
def password_change(request: HttpRequest) -> HttpResponse:
    """修改密码: any account changes its own password; after a reset by the system
    administrator this page is the only one it can open until it has (SEC-3)."""
    from django.contrib.auth import update_session_auth_hash

    from lianxin.accounts.forms import OwnPasswordForm

    user: Any = request.user
    form = OwnPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change_own(
                actor=_actor(request),
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            update_session_auth_hash(request, user)  # stay signed in on this device
            messages.success(request, _("密码已修改。"))
            return redirect("home")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": user.must_change_password, "title": _("修改密码")},
    )
