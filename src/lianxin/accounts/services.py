"""Writes on accounts, role assignments and API tokens (SEC-1, SEC-3, 三员分立).

Every service takes ``actor=`` and checks the capability itself; the audit trail records the
record changes automatically (lianxin.audit.registry) with this actor, and the actions that
are not record changes (password reset, session ends, tokens) explicitly.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from lianxin.accounts.models import RoleAssignment, User
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
