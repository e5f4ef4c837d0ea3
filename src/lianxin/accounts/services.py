"""Writes on accounts, role assignments and API tokens (SEC-1, SEC-3, 三员分立).

Every service takes ``actor=`` and checks the capability itself; the audit trail records the
record changes automatically (lianxin.audit.registry) with this actor, and the actions that
are not record changes (password reset, session ends, tokens) explicitly.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.authtoken.models import Token

from lianxin.accounts import mfa
from lianxin.accounts.models import RoleAssignment, SecondFactor, User
from lianxin.accounts.permissions import Actor, Perm
from lianxin.audit.context import acting_as
from lianxin.audit.models import AuditEntry
from lianxin.audit.services import record
from lianxin.common.errors import DomainError, NotAllowed

USER_EDITABLE_FIELDS = ("display_name", "email", "first_name", "last_name")


def _require(actor: Actor, perm: Perm) -> None:
    if not actor.has(perm):
        raise NotAllowed


# --- Accounts: the system administrator --------------------------------------------------


@transaction.atomic
def user_create(
    *, actor: Actor, username: str, password: str, display_name: str = "", email: str = ""
) -> User:
    _require(actor, Perm.MANAGE_ACCOUNTS)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("该账号名已被使用。")})
    user = User(username=username, display_name=display_name, email=email)
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.full_clean()
    with acting_as(actor):
        user.save()
    return user


@transaction.atomic
def user_update(*, actor: Actor, user: User, **fields: Any) -> User:
    _require(actor, Perm.MANAGE_ACCOUNTS)
    unknown = set(fields) - set(USER_EDITABLE_FIELDS)
    if unknown:
        raise NotAllowed
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    with acting_as(actor):
        user.save()
    return user


def end_sessions(user: User) -> int:
    """Ends every session and API token of ``user`` at once."""
    ended = 0
    pk = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == pk:
            session.delete()
            ended += 1
    Token.objects.filter(user=user).delete()
    return ended


@transaction.atomic
def user_disable(*, actor: Actor, user: User) -> User:
    """Disables an account and ends its sessions and tokens at once (SEC-3)."""
    _require(actor, Perm.MANAGE_ACCOUNTS)
    if user.pk == actor.user.pk:
        raise DomainError(_("不能停用自己的账号。"))
    if user.is_active:
        user.is_active = False
        with acting_as(actor):
            user.save(update_fields=["is_active"])
    ended = end_sessions(user)
    record(
        actor=actor,
        action=AuditEntry.Action.ACTION,
        obj=user,
        note=_("停用账号，结束 %(n)d 个会话") % {"n": ended},
    )
    return user


@transaction.atomic
def user_enable(*, actor: Actor, user: User) -> User:
    _require(actor, Perm.MANAGE_ACCOUNTS)
    if not user.is_active:
        user.is_active = True
        with acting_as(actor):
            user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def user_set_password(*, actor: Actor, user: User, password: str) -> User:
    """Resets a password; the owner must change it at next login; old sessions end."""
    _require(actor, Perm.MANAGE_ACCOUNTS)
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    with acting_as(actor):
        user.save(update_fields=["password", "must_change_password"])
    end_sessions(user)
    return user


@transaction.atomic
def user_link_person(*, actor: Actor, user: User, person: Any | None) -> User:
    """Links the account to a person record (one person, one account: ORG-3), or unlinks."""
    from lianxin.directory.models import Person

    _require(actor, Perm.MANAGE_ACCOUNTS)
    with acting_as(actor):
        current = Person.objects.filter(account=user).first()
        if current is not None and (person is None or current.pk != person.pk):
            if RoleAssignment.objects.filter(user=user, role="deputy", is_active=True).exists():
                raise DomainError(_("该账号担任代表角色，须先撤销代表角色再解除关联。"))
            current.account = None
            current.save(update_fields=["account"])
        if person is not None:
            if person.account_id not in (None, user.pk):
                raise ValidationError({"person": _("该人员已关联其他账号。")})
            person.account = user
            person.save(update_fields=["account"])
    return user


# --- Role assignments: the security administrator ----------------------------------------


@transaction.atomic
def assignment_grant(
    *,
    actor: Actor,
    user: User,
    role: str,
    region: Any = None,
    station: Any = None,
    unit: Any = None,
    title: str = "",
) -> RoleAssignment:
    _require(actor, Perm.MANAGE_ROLES)
    if user.pk == actor.user.pk:
        raise ValidationError({"user": _("不能给自己授权。")})
    existing = RoleAssignment.objects.filter(
        user=user, role=role, region=region, station=station, unit=unit
    ).first()
    assignment = existing or RoleAssignment(
        user=user, role=role, region=region, station=station, unit=unit
    )
    if existing is not None and existing.is_active:
        raise ValidationError(_("该账号已拥有此角色授权。"))
    assignment.title = title
    assignment.is_active = True
    assignment.full_clean(validate_constraints=False)
    with acting_as(actor):
        assignment.save()
    return assignment


@transaction.atomic
def assignment_revoke(*, actor: Actor, assignment: RoleAssignment) -> RoleAssignment:
    """Revokes an assignment (kept, inactive, for the record); the account stops acting in it
    at its next request."""
    _require(actor, Perm.MANAGE_ROLES)
    if assignment.is_active:
        assignment.is_active = False
        with acting_as(actor):
            assignment.save(update_fields=["is_active"])
    return assignment


# --- API tokens: any staff account, for itself --------------------------------------------


@transaction.atomic
def token_create(*, actor: Actor) -> Token:
    """A new API token for the actor's own account; an older one is replaced."""
    _require(actor, Perm.USE_API_TOKEN)
    Token.objects.filter(user=actor.user).delete()
    token = Token.objects.create(user=actor.user)
    record(actor=actor, action=AuditEntry.Action.ACTION, obj=actor.user, note=_("创建API令牌"))
    return token


