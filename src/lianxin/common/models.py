"""Abstract models that at least two apps share."""

import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _


def new_public_key() -> str:
    """An unguessable public identity (128 bits, URL-safe) for QR codes (ORG-13, SEC-6)."""
    return secrets.token_urlsafe(16)


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class TreeNode(models.Model):
    """A node in a tree with a materialised path of primary keys, "/1/5/12/".

    "This node and everything under it" is one indexed prefix query (ORG-1, ORG-4, ORG-11).
    """

    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(_("层级"), editable=False, default=0)
    parent_id: int | None

    class Meta:
        abstract = True

    def _compute_path(self) -> None:
        if self.parent_id is None:
            self.path, self.depth = f"/{self.pk}/", 0
            return
        parent = type(self)._default_manager.only("path", "depth").get(pk=self.parent_id)
        if f"/{self.pk}/" in parent.path:
            raise ValidationError(_("不能把上级设为自己或自己的下级。"))
        self.path, self.depth = f"{parent.path}{self.pk}/", parent.depth + 1

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if self.pk is None:
            # The path is made of primary keys, so it is known only after the insert.
            super().save(*args, **kwargs)
            self._compute_path()
            type(self)._default_manager.filter(pk=self.pk).update(path=self.path, depth=self.depth)
            return
        old_path = self.path
        self._compute_path()
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            depth_shift = self.path.count("/") - old_path.count("/")
            type(self)._default_manager.filter(path__startswith=old_path).exclude(
                pk=self.pk
            ).update(
                path=Concat(Value(self.path), Substr("path", len(old_path) + 1)),
                depth=F("depth") + depth_shift,
            )

    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/")[:-1]]
