"""Citizens' opinions and the closed loop (CASE).

A case (一问题一编号) is raised by a citizen through a QR code, the web form or in person
(CASE-1), triaged (CASE-2), dispatched to handling units, handled, supervised, rated by the
citizen and archived (CASE-3, CASE-5, CASE-7). Its states and transitions are one table in
``lianxin.cases.workflow``; every change writes an immutable ``CaseEvent``. Each citizen who
raised or joined (附议) a case keeps his own secret tracking link (``CaseCitizen``), also after
a merge (分类合并).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianxin.common.fields import EncryptedTextField
from lianxin.common.models import TimeStamped
from lianxin.directory.models import Body, Congress, HandlingUnit, Person, Station
from lianxin.regions.models import Region


class Category(TimeStamped):
    """意见类别: defined by an office for its region and everything under it; also the
    services of Open311 (API-2)."""

    region = models.ForeignKey(
        Region, verbose_name=_("适用区域"), on_delete=models.PROTECT, related_name="case_categories"
    )
    code = models.SlugField(
        _("代码"), max_length=40, help_text=_("英文字母、数字或连字符，如 roads")
    )
    name = models.CharField(_("名称"), max_length=40)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=10)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("意见类别")
        verbose_name_plural = _("意见类别")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="category_unique_code"),
            models.UniqueConstraint(fields=["region", "name"], name="category_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ReplyTemplate(TimeStamped):
    """答复模板 (CASE-5): an office keeps reply texts per category, with placeholders such as
    {编号} that the unit's reply form fills in (``lianxin.cases.replies``). Defined for a region,
    they serve the cases of that region and everything under it."""

    region = models.ForeignKey(
        Region,
        verbose_name=_("适用区域"),
        on_delete=models.PROTECT,
        related_name="case_reply_templates",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("意见类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reply_templates",
        help_text=_("留空则适用于所有类别。"),
    )
    title = models.CharField(_("模板名称"), max_length=60)
    text = models.TextField(_("模板内容"))
    order = models.PositiveSmallIntegerField(_("排序"), default=10)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("答复模板")
        verbose_name_plural = _("答复模板")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        from lianxin.cases.replies import check_text

        self.text = check_text(self.text)
        if self.category_id and self.region_id:
            mine, theirs = self.region.path, self.category.region.path  # type: ignore[union-attr]
            if not (mine.startswith(theirs) or theirs.startswith(mine)):
                raise ValidationError({"category": _("该类别不适用于所选区域。")})


class Procedure(TimeStamped):
    """How one congress runs the closed loop (CASE-3): which optional steps apply, who performs
    them, how many reopenings, the labels shown, the rating window. The states and transitions
    stay those of ``lianxin.cases.workflow``; a local variant (六单制, 提派办评, 六心,
    交办—督促解决—反馈评估—回访问效) is a configuration, not code."""

    class Checker(models.TextChoices):
        DEPUTY = "deputy", _("督办代表")
        OFFICE = "office", _("人大机关")

    congress = models.OneToOneField(
        Congress, verbose_name=_("人民代表大会"), on_delete=models.CASCADE, related_name="procedure"
    )
    name = models.CharField(_("工作法名称"), max_length=40, default="六单制")
    deputy_confirms = models.BooleanField(
        _("代表定单"), default=True, help_text=_("群众点单后，先由代表确认（定单）再研处。")
    )
    committee_claims = models.BooleanField(
        _("委室认领"),
        default=False,
        help_text=_("研处后由常委会各委室按职责认领（如郏县“提派办评”）。"),
    )
    reply_checked_by = models.CharField(
        _("答复审核（督单）"), max_length=8, choices=Checker.choices, default=Checker.DEPUTY
    )
    return_visit = models.BooleanField(
        _("回访"), default=True, help_text=_("办结后回访群众，回访后方可归档。")
    )
    max_reopenings = models.PositiveSmallIntegerField(
        _("不满意可重办次数"), default=1, help_text=_("群众评价“不满意”后可重新办理的次数。")
    )
    rating_window_days = models.PositiveSmallIntegerField(
        _("评价期限（日）"), default=7, help_text=_("答复送达后在此期限内未评价的，计为未评价。")
    )
    labels = models.JSONField(
        _("环节名称"),
        default=dict,
        blank=True,
        help_text=_('按本地工作法改写各状态和操作的显示名称，如 {"dispatch": "交办"}。'),
    )

    class Meta:
        verbose_name = _("办理流程配置")
        verbose_name_plural = _("办理流程配置")

    def __str__(self) -> str:
        return f"{self.congress} · {self.name}"

    def clean(self) -> None:
        if not isinstance(self.labels, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in self.labels.items()
        ):
            raise ValidationError({"labels": _("环节名称应为“代码: 名称”的对应表。")})


class DeadlineRule(TimeStamped):
    """One deadline of a congress (CASE-4), counted by the one calculator
    (``lianxin.holidays.deadlines``). A missing rule falls back to the defaults of
    ``lianxin.cases.deadlines.DEFAULT_RULES`` (西峡's practice)."""

    class Step(models.TextChoices):
        REPORT = "report", _("上报县级")
        DISPATCH = "dispatch", _("交办（派单）")
        ACCEPT = "accept", _("签收")
        REPLY = "reply", _("答复")
        CHECK = "check", _("审核答复（督单）")
        RATE = "rate", _("群众评价")

    class Scope(models.TextChoices):
        ANY = "", _("不限")
        TOWNSHIP = "township", _("乡镇职权内")
        COUNTY = "county", _("县级及以上职权")

    class Priority(models.TextChoices):
        ANY = "", _("不限")
        NORMAL = "normal", _("一般")
        URGENT = "urgent", _("紧急")

    class Unit(models.TextChoices):
        CALENDAR_DAYS = "calendar_days", _("日")
        WORKING_DAYS = "working_days", _("工作日")
        MONTHS = "months", _("月")

    congress = models.ForeignKey(
        Congress,
        verbose_name=_("人民代表大会"),
        on_delete=models.CASCADE,
        related_name="deadline_rules",
    )
    step = models.CharField(_("环节"), max_length=10, choices=Step.choices)
    scope = models.CharField(_("职权范围"), max_length=10, choices=Scope.choices, blank=True)
    priority = models.CharField(_("紧急程度"), max_length=8, choices=Priority.choices, blank=True)
    amount = models.PositiveSmallIntegerField(_("期限"))
    unit = models.CharField(_("单位"), max_length=16, choices=Unit.choices)

    class Meta:
        verbose_name = _("办理期限")
        verbose_name_plural = _("办理期限")
        ordering = ["congress", "step", "scope", "priority"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "step", "scope", "priority"], name="deadline_rule_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="deadline_rule_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.amount}{self.get_unit_display()}"