@transaction.atomic
def token_revoke(*, actor: Actor) -> int:
    _require(actor, Perm.USE_API_TOKEN)
    deleted, _detail = Token.objects.filter(user=actor.user).delete()
    if deleted:
        record(actor=actor, action=AuditEntry.Action.ACTION, obj=actor.user, note=_("撤销API令牌"))
    return deleted


def may_use_api_token(user: User) -> bool:
    """Whether any active assignment of ``user`` may hold an API token."""
    from lianxin.accounts.permissions import actor_for

    if not user.is_active:
        return False
    for assignment in RoleAssignment.objects.filter(user=user, is_active=True):
        if actor_for(user, assignment.pk).has(Perm.USE_API_TOKEN):
            return True
    return False


# --- Sessions ------------------------------------------------------------------------------


def login_recorded(*, user: User, address: str, actor: Actor | None = None, note: str = "") -> None:
    record(
        actor=actor or user,
        action=AuditEntry.Action.LOGIN,
        obj=user,
        address=address,
        note=note,
    )


def login_failure_recorded(*, username: str, address: str, note: str = "") -> None:
    """A failed login: the name typed (truncated), never the password."""
    record(
        actor=None,
        action=AuditEntry.Action.LOGIN_FAILED,
        actor_name=username.strip()[:64],
        address=address,
        note=note,
    )


# --- The second factor (SEC-3) --------------------------------------------------------------
# Audit notes name the method and the outcome, never a secret, a phone number or a code.


def _require_signed_in(actor: Actor) -> User:
    if not actor.is_authenticated or not actor.user.is_active:
        raise NotAllowed
    user: User = actor.user
    return user


def _store_recovery_codes(factor: SecondFactor) -> list[str]:
    codes = mfa.new_recovery_codes()
    hashes = [mfa.code_hash(factor.user_id, "recovery", mfa.normalise_recovery(c)) for c in codes]
    factor.recovery_codes = json.dumps(hashes)
    return codes


@transaction.atomic
def second_factor_enrol(
    *, actor: Actor, method: str, secret: str = "", phone: str = "", step: int = 0
) -> list[str]:
    """Enables (or replaces) the actor's own second factor once the caller has confirmed it
    with a valid code; returns the 10 new recovery codes, to be shown once."""
    user = _require_signed_in(actor)
    if method == SecondFactor.Method.TOTP and not secret:
        raise ValidationError(_("缺少验证器密钥。"))
    if method == SecondFactor.Method.SMS and not mfa.valid_mobile(phone):
        raise ValidationError(_("请输入有效的11位手机号码。"))
    if method not in SecondFactor.Method.values:
        raise ValidationError(_("不支持的认证方式。"))
    factor = SecondFactor.objects.select_for_update().filter(user=user).first()
    replacing = factor is not None
    factor = factor or SecondFactor(user=user)
    factor.method = method
    factor.secret = secret if method == SecondFactor.Method.TOTP else ""
    factor.phone = phone if method == SecondFactor.Method.SMS else ""
    factor.last_step = step  # the code used to confirm cannot log in again
    factor.enrolled_at = timezone.now()
    codes = _store_recovery_codes(factor)
    with acting_as(actor):
        factor.save()
    label = factor.get_method_display()
    record(
        actor=actor,
        action=AuditEntry.Action.ACTION,
        obj=user,
        note=(_("更换双因素认证：%(m)s") if replacing else _("启用双因素认证：%(m)s"))
        % {"m": label},
    )
    return codes


@transaction.atomic
def second_factor_regenerate_codes(*, actor: Actor) -> list[str]:
    """New recovery codes for the actor's own second factor; the old ones stop working."""
    user = _require_signed_in(actor)
    factor = SecondFactor.objects.select_for_update().filter(user=user).first()
    if factor is None:
        raise DomainError(_("尚未启用双因素认证。"))
    codes = _store_recovery_codes(factor)
    with acting_as(actor):
        factor.save(update_fields=["recovery_codes"])
    record(actor=actor, action=AuditEntry.Action.ACTION, obj=user, note=_("重新生成恢复码"))
    return codes


