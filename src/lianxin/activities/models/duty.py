"""Duty rosters at stations (DUTY-1..4).

A station sets duty *patterns* (DUTY-1): every Wednesday (代表周三见), market days by the solar
or lunar calendar (逢六, 逢一六), every working day (a service-hall supervision station's
"零断档" roster), or named dates; each pattern has *requirements* by role — e.g. 2 deputies and
1 window-unit head a shift. The *pool* lists who may serve at the station, with their delegation
(for rotation) or unit (for window-unit heads); *leave* blocks days. A *roster* covers one
pattern over a period: its *shifts* are expanded from the pattern (holidays skipped unless the
pattern says otherwise), and its *assignments* come from the solver (DUTY-2) and staff edits.
Deputies request *swaps*, staff approve. Check-ins and absences (DUTY-3) live on the
assignment; the allowance (DUTY-4) is a daily rate per congress, paid monthly from check-ins to
the deputies without fixed income, with bank details as protected personal data (SEC-2).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianxin.common.fields import EncryptedTextField
from lianxin.common.models import TimeStamped
from lianxin.directory.models import Congress, Delegation, HandlingUnit, Person, Station


class DutyRole(models.TextChoices):
    """Who fills a post on a shift (DUTY-1): deputies, and at a supervision station the heads
    (or their stand-ins) of the window units in the service hall."""

    DEPUTY = "deputy", _("代表")
    UNIT_HEAD = "unit_head", _("窗口单位负责人")


def _int_list(value: Any, low: int, high: int, field: str, errors: dict[str, Any]) -> None:
    if not isinstance(value, list) or not all(isinstance(v, int) for v in value):
        errors[field] = _("请填写整数列表。")
    elif any(v < low or v > high for v in value):
        errors[field] = _("取值应在 %(low)s 到 %(high)s 之间。") % {"low": low, "high": high}
    elif len(set(value)) != len(value):
        errors[field] = _("请勿重复填写。")


class DutyPattern(TimeStamped):
    """值班规则: when a station is on duty (DUTY-1)."""

    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("每周固定日（如代表周三见）")
        WORKDAYS = "workdays", _("每个工作日")
        SOLAR = "solar", _("公历逢几（集日）")
        LUNAR = "lunar", _("农历逢几（集日）")
        DATES = "dates", _("指定日期")

    station = models.ForeignKey(
        Station, verbose_name=_("联络站"), on_delete=models.CASCADE, related_name="duty_patterns"
    )
    name = models.CharField(_("名称"), max_length=60, help_text=_("如 代表周三见、逢六集日接待"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    # Monday = 0 … Sunday = 6, as Python's date.weekday().
    weekdays = models.JSONField(_("星期"), default=list, blank=True)
    # Days of the (solar or lunar) month: 逢六 = [6, 16, 26]; 逢一六 = [1, 6, 11, 16, 21, 26].
    month_days = models.JSONField(_("逢几日"), default=list, blank=True)
    # Named dates, ISO strings.
    dates = models.JSONField(_("指定日期"), default=list, blank=True)
    skip_holidays = models.BooleanField(
        _("节假日不值班"),
        default=True,
        help_text=_("遇法定节假日（含调休放假）时不排班。"),
    )
    starts_at = models.TimeField(_("开始时间"), default=dt.time(9, 0))
    ends_at = models.TimeField(_("结束时间"), default=dt.time(12, 0))
    valid_from = models.DateField(_("生效日期"))
    valid_until = models.DateField(_("截止日期"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("值班规则")
        verbose_name_plural = _("值班规则")
        ordering = ["station", "name"]
        constraints = [
            models.UniqueConstraint(fields=["station", "name"], name="duty_pattern_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.name}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.kind == self.Kind.WEEKLY:
            _int_list(self.weekdays, 0, 6, "weekdays", errors)
            if "weekdays" not in errors and not self.weekdays:
                errors["weekdays"] = _("请至少选择一天。")
        elif self.kind in (self.Kind.SOLAR, self.Kind.LUNAR):
            high = 30 if self.kind == self.Kind.LUNAR else 31
            _int_list(self.month_days, 1, high, "month_days", errors)
            if "month_days" not in errors and not self.month_days:
                errors["month_days"] = _("请至少填写一个日子，如 6、16、26。")
        elif self.kind == self.Kind.DATES:
            if not isinstance(self.dates, list) or not self.dates:
                errors["dates"] = _("请至少填写一个日期。")
            else:
                try:
                    [dt.date.fromisoformat(str(d)) for d in self.dates]
                except ValueError:
                    errors["dates"] = _("日期格式应为 2026-12-02。")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("结束时间应晚于开始时间。")
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            errors["valid_until"] = _("截止日期不能早于生效日期。")
        if errors:
            raise ValidationError(errors)

    def needs(self) -> dict[str, int]:
        """The posts of one shift by role: {"deputy": 2, "unit_head": 1}."""
        return {r.role: r.count for r in self.requirements.all()}


class Requirement(models.Model):
    """How many persons of one role a shift of the pattern needs (DUTY-1)."""

    pattern = models.ForeignKey(
        DutyPattern,
        verbose_name=_("值班规则"),
        on_delete=models.CASCADE,
        related_name="requirements",
    )
    role = models.CharField(_("岗位"), max_length=10, choices=DutyRole.choices)
    count = models.PositiveSmallIntegerField(
        _("人数"), default=2, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )

    class Meta:
        verbose_name = _("值班人数要求")
        verbose_name_plural = _("值班人数要求")
        ordering = ["pattern", "role"]
        constraints = [
            models.UniqueConstraint(fields=["pattern", "role"], name="duty_requirement_unique"),
            models.CheckConstraint(condition=Q(count__gte=1), name="duty_requirement_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} × {self.count}"


class PoolMember(TimeStamped):
    """值班人员库: who may be put on duty at a station, in which role (DUTY-2). Deputies carry
    their delegation so the solver can rotate delegations; window-unit heads carry their unit
    so their attendance reaches the unit's evaluation (DUTY-3)."""

    station = models.ForeignKey(
        Station, verbose_name=_("联络站"), on_delete=models.CASCADE, related_name="duty_pool"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="duty_pools"
    )
    role = models.CharField(
        _("岗位"), max_length=10, choices=DutyRole.choices, default=DutyRole.DEPUTY
    )
    delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("代表团/选区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("所在窗口单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duty_pool",
    )
    # Weekdays this person can never serve (Monday = 0), e.g. a teacher's teaching days.
    unavailable_weekdays = models.JSONField(_("固定不能值班的星期"), default=list, blank=True)
    max_per_month = models.PositiveSmallIntegerField(
        _("每月最多值班次数"),
        null=True,
        blank=True,
        help_text=_("留空则按排班表的统一上限。"),
    )
    is_active = models.BooleanField(_("参加排班"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("值班人员")
        verbose_name_plural = _("值班人员")
        ordering = ["station", "role", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "person", "role"], name="duty_pool_one_per_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.role == DutyRole.UNIT_HEAD and not self.unit_id:
            errors["unit"] = _("窗口单位负责人须填写所在单位。")
        _int_list(self.unavailable_weekdays, 0, 6, "unavailable_weekdays", errors)
        if errors:
            raise ValidationError(errors)


class DutyLeave(TimeStamped):
    """请假: days a person cannot serve (DUTY-2), at every station unless one is named."""

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="duty_leaves"
    )
    station = models.ForeignKey(
        Station,
        verbose_name=_("联络站"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="duty_leaves",
        help_text=_("留空表示在所有站点均请假。"),
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    reason = models.CharField(_("事由"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("值班请假")
        verbose_name_plural = _("值班请假")
        ordering = ["-starts_on"]
        indexes = [models.Index(fields=["person", "starts_on", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="duty_leave_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.starts_on}–{self.ends_on}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})


class Roster(TimeStamped):
    """排班表: one pattern over a period, proposed by the solver and published by staff."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SOLVING = "solving", _("正在排班")
        PROPOSED = "proposed", _("待发布")
        FAILED = "failed", _("排班失败")
        PUBLISHED = "published", _("已发布")

    station = models.ForeignKey(
        Station, verbose_name=_("联络站"), on_delete=models.CASCADE, related_name="rosters"
    )
    pattern = models.ForeignKey(
        DutyPattern, verbose_name=_("值班规则"), on_delete=models.PROTECT, related_name="rosters"
    )
    name = models.CharField(_("名称"), max_length=80)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    max_per_month = models.PositiveSmallIntegerField(
        _("每人每月最多值班次数"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("留空表示不限。"),
    )
    time_limit_seconds = models.PositiveSmallIntegerField(
        _("排班限时（秒）"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    # Background solve (DUTY-2): progress 0..100 and what the solver reported — its status,
    # the spread of loads per role, the wall time, and the shifts it could not cover and why.
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    report = models.JSONField(_("排班结果说明"), default=dict, blank=True)
    solved_at = models.DateTimeField(_("排班时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("排班表")
        verbose_name_plural = _("排班表")
        ordering = ["-starts_on", "station"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.starts_on and self.ends_on:
            if self.ends_on < self.starts_on:
                errors["ends_on"] = _("结束日期不能早于开始日期。")
            elif (self.ends_on - self.starts_on).days > 366:
                errors["ends_on"] = _("一张排班表最长一年。")
        if self.pattern_id and self.station_id and self.pattern.station_id != self.station_id:
            errors["pattern"] = _("值班规则必须属于本站。")
        if errors:
            raise ValidationError(errors)


class Shift(models.Model):
    """班次: one day's duty of a roster, with the posts it needs by role."""

    roster = models.ForeignKey(
        Roster, verbose_name=_("排班表"), on_delete=models.CASCADE, related_name="shifts"
    )
    station = models.ForeignKey(
        Station, verbose_name=_("联络站"), on_delete=models.CASCADE, related_name="shifts"
    )
    date = models.DateField(_("日期"))
    starts_at = models.TimeField(_("开始时间"))
    ends_at = models.TimeField(_("结束时间"))
    # {"deputy": 2, "unit_head": 1}, copied from the pattern when the shift is made.
    needs = models.JSONField(_("人数要求"), default=dict)
    # 空岗 (DUTY-3): set the day a post stays empty after the shift began; the flag is raised
    # once (the sweep's dedupe key) and shown on the station's pages.
    empty_flagged_at = models.DateTimeField(_("空岗标记时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("班次")
        verbose_name_plural = _("班次")
        ordering = ["date", "starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["roster", "date", "starts_at"], name="shift_one_per_roster_slot"
            ),
        ]
        indexes = [models.Index(fields=["station", "date"])]

    def __str__(self) -> str:
        return f"{self.station} {self.date:%Y-%m-%d} {self.starts_at:%H:%M}"


class Assignment(TimeStamped):
    """One person on one shift, with his check-in or absence (DUTY-2, DUTY-3)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("待值班")
        PRESENT = "present", _("已到岗")
        ABSENT = "absent", _("缺岗")
        EXCUSED = "excused", _("已请假")

    class Method(models.TextChoices):
        SCREEN = "screen", _("扫站点屏幕二维码")
        PRINTED = "printed", _("扫当日打印二维码")
        STAFF = "staff", _("工作人员确认")

    class Source(models.TextChoices):
        SOLVER = "solver", _("自动排班")
        MANUAL = "manual", _("人工调整")
        SWAP = "swap", _("换班")

    shift = models.ForeignKey(
        Shift, verbose_name=_("班次"), on_delete=models.CASCADE, related_name="assignments"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="duty_assignments"
    )
    role = models.CharField(_("岗位"), max_length=10, choices=DutyRole.choices)
    delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("代表团/选区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("窗口单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duty_assignments",
    )
    source = models.CharField(
        _("来源"), max_length=8, choices=Source.choices, default=Source.SOLVER
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    method = models.CharField(_("签到方式"), max_length=8, choices=Method.choices, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    absence_note = models.CharField(_("缺岗说明"), max_length=200, blank=True)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("值班安排")
        verbose_name_plural = _("值班安排")
        ordering = ["shift", "role", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "person"], name="assignment_once_per_shift"),
            models.CheckConstraint(
                condition=~Q(status="present") | Q(checked_in_at__isnull=False),
                name="assignment_present_has_time",
            ),
        ]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"{self.shift} · {self.person}"


class SwapRequest(TimeStamped):
    """换班申请 (DUTY-2): a deputy asks to hand his shift to another person of the pool, or to
    exchange it for one of theirs; the counterpart agrees, staff approve."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待对方同意")
        AGREED = "agreed", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("未批准")
        DECLINED = "declined", _("对方不同意")
        CANCELLED = "cancelled", _("已撤回")
        # Either shift changed (reassigned, checked in, begun) before approval (DUTY-2).
        VOID = "void", _("已失效")

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("换出的班次"), on_delete=models.CASCADE, related_name="swaps"
    )
    requester = models.ForeignKey(
        Person, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    counterpart = models.ForeignKey(
        Person, verbose_name=_("接班人"), on_delete=models.PROTECT, related_name="+"
    )
    counterpart_assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("换回的班次"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("留空表示只请对方代班。"),
    )
    reason = models.CharField(_("事由"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("换班申请")
        verbose_name_plural = _("换班申请")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(status__in=["pending", "agreed"]),
                name="swap_one_open_per_assignment",
                violation_error_message=_("这个班次已有待处理的换班申请。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.counterpart}"


class AllowanceRate(TimeStamped):
    """误工补贴标准 (DUTY-4): a congress's daily rate for deputies without fixed income
    (濮阳县: 100 yuan a day)."""

    congress = models.OneToOneField(
        Congress, verbose_name=_("人大"), on_delete=models.CASCADE, related_name="allowance_rate"
    )
    daily_rate = models.DecimalField(
        _("每日补贴（元）"),
        max_digits=8,
        decimal_places=2,
        default=100,
        validators=[MinValueValidator(0)],
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("误工补贴标准")
        verbose_name_plural = _("误工补贴标准")

    def __str__(self) -> str:
        return f"{self.congress} · {self.daily_rate}"


class AllowanceRecipient(TimeStamped):
    """A deputy without fixed income who receives the duty allowance, with where to pay it.
    The bank account and the holder's name are personal data (SEC-2)."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("人大"), on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("代表"), on_delete=models.PROTECT, related_name="allowance_records"
    )
    bank_name = models.CharField(_("开户银行"), max_length=80, blank=True)
    account_holder = EncryptedTextField(_("户名"), mask="name")
    bank_account = EncryptedTextField(_("银行账号"), mask="bank_account")
    is_active = models.BooleanField(_("享受补贴"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("误工补贴对象")
        verbose_name_plural = _("误工补贴对象")
        ordering = ["congress", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "person"], name="allowance_recipient_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.congress} · {self.person}"


class AllowanceStatement(TimeStamped):
    """误工补贴月度清单 (DUTY-4): computed from the month's check-ins at the congress's rate,
    then confirmed by the office for payment; a confirmed statement never changes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("待确认")
        CONFIRMED = "confirmed", _("已确认")

    congress = models.ForeignKey(
        Congress, verbose_name=_("人大"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    daily_rate = models.DecimalField(_("每日补贴（元）"), max_digits=8, decimal_places=2)
    days = models.PositiveIntegerField(_("合计天数"), default=0)
    total = models.DecimalField(_("合计金额（元）"), max_digits=12, decimal_places=2, default=0)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
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

    class Meta:
        verbose_name = _("误工补贴月度清单")
        verbose_name_plural = _("误工补贴月度清单")
        ordering = ["-month", "congress"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "month"], name="allowance_one_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="allowance_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.congress} {self.month:%Y-%m}"


class AllowanceLine(models.Model):
    """One deputy's line of a monthly statement: the days he was on duty and the amount."""

    statement = models.ForeignKey(
        AllowanceStatement,
        verbose_name=_("月度清单"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    person = models.ForeignKey(Person, verbose_name=_("代表"), on_delete=models.PROTECT)
    days = models.PositiveSmallIntegerField(_("值班天数"))
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    dates = models.JSONField(_("值班日期"), default=list)

    class Meta:
        verbose_name = _("误工补贴明细")
        verbose_name_plural = _("误工补贴明细")
        ordering = ["statement", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "person"], name="allowance_line_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.statement} · {self.person}"
