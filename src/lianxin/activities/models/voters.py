"""Contact with voters (VOT-1..4) and standing committee members' contacts (ORG-10).

Each deputy keeps a yearly list of *fixed voters* (西峡 联系清单, 10 a year by default) — their
names, phones and addresses are personal data (SEC-2) — and records each *contact* with what
was said, the opinions collected and the help given. Every month the office draws a random
*callback sample* of those voters within its region and records what each voter answered
(VOT-1). A deputy *reports to his voters* (述职评议) with their satisfaction tally (VOT-2), does
*good deeds* (VOT-4), and a standing committee member *contacts his linked deputies* (ORG-10).
Grid duties (VOT-3) are activities with a grid (``activity.Activity``), counted, not stored twice.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianxin.activities.models.activity import Activity
from lianxin.common.fields import EncryptedTextField
from lianxin.common.models import TimeStamped
from lianxin.directory.models import CommitteeLink, Person
from lianxin.regions.models import Region


class ContactMethod(models.TextChoices):
    VISIT = "visit", _("上门走访")
    PHONE = "phone", _("电话联系")
    MESSAGE = "message", _("微信或短信")
    RECEPTION = "reception", _("进站接待")
    MEETING = "meeting", _("座谈会")
    OTHER = "other", _("其他")


class FixedVoter(TimeStamped):
    """固定联系选民 (VOT-1): one voter on a deputy's list for one year."""

    deputy = models.ForeignKey(
        Person, verbose_name=_("代表"), on_delete=models.PROTECT, related_name="fixed_voters"
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("所在村（社区）"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("选民居住的村（社区），回访抽样按区域进行。"),
    )
    name = EncryptedTextField(_("姓名"), mask="name")
    phone = EncryptedTextField(_("手机号码"), mask="phone")
    address = EncryptedTextField(_("住址"), mask="address")
    occupation = models.CharField(_("职业或身份"), max_length=60, blank=True)
    is_active = models.BooleanField(_("联系中"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("固定联系选民")
        verbose_name_plural = _("固定联系选民")
        ordering = ["-year", "deputy", "pk"]
        indexes = [models.Index(fields=["region", "year"])]

    def __str__(self) -> str:
        return f"{self.deputy} {self.year} · {self.pk}"


class VoterContact(TimeStamped):
    """联系选民记录 (VOT-1): what a deputy did with a voter — of his list or not."""

    deputy = models.ForeignKey(
        Person, verbose_name=_("代表"), on_delete=models.PROTECT, related_name="voter_contacts"
    )
    voter = models.ForeignKey(
        FixedVoter,
        verbose_name=_("固定联系选民"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
        help_text=_("联系的不是名单上的选民时留空。"),
    )
    contacted_on = models.DateField(_("联系日期"))
    method = models.CharField(_("联系方式"), max_length=10, choices=ContactMethod.choices)
    content = models.TextField(_("联系内容"))
    opinions = models.TextField(_("收集的意见建议"), blank=True)
    help_given = models.TextField(_("帮助解决的问题"), blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("转为群众意见"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("联系选民记录")
        verbose_name_plural = _("联系选民记录")
        ordering = ["-contacted_on", "-pk"]
        indexes = [models.Index(fields=["deputy", "contacted_on"])]

    def __str__(self) -> str:
        return f"{self.deputy} {self.contacted_on}"

    def clean(self) -> None:
        if self.voter is not None and self.deputy_id and self.voter.deputy_id != self.deputy_id:
            raise ValidationError({"voter": _("只能选择本人名单上的选民。")})


class CallbackSample(TimeStamped):
    """回访抽查 (VOT-1): the office's random sample, one a month for its region."""

    region = models.ForeignKey(
        Region, verbose_name=_("区域"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    size = models.PositiveSmallIntegerField(_("抽取人数"))
    seed = models.CharField(_("随机种子"), max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("抽取人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("回访抽查")
        verbose_name_plural = _("回访抽查")
        ordering = ["-month", "region"]
        constraints = [
            models.UniqueConstraint(fields=["region", "month"], name="callback_one_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="callback_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.month:%Y-%m}"


class CallbackCall(TimeStamped):
    """One voter of a sample and what he answered when the office called."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("待回访")
        CONFIRMED = "confirmed", _("确认代表联系过")
        DENIED = "denied", _("称代表未联系")
        UNREACHABLE = "unreachable", _("无法接通")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASICALLY = "basically", _("基本满意")
        DISSATISFIED = "dissatisfied", _("不满意")

    sample = models.ForeignKey(
        CallbackSample, verbose_name=_("回访抽查"), on_delete=models.CASCADE, related_name="calls"
    )
    voter = models.ForeignKey(
        FixedVoter, verbose_name=_("选民"), on_delete=models.PROTECT, related_name="callbacks"
    )
    outcome = models.CharField(
        _("回访结果"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING
    )
    satisfaction = models.CharField(
        _("对代表的评价"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    answer = models.TextField(_("选民反映"), blank=True)
    called_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回访人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")
        ordering = ["sample", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "voter"], name="callback_voter_once"),
        ]

    def __str__(self) -> str:
        return f"{self.sample} · {self.voter_id}"


class VoterReport(TimeStamped):
    """代表向选民述职 (VOT-2): the report, the voters' opinions and their satisfaction tally."""

    deputy = models.ForeignKey(
        Person, verbose_name=_("代表"), on_delete=models.PROTECT, related_name="voter_reports"
    )
    held_on = models.DateField(_("述职日期"))
    place = models.CharField(_("地点"), max_length=200)
    activity = models.OneToOneField(
        Activity,
        verbose_name=_("述职活动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="voter_report",
    )
    report = models.TextField(_("述职报告"))
    voters_present = models.PositiveIntegerField(_("参加选民人数"))
    satisfied = models.PositiveIntegerField(_("满意票"), default=0)
    basically = models.PositiveIntegerField(_("基本满意票"), default=0)
    dissatisfied = models.PositiveIntegerField(_("不满意票"), default=0)
    opinions = models.TextField(_("选民意见"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("向选民述职")
        verbose_name_plural = _("向选民述职")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.deputy} {self.held_on}"

    @property
    def votes(self) -> int:
        return self.satisfied + self.basically + self.dissatisfied

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.voters_present is not None and self.votes > self.voters_present:
            errors["satisfied"] = _("测评票数不能多于参加选民人数。")
        if errors:
            raise ValidationError(errors)


class GoodDeed(TimeStamped):
    """为民办实事 (VOT-4): a practical thing a deputy did for the people, confirmed by the
    station or office before it counts."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        REJECTED = "rejected", _("未通过")

    deputy = models.ForeignKey(
        Person, verbose_name=_("代表"), on_delete=models.PROTECT, related_name="good_deeds"
    )
    done_on = models.DateField(_("办理日期"))
    region = models.ForeignKey(
        Region, verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("实事名称"), max_length=120)
    description = models.TextField(_("具体情况"))
    beneficiaries = models.CharField(_("受益群众"), max_length=120, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    note = models.CharField(_("确认意见"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("为民办实事")
        verbose_name_plural = _("为民办实事")
        ordering = ["-done_on"]

    def __str__(self) -> str:
        return self.title


class CommitteeContact(TimeStamped):
    """常委会组成人员联系代表记录 (ORG-10): one contact of a member with a linked deputy."""

    link = models.ForeignKey(
        CommitteeLink, verbose_name=_("联系关系"), on_delete=models.PROTECT, related_name="contacts"
    )
    contacted_on = models.DateField(_("联系日期"))
    method = models.CharField(_("联系方式"), max_length=10, choices=ContactMethod.choices)
    content = models.TextField(_("联系内容"))
    opinions = models.TextField(_("代表意见建议"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("联系代表记录")
        verbose_name_plural = _("联系代表记录")
        ordering = ["-contacted_on"]

    def __str__(self) -> str:
        return f"{self.link} {self.contacted_on}"