@transaction.atomic
def second_factor_remove(*, actor: Actor) -> None:
    """The owner turns his second factor off — only where his roles do not require one."""
    user = _require_signed_in(actor)
    if mfa.is_required(user):
        raise DomainError(_("您的角色要求使用双因素认证，不能停用，只能更换方式。"))
    factor = SecondFactor.objects.filter(user=user).first()
    if factor is None:
        return
    with acting_as(actor):
        factor.delete()
    record(actor=actor, action=AuditEntry.Action.ACTION, obj=user, note=_("停用双因素认证"))


@transaction.atomic
def second_factor_reset(*, actor: Actor, user: User) -> bool:
    """The system administrator removes a user's second factor (a lost phone); the user's
    sessions end, and where his role requires one he enrols again at his next login."""
    _require(actor, Perm.MANAGE_ACCOUNTS)
    if user.pk == actor.user.pk:
        raise DomainError(_("不能重置自己的双因素认证，请在“账号安全”页面更换。"))
    factor = SecondFactor.objects.filter(user=user).first()
    if factor is None:
        return False
    with acting_as(actor):
        factor.delete()
    ended = end_sessions(user)
    record(
        actor=actor,
        action=AuditEntry.Action.ACTION,
        obj=user,
        note=_("重置双因素认证，结束 %(n)d 个会话") % {"n": ended},
    )
    return True


def _use_recovery_code(user: User, code: str) -> int | None:
    """Consumes one recovery code; the number left, or None when it is not valid."""
    with transaction.atomic():
        factor = SecondFactor.objects.select_for_update().filter(user=user).first()
        if factor is None:
            return None
        given = mfa.code_hash(user.pk, "recovery", mfa.normalise_recovery(code))
        hashes = factor.recovery_hashes
        match = next((h for h in hashes if hmac.compare_digest(h, given)), None)
        if match is None:
            return None
        hashes.remove(match)
        factor.recovery_codes = json.dumps(hashes)
        with acting_as(user):
            factor.save(update_fields=["recovery_codes"])
        return len(hashes)


def _use_totp(factor: SecondFactor, code: str) -> bool:
    step = mfa.totp_match(factor.secret, code)
    if step is None:
        return False
    # Compare-and-swap: of two requests with the same code, only one advances the step.
    return bool(
        SecondFactor.objects.filter(pk=factor.pk, last_step__lt=step).update(last_step=step)
    )


@dataclass(frozen=True)
class FactorCheck:
    ok: bool
    method: str = ""  # totp, sms or recovery
    recovery_left: int | None = None
    expired: bool = False  # an SMS code that can no longer be used: send a new one


def second_factor_check(*, user: User, code: str, address: str) -> FactorCheck:
    """Checks the code typed at login by the account itself (not yet logged in) and audits
    the outcome: a one-time code of its method, or one of its recovery codes."""
    factor = SecondFactor.objects.filter(user=user).first()
    result = FactorCheck(ok=False)
    if factor is not None and code.strip():
        if mfa.looks_like_recovery_code(code):
            left = _use_recovery_code(user, code)
            if left is not None:
                result = FactorCheck(ok=True, method="recovery", recovery_left=left)
        elif factor.method == SecondFactor.Method.TOTP:
            if _use_totp(factor, code):
                result = FactorCheck(ok=True, method="totp")
        else:
            outcome = mfa.sms_check_code(user=user, code=code, purpose="login")
            result = FactorCheck(
                ok=outcome == mfa.SmsCheck.OK,
                method="sms",
                expired=outcome == mfa.SmsCheck.EXPIRED,
            )
    if not result.ok:
        record(
            actor=None,
            action=AuditEntry.Action.LOGIN_FAILED,
            actor_name=user.get_username(),
            obj=user,
            address=address,
            note=_("双因素验证失败"),
        )
    return result


METHOD_LABELS = {
    "totp": gettext_lazy("验证器应用"),
    "sms": gettext_lazy("短信验证码"),
    "recovery": gettext_lazy("恢复码"),
}


def second_factor_login_note(method: str) -> str:
    return _("通过双因素认证：%(m)s") % {"m": METHOD_LABELS.get(method, method)}


@transaction.atomic
def password_change_own(*, actor: Actor, old_password: str, new_password: str) -> User:
    """The owner changes his own password (SEC-3): the old one must be right, the new one
    must pass the validators and differ from the old; a forced change is then satisfied."""
    user: User = actor.user
    if not user.check_password(old_password):
        raise ValidationError({"old_password": _("原密码不正确。")})
    if old_password == new_password:
        raise ValidationError({"new_password1": _("新密码不能与原密码相同。")})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from exc
    user.set_password(new_password)
    user.must_change_password = False
    with acting_as(actor):
        user.save(update_fields=["password", "must_change_password"])
    return user
