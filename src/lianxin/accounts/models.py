"""Accounts and their (role, organisation) assignments (SEC-1, SPEC section 0)."""

from __future__ import annotations

import json

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.common.fields import EncryptedTextField


class User(AbstractUser):
    """A login account. One person has at most one account (ORG-3)."""

    display_name = models.CharField(_("显示名称"), max_length=50, blank=True)
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    def __str__(self) -> str:
        return self.display_name or self.username


class Role(models.TextChoices):
    """The roles of SPEC section 0. Each assignment names the organisation it acts for."""

    OFFICE = "office", _("人大机关工作人员")
    STATION = "station", _("联络站工作人员")
    UNIT = "unit", _("承办单位工作人员")
    DEPUTY = "deputy", _("人大代表")
    LEADERSHIP = "leadership", _("主任会议成员")
    SYSTEM_ADMIN = "sysadmin", _("系统管理员")
    SECURITY_ADMIN = "secadmin", _("安全管理员")
    AUDIT_ADMIN = "auditadmin", _("安全审计员")


# Which organisation field each role's assignment must name.
ROLE_ORGANISATION_FIELD: dict[str, str | None] = {
    Role.OFFICE: "region",
    Role.LEADERSHIP: "region",
    Role.STATION: "station",
    Role.UNIT: "unit",
    Role.DEPUTY: None,  # a deputy acts for himself: his account's person
    Role.SYSTEM_ADMIN: None,
    Role.SECURITY_ADMIN: None,
    Role.AUDIT_ADMIN: None,
}


class RoleAssignment(models.Model):
    """One (role, organisation) an account may act in; it acts in one at a time."""

    user = models.ForeignKey(
        User, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("管辖区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    station = models.ForeignKey(
        "directory.Station",
        verbose_name=_("联络站"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    unit = models.ForeignKey(
        "directory.HandlingUnit",
        verbose_name=_("承办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    title = models.CharField(
        _("职务说明"), max_length=60, blank=True, help_text=_("如 代表工委主任")
    )
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region", "station", "unit"], name="assignment_unique"
            )
        ]

    def __str__(self) -> str:
        org = self.organisation
        return f"{self.get_role_display()} · {org}" if org else str(self.get_role_display())

    @property
    def organisation(self) -> object | None:
        field = ROLE_ORGANISATION_FIELD.get(self.role)
        return getattr(self, field) if field else None

    def clean(self) -> None:
        field = ROLE_ORGANISATION_FIELD.get(self.role)
        errors: dict[str, str] = {}
        for name in ("region", "station", "unit"):
            value = getattr(self, f"{name}_id")
            if name == field and value is None:
                errors[name] = str(_("该角色必须指定所属组织。"))
            if name != field and value is not None:
                errors[name] = str(_("该角色不应指定此项。"))
        if self.role == Role.DEPUTY and self.user_id and not hasattr(self.user, "person"):
            errors["role"] = str(_("只有关联了人员档案的账号才能担任代表角色。"))
        if errors:
            raise ValidationError(errors)


class SecondFactor(models.Model):
    """An account's second factor at login (双因素认证, SEC-3): an authenticator app (TOTP)
    or SMS codes, with its recovery codes. A row exists only once the method is confirmed.

    The TOTP secret, the phone and the recovery-code hashes are encrypted at rest; the audit
    trail records that they changed, never their values. ``last_step`` (the last accepted
    TOTP step, against replay) is advanced with a compare-and-swap update, not ``save()``.
    """

    class Method(models.TextChoices):
        TOTP = "totp", _("验证器应用")
        SMS = "sms", _("短信验证码")

    user = models.OneToOneField(
        User, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="second_factor"
    )
    method = models.CharField(_("方式"), max_length=8, choices=Method.choices)
    secret = EncryptedTextField(_("验证器密钥"))
    phone = EncryptedTextField(_("接收验证码的手机号"), mask="phone")
    last_step = models.BigIntegerField(_("最近使用的时间步"), default=0)
    recovery_codes = EncryptedTextField(_("恢复码（散列）"))  # JSON list of unused hashes
    enrolled_at = models.DateTimeField(_("启用时间"), default=timezone.now)

    class Meta:
        verbose_name = _("双因素认证")
        verbose_name_plural = _("双因素认证")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_method_display()}"

    @property
    def recovery_hashes(self) -> list[str]:
        try:
            value = json.loads(self.recovery_codes or "[]")
        except ValueError:
            return []
        return [str(h) for h in value] if isinstance(value, list) else []

    @property
    def recovery_left(self) -> int:
        return len(self.recovery_hashes)