class Case(TimeStamped):
    """一件群众意见 (CASE-1): one problem, one number."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待定单")
        CONFIRMED = "confirmed", _("待研处")
        TRIAGED = "triaged", _("待派单")
        REPORTED = "reported", _("已上报待交办")
        DISPATCHED = "dispatched", _("待签收")
        HANDLING = "handling", _("办理中")
        REPLIED = "replied", _("答复待审核")
        AWAITING_RATING = "awaiting_rating", _("待评价")
        CLOSED = "closed", _("已办结")
        DECLINED = "declined", _("已说明不予受理")
        MERGED = "merged", _("已合并")
        ARCHIVED = "archived", _("已归档")

    class Scope(models.TextChoices):
        ON_SPOT = "on_spot", _("当场解决")
        TOWNSHIP = "township", _("乡镇职权内")
        COUNTY = "county", _("县级及以上职权")
        NOT_CONGRESS = "not_congress", _("不属于人大职责")

    class Channel(models.TextChoices):
        QR_DEPUTY = "qr_deputy", _("代表二维码")
        QR_STATION = "qr_station", _("联络站二维码")
        WEB = "web", _("网上提交")
        RECEPTION = "reception", _("代表接待（周三见）")
        STALL = "stall", _("摆摊接访")
        FORUM = "forum", _("小板凳议事")
        COUNTER = "counter", _("监督站窗口")
        PHONE = "phone", _("电话")
        GRID = "grid", _("网格")
        VISIT = "visit", _("六进走访")
        LETTER = "letter", _("来信")
        OPEN311 = "open311", _("接口接入")
        LEDGER = "ledger", _("台账导入")

    class Priority(models.TextChoices):
        NORMAL = "normal", _("一般")
        URGENT = "urgent", _("紧急")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASICALLY = "basically", _("基本满意")
        DISSATISFIED = "dissatisfied", _("不满意")
        UNRATED = "unrated", _("未评价")

    class InPerson(models.TextChoices):
        DIRECTOR = "director", _("局长进站")
        FORUM = "forum", _("站点问政")
        ON_SITE = "on_site", _("现场答复")

    # Intake channels of the public: filed by the citizen himself, without an account.
    PUBLIC_CHANNELS = frozenset(
        {Channel.QR_DEPUTY, Channel.QR_STATION, Channel.WEB, Channel.OPEN311}
    )

    number = models.CharField(_("编号"), max_length=32, unique=True, editable=False)
    congress = models.ForeignKey(
        Congress, verbose_name=_("受理人大"), on_delete=models.PROTECT, related_name="cases"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="cases"
    )
    station = models.ForeignKey(
        Station,
        verbose_name=_("联络站"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    deputy = models.ForeignKey(
        Person,
        verbose_name=_("接收代表"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_cases",
        help_text=_("群众扫码所找的代表，或当面接待的代表。"),
    )
    supervisor = models.ForeignKey(
        Person,
        verbose_name=_("督办代表"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_cases",
    )
    claimed_by = models.ForeignKey(
        Body,
        verbose_name=_("认领委室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claimed_cases",
    )
    channel = models.CharField(_("来源渠道"), max_length=12, choices=Channel.choices)
    category = models.ForeignKey(
        Category, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="cases"
    )
    priority = models.CharField(
        _("紧急程度"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    sensitive = models.BooleanField(
        _("敏感"), default=False, help_text=_("敏感件只有指定的工作人员可以查看。")
    )
    text = models.TextField(_("反映内容"))
    public_text = models.TextField(
        _("公开内容"), blank=True, help_text=_("去除姓名、电话、身份证号后的内容，用于公开页面。")
    )
    place = models.CharField(_("问题地点"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    scope = models.CharField(_("分级"), max_length=12, choices=Scope.choices, blank=True)
    explanation = models.TextField(
        _("向群众的说明"), blank=True, help_text=_("不属于人大职责或当场解决时，向群众作出的说明。")
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并至"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_cases",
    )
    reopen_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    received_at = models.DateTimeField(_("受理时间"), db_index=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The running deadline (CASE-4): which step, counted from when, due when. Recounted when
    # the holiday calendar changes (lianxin.cases.deadlines).
    due_at = models.DateTimeField(_("当前环节期限"), null=True, blank=True, db_index=True)
    due_step = models.CharField(
        _("期限环节"), max_length=10, choices=DeadlineRule.Step.choices, blank=True
    )
    due_from = models.DateTimeField(_("期限起算"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    reply_due_at = models.DateTimeField(
        _("答复期限"), null=True, blank=True, help_text=_("延期获批后为延长后的期限。")
    )
    escalation = models.PositiveSmallIntegerField(
        _("催办级别"), default=0, help_text=_("0 未催办，1 已提醒，2 已报人大机关，3 已报领导。")
    )
    extension_requested = models.BooleanField(_("申请延期待批"), default=False)
    extension_days = models.PositiveSmallIntegerField(_("已批准延期（日）"), default=0)
    solved = models.BooleanField(_("问题已解决"), null=True, blank=True)
    reply = models.TextField(_("答复意见"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    # 局长进站 / 站点问政 (CASE-5): the answer was given in person at a station.
    in_person = models.CharField(
        _("当面答复方式"), max_length=12, choices=InPerson.choices, blank=True
    )
    in_person_on = models.DateField(_("当面答复日期"), null=True, blank=True)
    in_person_station = models.ForeignKey(
        Station,
        verbose_name=_("当面答复站点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="in_person_answers",
    )
    in_person_by = models.CharField(
        _("当面答复人"), max_length=100, blank=True, help_text=_("如：县交通运输局局长。")
    )
    rating = models.CharField(_("评价"), max_length=12, choices=Rating.choices, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    visited_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    last_event_seq = models.PositiveIntegerField(_("事件序号"), default=0, editable=False)

    class Meta:
        verbose_name = _("群众意见")
        verbose_name_plural = _("群众意见")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["congress", "status", "-received_at"], name="case_queue"),
            # The office's queue in its order (selectors.queue_ordering): a page is read off
            # the index instead of sorting every case within reach (issue 7). PostgreSQL puts
            # NULLs last in an ascending index, as the queue wants them.
            models.Index(
                fields=["due_at", "-priority", "-received_at", "-id"], name="case_queue_order"
            ),
            models.Index(fields=["status", "due_at"], name="case_due"),
            # 附议: recent cases of one place and category (lianxin.cases.similarity).
            models.Index(fields=["region", "category", "-received_at"], name="case_nearby"),
            # CASE-10's on-time rate counts open cases past their reply deadline
            # (figures.open_overdue): read off this small index, not every open case (issue 7).
            models.Index(
                fields=["reply_due_at"],
                name="case_open_overdue",
                condition=models.Q(status__in=["dispatched", "handling"]),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status not in TERMINAL_STATUSES


TERMINAL_STATUSES = frozenset(
    {Case.Status.CLOSED, Case.Status.DECLINED, Case.Status.MERGED, Case.Status.ARCHIVED}
)


class CaseCitizen(models.Model):
    """A citizen behind a case: who filed it, who joined it (附议), or whose case was merged into
    it (分类合并). Each keeps a secret tracking link and PIN to follow the result (CASE-1, CASE-2).
    Name, phone, ID number and address are personal data (SEC-2)."""

    class Joined(models.TextChoices):
        FILED = "filed", _("提出")
        SECONDED = "seconded", _("附议")
        MERGED = "merged", _("合并")

    case = models.ForeignKey(
        Case, verbose_name=_("群众意见"), on_delete=models.CASCADE, related_name="citizens"
    )
    joined = models.CharField(_("方式"), max_length=10, choices=Joined.choices)
    is_primary = models.BooleanField(_("首位反映人"), default=False)
    name = EncryptedTextField(_("姓名"), mask="name")
    phone = EncryptedTextField(_("手机号码"), mask="phone")
    id_number = EncryptedTextField(_("身份证号"), mask="id_number")
    address = EncryptedTextField(_("住址"), mask="text")
    anonymous = models.BooleanField(_("匿名"), default=False)
    notify_by_sms = models.BooleanField(_("短信告知进度"), default=False)
    # The secret tracking link carries a token of 192 bits; only its SHA-256 is stored.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    pin_hash = models.CharField(max_length=64, editable=False)
    # The one-time key of the form that filed this (CASE-1): a retry files nothing new.
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    rating = models.CharField(_("评价"), max_length=12, choices=Case.Rating.choices, blank=True)
    rating_reason = models.CharField(_("评价理由"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("反映人")
        verbose_name_plural = _("反映人")
        ordering = ["case", "-is_primary", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(is_primary=True), name="case_one_primary_citizen"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_joined_display()}"


class CaseUnit(models.Model):
    """A handling unit a case is dispatched to, as lead (主办) or co-handler (协办) (CASE-5)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        CO = "co", _("协办")

    class Status(models.TextChoices):
        DISPATCHED = "dispatched", _("待签收")
        ACCEPTED = "accepted", _("办理中")
        RETURNED = "returned", _("已退回")
        REPLIED = "replied", _("已答复")
        WITHDRAWN = "withdrawn", _("已撤回")

    case = models.ForeignKey(
        Case, verbose_name=_("群众意见"), on_delete=models.CASCADE, related_name="units"
    )
    unit = models.ForeignKey(
        HandlingUnit, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="cases"
    )
    role = models.CharField(_("承办方式"), max_length=4, choices=Role.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DISPATCHED
    )
    dispatched_at = models.DateTimeField(_("交办时间"))
    accepted_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    due_at = models.DateTimeField(_("答复期限"), null=True, blank=True)
    note = models.TextField(_("交办意见"), blank=True)
    reply = models.TextField(_("办理情况"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    return_reason = models.CharField(_("退回理由"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["case", "role", "pk"]
        indexes = [models.Index(fields=["unit", "status", "due_at"], name="case_unit_inbox")]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(role="lead") & ~Q(status__in=["returned", "withdrawn"]),
                name="case_one_active_lead_unit",
            ),
            models.UniqueConstraint(
                fields=["case", "unit"],
                condition=~Q(status__in=["returned", "withdrawn"]),
                name="case_unit_once_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.unit} · {self.get_role_display()}"


class CaseEvent(models.Model):
    """One step of a case, immutable (append-only in the database): who did what, when, and
    what the citizen may read of it (CASE-3, CASE-9)."""

    case = models.ForeignKey(
        Case, verbose_name=_("群众意见"), on_delete=models.PROTECT, related_name="events"
    )
    seq = models.PositiveIntegerField(_("序号"))
    action = models.CharField(_("操作"), max_length=20)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16)
    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("操作身份"), max_length=120, blank=True)
    note = models.TextField(_("内部说明"), blank=True)
    public_note = models.TextField(_("公开说明"), blank=True)
    data: Any = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["case", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["case", "seq"], name="case_event_unique_seq")
        ]

    def __str__(self) -> str:
        return f"{self.case} #{self.seq} {self.action}"


class CaseCounter(models.Model):
    """The next serial number of a congress's cases in a year (一问题一编号)."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["congress", "year"], name="case_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.congress_id}/{self.year}: {self.last}"


class CaseCounts(models.Model):
    """The counters of the case figures (CASE-10), shared by the daily and the monthly table."""

    received = models.PositiveIntegerField(_("受理"), default=0)
    people = models.PositiveIntegerField(_("反映人次"), default=0)
    responded = models.PositiveIntegerField(_("首次响应"), default=0)
    responded_on_time = models.PositiveIntegerField(_("按时响应"), default=0)
    on_spot = models.PositiveIntegerField(_("当场解决"), default=0)
    dispatched = models.PositiveIntegerField(_("交办"), default=0)
    replied = models.PositiveIntegerField(_("答复"), default=0)
    replied_on_time = models.PositiveIntegerField(_("按时答复"), default=0)
    solved = models.PositiveIntegerField(_("答复已解决"), default=0)
    solved_dissatisfied = models.PositiveIntegerField(_("已解决但不满意"), default=0)
    satisfied = models.PositiveIntegerField(_("满意"), default=0)
    basically = models.PositiveIntegerField(_("基本满意"), default=0)
    dissatisfied = models.PositiveIntegerField(_("不满意"), default=0)
    unrated = models.PositiveIntegerField(_("未评价"), default=0)
    declined = models.PositiveIntegerField(_("不予受理"), default=0)
    reopened = models.PositiveIntegerField(_("重办"), default=0)

    class Meta:
        abstract = True


class CaseFigure(CaseCounts):
    """Daily counts of cases by where they belong (CASE-10), kept current by the workflow as
    events happen and rebuilt from the events by ``rebuild_case_figures``. Dimensions are plain
    ids (0 for none) so that one unique key covers them."""

    day = models.DateField(_("日期"))
    congress_id = models.PositiveIntegerField()
    region_id = models.PositiveIntegerField()
    station_id = models.PositiveIntegerField(default=0)
    deputy_id = models.PositiveIntegerField(default=0)
    category_id = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("意见统计")
        verbose_name_plural = _("意见统计")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "region_id", "station_id", "deputy_id", "category_id"],
                name="case_figure_unique_key",
            )
        ]
        indexes = [
            models.Index(fields=["congress_id", "day"], name="case_figure_congress"),
            models.Index(fields=["station_id", "day"], name="case_figure_station"),
            models.Index(fields=["deputy_id", "day"], name="case_figure_deputy"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.region_id}/{self.station_id}/{self.deputy_id}"


class CaseFigureMonth(CaseCounts):
    """Monthly counts of cases by county-level region and category (CASE-10, issue 7): the
    coarse twin of ``CaseFigure`` for the wide views (a province's or a city's year), kept by
    the same ``figures.count_event`` and rebuilt with it. ``month`` is the month's first day
    (Beijing time); ``region_id`` is the case's region if it is at county level or above, else
    its county-level ancestor."""

    month = models.DateField(_("月份"))
    congress_id = models.PositiveIntegerField()
    region_id = models.PositiveIntegerField()
    category_id = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("意见月度统计")
        verbose_name_plural = _("意见月度统计")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "region_id", "category_id"], name="case_figure_month_unique_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region_id}/{self.category_id}"


class UnitFigure(models.Model):
    """Daily counts of a handling unit's cases (CASE-10): dispatched, returned, replied."""

    day = models.DateField(_("日期"))
    unit_id = models.PositiveIntegerField()
    dispatched = models.PositiveIntegerField(_("交办"), default=0)
    returned = models.PositiveIntegerField(_("退回"), default=0)
    replied = models.PositiveIntegerField(_("答复"), default=0)
    replied_on_time = models.PositiveIntegerField(_("按时答复"), default=0)
    # The verdict on the unit's replies (CASE-10 by unit): counted on the lead unit.
    solved = models.PositiveIntegerField(_("答复已解决"), default=0)
    solved_dissatisfied = models.PositiveIntegerField(_("已解决但不满意"), default=0)
    satisfied = models.PositiveIntegerField(_("满意"), default=0)
    basically = models.PositiveIntegerField(_("基本满意"), default=0)
    dissatisfied = models.PositiveIntegerField(_("不满意"), default=0)
    unrated = models.PositiveIntegerField(_("未评价"), default=0)

    class Meta:
        verbose_name = _("单位办理统计")
        verbose_name_plural = _("单位办理统计")
        constraints = [
            models.UniqueConstraint(fields=["day", "unit_id"], name="unit_figure_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.unit_id}"


class CasePhoto(models.Model):
    """A photo of the problem (CASE-1): re-encoded without metadata (``cases.photos``) and
    served only through a permission check, never as a public file."""

    case = models.ForeignKey(
        Case, verbose_name=_("群众意见"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("照片"), upload_to="cases/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    by_citizen = models.BooleanField(_("群众上传"), default=True)

    class Meta:
        verbose_name = _("照片")
        verbose_name_plural = _("照片")
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return f"{self.case} · {self.pk}"


class Integrator(models.Model):
    """A system allowed to file cases through Open311 (API-2), within one region. Only the
    SHA-256 of its API key is kept; the key is shown once when created."""

    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("可提交区域"), on_delete=models.PROTECT, related_name="integrators"
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("接入系统")
        verbose_name_plural = _("接入系统")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CitizenMessage(models.Model):
    """An SMS telling a citizen of his case's progress (NOTE-1): one per citizen and event, so a
    retried task sends nothing twice. Only the event is recorded, never the phone number."""

    class Status(models.TextChoices):
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    citizen = models.ForeignKey(
        CaseCitizen, verbose_name=_("反映人"), on_delete=models.CASCADE, related_name="messages"
    )
    event = models.ForeignKey(
        CaseEvent, verbose_name=_("办理记录"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    at = models.DateTimeField(_("时间"), auto_now=True)

    class Meta:
        verbose_name = _("群众短信")
        verbose_name_plural = _("群众短信")
        constraints = [
            models.UniqueConstraint(fields=["citizen", "event"], name="citizen_message_once")
        ]

    def __str__(self) -> str:
        return f"{self.citizen_id}/{self.event_id}: {self.status}"


class CaseAccess(models.Model):
    """Who may see a sensitive case (named staff only), and who stands aside from a case for a
    conflict of interest (recusal) (CASE-11)."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("指定可见")
        RECUSAL = "recusal", _("回避")

    case = models.ForeignKey(
        Case, verbose_name=_("群众意见"), on_delete=models.CASCADE, related_name="access"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    reason = models.CharField(_("理由"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("查看与回避")
        verbose_name_plural = _("查看与回避")
        constraints = [
            models.UniqueConstraint(fields=["case", "user", "kind"], name="case_access_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.user_id}"
