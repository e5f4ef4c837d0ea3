"""Administrative divisions (ORG-1)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.common.models import TreeNode

# Digits of a national division code by level (GB/T 2260 and the statistics bureau's codes).
NATIONAL_CODE_LENGTH = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}


class Region(TreeNode):
    """行政区划: province → city → county → township/street → village/community (ORG-1).

    Province, city and county rows come from the committed data file (see ``data/``);
    townships and villages are entered or imported, with a local code when the office does
    not know the national one.
    """

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("省级")
        CITY = 2, _("市级")
        COUNTY = 3, _("县级")
        TOWNSHIP = 4, _("乡镇/街道")
        VILLAGE = 5, _("村/社区")

    code = models.CharField(_("区划代码"), max_length=20, unique=True)
    code_is_local = models.BooleanField(
        _("本地生成代码"), default=False, help_text=_("不知道国家区划代码时由系统生成。")
    )
    name = models.CharField(_("名称"), max_length=64)
    kind = models.CharField(
        _("类型"), max_length=16, blank=True, help_text=_("如 县、市辖区、镇、街道、村、社区")
    )
    level = models.PositiveSmallIntegerField(_("级别"), choices=Level.choices)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="region_unique_name_in_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A level below its parent's; a national code has the parent's code as prefix and
        the length of its level (2, 4, 6, 9, 12 digits); a local code is generated."""
        errors: dict[str, str] = {}
        parent: Region | None = self.parent if self.parent_id else None  # type: ignore[assignment]
        if parent is not None and self.level != parent.level + 1:
            errors["level"] = str(_("级别必须比上级区划低一级。"))
        if parent is None and self.level != self.Level.PROVINCE:
            errors["parent"] = str(_("请选择上级区划。"))
        if self.code and not self.code_is_local:
            length = NATIONAL_CODE_LENGTH.get(self.level)
            if not self.code.isdigit() or (length is not None and len(self.code) != length):
                errors["code"] = str(_("国家区划代码应为%(n)s位数字。") % {"n": length})
            elif parent is not None and not self.code.startswith(parent.code):
                errors["code"] = str(
                    _("区划代码应以上级区划代码 %(code)s 开头。") % {"code": parent.code}
                )
        if errors:
            raise ValidationError(errors)

    def full_name(self) -> str:
        ids = self.ancestor_ids()
        names = dict(Region.objects.filter(pk__in=ids).values_list("pk", "name"))
        return "".join(names[i] for i in ids if i in names) + self.name
