"""The append-only audit trail (SEC-4)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    """Refuses bulk update and delete: the only way out is the retention purge."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("audit entries are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit entries are append-only")

    def purge_before(self, cutoff: datetime.datetime) -> int:
        """Deletes entries older than ``cutoff`` (the retention sweep only)."""
        expired = self.filter(at__lt=cutoff)
        return expired._raw_delete(expired.db)  # type: ignore[attr-defined, no-any-return]


class AuditEntry(models.Model):
    """Who did what, when. Never updated, never deleted except by retention purge.

    Personal fields appear in ``changes`` as changed (``"***"``), never in clear (SEC-2).
    On PostgreSQL a trigger refuses UPDATE, and DELETE outside the retention purge.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("新增")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")
        LOGIN = "login", _("登录")
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOGOUT = "logout", _("退出")
        REVEAL = "reveal", _("查看个人信息")
        SWITCH_ROLE = "switch_role", _("切换角色")
        EXPORT = "export", _("导出")
        ACTION = "action", _("业务操作")

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        # Accounts are disabled, not deleted; if one ever is, its entries keep actor_name
        # and the append-only trigger must not be asked to null the column.
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    role = models.CharField(_("角色"), max_length=60, blank=True)
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    address = models.CharField(_("来源地址"), max_length=64, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError("audit entries are append-only")
