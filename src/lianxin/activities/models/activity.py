"""Activities and training (ACT-1..3), and what a congress expects of its deputies and groups.

An *activity* is anything deputies do together or one deputy does in public view — a
training class, an inspection, a reception, a market-day stall, a 小板凳 forum, a 局长进站
hearing, a grid visit, a group meeting. It has an organiser (a station, a group, a grid, an
office), invited and present deputies (*participants*, who sign in by a changing QR code or are
marked by the organiser), minutes, photos and outcomes: the opinions collected become cases of
the closed loop (*ActivityCase*), problems solved on the spot are counted, a research report
may be attached. A deputy may report an activity he did alone from his phone; it counts only
after its organiser (his station) approves (PERF-3). Stations keep an annual plan (*ActivityPlan*)
and congresses a training plan by level and theme (ACT-3). *Quota* overrides, per congress, the
defaults of ``lianxin.activities.standards`` (ACT-2 group minimums, VOT-1 fixed
voters, VOT-3 grid duties, VOT-4 good deeds).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianxin.common.models import TimeStamped, new_public_key
from lianxin.directory.models import Congress, DeputyGroup, Grid, Person, Station
from lianxin.holidays.deadlines import BEIJING
from lianxin.regions.models import Region


class ActivityKind(models.TextChoices):
    """The kinds of SPEC ACT-1, with the grid duties of VOT-3."""

    TRAINING = "training", _("学习培训")
    INSPECTION = "inspection", _("视察调研")
    ENFORCEMENT_CHECK = "enforcement", _("执法检查")
    RECEPTION = "reception", _("进站接待")
    MARKET_STALL = "stall", _("摆摊接访")
    STOOL_FORUM = "stool", _("小板凳议事")
    ROUNDTABLE = "roundtable", _("圆桌议事")
    OFFICIAL_HEARING = "hearing", _("局长进站（站点问政）")
    SIX_INTO = "six_into", _("六进活动")
    LEGAL_LECTURE = "lecture", _("普法讲堂")
    FREE_CLINIC = "clinic", _("义诊")
    CONSTITUENCY_VISIT = "constituency", _("走访选区")
    GRID_VISIT = "grid_visit", _("网格走访")
    GRID_MEETING = "grid_meeting", _("网格员例会")
    POLICY_TALK = "policy_talk", _("政策宣讲")
    ENTERPRISE_VISIT = "enterprise", _("走访企业")
    GROUP_MEETING = "group", _("代表小组活动")
    OTHER = "other", _("其他")


class TrainingPlan(TimeStamped):
    """培训计划 (ACT-3): a congress's plan for a year, by level and theme; its classes are
    activities of kind 学习培训 pointing to it."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("人大"), on_delete=models.PROTECT, related_name="training_plans"
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("名称"), max_length=100)
    level = models.PositiveSmallIntegerField(
        _("培训层级"),
        choices=Congress.Level.choices,
        help_text=_("组织培训的人大层级，如 县、乡镇。"),
    )
    theme = models.CharField(_("主题"), max_length=100, help_text=_("如 初任培训、预算审查监督"))
    audience = models.CharField(_("培训对象"), max_length=200, blank=True)
    planned_classes = models.PositiveSmallIntegerField(_("计划期数"), default=1)
    planned_hours = models.PositiveSmallIntegerField(_("计划学时"), null=True, blank=True)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("培训计划")
        verbose_name_plural = _("培训计划")
        ordering = ["-year", "congress", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "year", "title"], name="training_plan_unique_title"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"

    def clean(self) -> None:
        """The plan's numbers, whichever way it comes (page, API): ACT-3."""
        errors: dict[str, str] = {}
        for name, check in (("planned_classes", planned_classes_error),
                            ("planned_hours", planned_hours_error)):  # fmt: skip
            message = check(getattr(self, name))
            if message:
                errors[name] = message
        if errors:
            raise ValidationError(errors)


def planned_classes_error(value: int | None) -> str:
    """Why a plan's number of classes is refused, or "" (1 to 1000)."""
    if value is None or value < 1:
        return str(_("计划期数至少为 1 期。"))
    if value > 1000:
        return str(_("计划期数不能超过 1000 期。"))
    return ""


def planned_hours_error(value: int | None) -> str:
    """Why a plan's hours are refused, or "" (none, or 0 to 10000)."""
    if value is not None and not 0 <= value <= 10000:
        return str(_("计划学时应在 0 至 10000 之间。"))
    return ""


class ActivityPlan(TimeStamped):
    """站点年度活动计划 (ACT-1): what a station means to hold in a year."""

    station = models.ForeignKey(
        Station, verbose_name=_("联络站"), on_delete=models.CASCADE, related_name="activity_plans"
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("年度活动计划")
        verbose_name_plural = _("年度活动计划")
        ordering = ["-year", "station"]
        constraints = [
            models.UniqueConstraint(fields=["station", "year"], name="activity_plan_one_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.year}"


class PlanItem(models.Model):
    """One planned activity of a station's annual plan."""

    plan = models.ForeignKey(
        ActivityPlan, verbose_name=_("年度活动计划"), on_delete=models.CASCADE, related_name="items"
    )
    month = models.PositiveSmallIntegerField(
        _("月份"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    kind = models.CharField(_("活动类型"), max_length=14, choices=ActivityKind.choices)
    title = models.CharField(_("活动内容"), max_length=120)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("计划活动")
        verbose_name_plural = _("计划活动")
        ordering = ["plan", "month", "pk"]

    def __str__(self) -> str:
        return f"{self.month}月 {self.title}"


class Activity(TimeStamped):
    """履职活动 (ACT-1)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("已发布")
        HELD = "held", _("已开展")
        CANCELLED = "cancelled", _("已取消")

    class Approval(models.TextChoices):
        """A deputy's self-reported activity counts only once its organiser approves (PERF-3)."""

        NOT_NEEDED = "none", _("无需审核")
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已审核")
        REJECTED = "rejected", _("未通过")

    kind = models.CharField(_("活动类型"), max_length=14, choices=ActivityKind.choices)
    title = models.CharField(_("活动名称"), max_length=120)
    description = models.TextField(_("活动内容"), blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("所在区域"),
        on_delete=models.PROTECT,
        related_name="activities",
        help_text=_("活动举办地所在的行政区划。"),
    )
    station = models.ForeignKey(
        Station,
        verbose_name=_("组织站点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    group = models.ForeignKey(
        DeputyGroup,
        verbose_name=_("代表小组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    grid = models.ForeignKey(
        Grid,
        verbose_name=_("网格"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    training_plan = models.ForeignKey(
        TrainingPlan,
        verbose_name=_("培训计划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="classes",
    )
    plan_item = models.ForeignKey(
        PlanItem,
        verbose_name=_("计划活动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    organiser_name = models.CharField(_("组织单位"), max_length=120, blank=True)
    place = models.CharField(_("地点"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    approval = models.CharField(
        _("审核"), max_length=10, choices=Approval.choices, default=Approval.NOT_NEEDED
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    approval_note = models.CharField(_("审核意见"), max_length=200, blank=True)
    minutes = models.TextField(_("活动纪要"), blank=True)
    outcomes = models.TextField(_("活动成效"), blank=True)
    solved_on_spot = models.PositiveSmallIntegerField(_("现场解决问题数"), default=0)
    # A research report (调研报告) counts towards a group's yearly minimum (ACT-2).
    report_title = models.CharField(_("调研报告标题"), max_length=120, blank=True)
    report_text = models.TextField(_("调研报告"), blank=True)
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Sign-in QR codes are derived from this key, the day and a time window (like duty).
    public_key = models.CharField(
        _("公开标识"), max_length=32, unique=True, default=new_public_key, editable=False
    )

    class Meta:
        verbose_name = _("履职活动")
        verbose_name_plural = _("履职活动")
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["region", "starts_at"]),
            models.Index(fields=["kind", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="activity_time_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_report(self) -> bool:
        return bool(self.report_title.strip())

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("结束时间不能早于开始时间。")
        if self.kind in (ActivityKind.GRID_VISIT, ActivityKind.GRID_MEETING) and not self.grid_id:
            errors["grid"] = _("网格活动请选择网格。")
        if self.kind == ActivityKind.GROUP_MEETING and not self.group_id:
            errors["group"] = _("代表小组活动请选择小组。")
        if self.training_plan_id and self.kind != ActivityKind.TRAINING:
            errors["training_plan"] = _("只有学习培训才能归入培训计划。")
        elif (
            (plan := self.training_plan) is not None
            and self.starts_at
            and self.starts_at.astimezone(BEIJING).year != plan.year
        ):
            # A plan counts the classes of its own year (Beijing time, ACT-3).
            errors["starts_at"] = _("培训班次应在培训计划的年度（%(year)s年）内举办。") % {
                "year": plan.year
            }
        if self.report_text.strip() and not self.report_title.strip():
            errors["report_title"] = _("请填写调研报告标题。")
        if errors:
            raise ValidationError(errors)


class Participant(TimeStamped):
    """An invited or present person of an activity, with how he signed in (ACT-1)."""

    class Role(models.TextChoices):
        DEPUTY = "deputy", _("代表")
        MEMBER = "member", _("常委会组成人员")
        STAFF = "staff", _("工作人员")
        GUEST = "guest", _("特邀人员")

    class Attendance(models.TextChoices):
        INVITED = "invited", _("已邀请")
        PRESENT = "present", _("已签到")
        ABSENT = "absent", _("缺席")
        EXCUSED = "excused", _("请假")

    class Method(models.TextChoices):
        SCREEN = "screen", _("扫现场二维码")
        PRINTED = "printed", _("扫打印二维码")
        ORGANISER = "organiser", _("组织者确认")
        SELF = "self", _("本人补报")

    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="participants"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(_("身份"), max_length=8, choices=Role.choices, default=Role.DEPUTY)
    invited = models.BooleanField(_("受邀"), default=True)
    attendance = models.CharField(
        _("出席"), max_length=8, choices=Attendance.choices, default=Attendance.INVITED
    )
    signed_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    method = models.CharField(_("签到方式"), max_length=10, choices=Method.choices, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("参加人员")
        verbose_name_plural = _("参加人员")
        ordering = ["activity", "role", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="participant_once"),
            models.CheckConstraint(
                condition=~Q(attendance="present") | Q(signed_in_at__isnull=False),
                name="participant_present_has_time",
            ),
        ]
        indexes = [models.Index(fields=["person", "attendance"])]

    def __str__(self) -> str:
        return f"{self.activity} · {self.person}"


class ActivityPhoto(models.Model):
    """A photo of an activity, re-encoded without metadata (``cases.photos.clean_photo``) and
    served through a permission check."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("照片"), upload_to="activities/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
        ordering = ["activity", "pk"]

    def __str__(self) -> str:
        return f"{self.activity} · {self.pk}"


class ActivityCase(models.Model):
    """An opinion collected at an activity, filed as a case of the closed loop (ACT-1, CASE-1)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="case_links"
    )
    case = models.OneToOneField(
        "cases.Case", verbose_name=_("群众意见"), on_delete=models.CASCADE, related_name="activity"
    )

    class Meta:
        verbose_name = _("活动收集的意见")
        verbose_name_plural = _("活动收集的意见")

    def __str__(self) -> str:
        return f"{self.activity} · {self.case}"


class Quota(TimeStamped):
    """A congress's own figure for one yearly standard, overriding the default of
    ``lianxin.activities.standards`` (ACT-2, VOT-1, VOT-3, VOT-4)."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("人大"), on_delete=models.CASCADE, related_name="quotas"
    )
    code = models.CharField(_("标准"), max_length=32)
    value = models.PositiveSmallIntegerField(_("数量"))

    class Meta:
        verbose_name = _("履职标准")
        verbose_name_plural = _("履职标准")
        ordering = ["congress", "code"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "code"], name="quota_one_per_code"),
        ]

    def __str__(self) -> str:
        return f"{self.congress} · {self.code} = {self.value}"
