"""The core directory: congresses, persons and mandates, stations, handling units.

ORG-2 (congresses, terms, sessions, bodies, work plans), ORG-3 (persons and mandates),
ORG-4/ORG-5 basic (stations with staff), ORG-7 basic (deputies sitting in stations),
ORG-11 (handling units and their contact persons), ORG-13 (public identities).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.common.fields import EncryptedTextField
from lianxin.common.models import TimeStamped, TreeNode, new_public_key
from lianxin.regions.models import Region


class Congress(TimeStamped):
    """人民代表大会: one per region and level (五级, ORG-2)."""

    class Level(models.IntegerChoices):
        NATIONAL = 0, _("全国")
        PROVINCE = 1, _("省")
        CITY = 2, _("市")
        COUNTY = 3, _("县")
        TOWNSHIP = 4, _("乡镇")

    region = models.ForeignKey(
        Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="congresses"
    )
    level = models.PositiveSmallIntegerField(_("级别"), choices=Level.choices)
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("人民代表大会")
        verbose_name_plural = _("人民代表大会")
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "level"], name="congress_one_per_region_level"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def current_term(self) -> Term | None:
        return self.terms.filter(is_current=True).first()


class Term(TimeStamped):
    """届 (ORG-2)."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("人民代表大会"), on_delete=models.PROTECT, related_name="terms"
    )
    number = models.PositiveSmallIntegerField(_("届次"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    is_current = models.BooleanField(_("本届"), default=False)

    class Meta:
        verbose_name = _("届次")
        verbose_name_plural = _("届次")
        ordering = ["congress", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "number"], name="term_unique_number"),
            models.UniqueConstraint(
                fields=["congress"],
                condition=Q(is_current=True),
                name="term_one_current_per_congress",
            ),
        ]

    def __str__(self) -> str:
        return _("%(congress)s第%(number)s届") % {
            "congress": self.congress.name,
            "number": self.number,
        }

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})


class Session(TimeStamped):
    """会议: 第N次会议 of a term (ORG-2)."""

    term = models.ForeignKey(
        Term, verbose_name=_("届次"), on_delete=models.PROTECT, related_name="sessions"
    )
    number = models.PositiveSmallIntegerField(_("会次"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["term", "number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="session_unique_number")
        ]

    def __str__(self) -> str:
        return _("%(term)s第%(number)s次会议") % {"term": self.term, "number": self.number}

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})


class Body(TimeStamped):
    """常委会, 专门委员会, 工作机构 (代表工委, 选工委, 各委室), 乡镇人大主席团 (ORG-2)."""

    class Kind(models.TextChoices):
        STANDING_COMMITTEE = "standing", _("常务委员会")
        SPECIAL_COMMITTEE = "special", _("专门委员会")
        WORKING_BODY = "working", _("工作机构")
        PRESIDIUM = "presidium", _("主席团")
        CHAIRMEN_COUNCIL = "council", _("主任会议")

    congress = models.ForeignKey(
        Congress, verbose_name=_("人民代表大会"), on_delete=models.PROTECT, related_name="bodies"
    )
    term = models.ForeignKey(
        Term, verbose_name=_("届次"), null=True, blank=True, on_delete=models.PROTECT
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    duties = models.TextField(_("职责"), blank=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["congress", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "term", "name"], name="body_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.congress.name}{self.name}"


class Person(TimeStamped):
    """A person: one account and one QR code, with a mandate per congress and term (ORG-3)."""

    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    party = models.CharField(_("政治面貌"), max_length=30, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    sector = models.CharField(_("界别/行业"), max_length=50, blank=True)
    work_unit = models.CharField(_("工作单位"), max_length=120, blank=True)
    title = models.CharField(_("职务"), max_length=120, blank=True)
    specialties = models.CharField(_("专长"), max_length=200, blank=True)
    bio = models.TextField(_("简介"), blank=True)
    photo = models.ImageField(_("照片"), upload_to="persons/", blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("所在地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="persons",
    )
    # Personal data (SEC-2): encrypted, masked, reveal audited.
    phone = EncryptedTextField(_("手机号码"), mask="phone")
    id_number = EncryptedTextField(_("身份证号"), mask="id_number")
    # A keyed hash of the ID number for exact matching (ORG-14 re-import), set by services.
    id_number_index = models.CharField(
        _("身份证号索引"), max_length=64, blank=True, db_index=True, editable=False
    )
    public_phone = models.CharField(
        _("公开联系方式"),
        max_length=50,
        blank=True,
        help_text=_("显示在公开页面上的联系渠道，如站点电话。"),
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    public_key = models.CharField(
        _("公开标识"), max_length=32, unique=True, default=new_public_key, editable=False
    )

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def serving_mandates(self) -> models.QuerySet[Mandate]:
        return self.mandates.filter(status=Mandate.Status.SERVING)


class Delegation(TimeStamped):
    """代表团 or 选区 in which mandates are elected (ORG-3)."""

    term = models.ForeignKey(
        Term, verbose_name=_("届次"), on_delete=models.PROTECT, related_name="delegations"
    )
    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("区域"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("代表团/选区")
        verbose_name_plural = _("代表团/选区")
        ordering = ["term", "name"]
        constraints = [
            models.UniqueConstraint(fields=["term", "name"], name="delegation_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Mandate(TimeStamped):
    """任职: a person's mandate in one congress and term (ORG-3)."""

    class Kind(models.TextChoices):
        DEPUTY = "deputy", _("人大代表")
        PARTICIPANT = "participant", _("议政代表")

    class Status(models.TextChoices):
        SERVING = "serving", _("在任")
        RESIGNED = "resigned", _("辞职")
        TERMINATED = "terminated", _("终止")

    class EndReason(models.TextChoices):
        RESIGNATION = "resignation", _("辞去代表职务")
        RECALL = "recall", _("被罢免")
        MOVED = "moved", _("迁出或调离本行政区域")
        ABSENCE = "absence", _("未经批准两次不出席本级人民代表大会会议")
        LOST_NATIONALITY = "nationality", _("丧失中华人民共和国国籍")
        CRIMINAL = "criminal", _("依照法律被剥夺政治权利")
        DEATH = "death", _("死亡")
        TERM_ENDED = "term_ended", _("届满")
        OTHER = "other", _("其他")

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="mandates"
    )
    term = models.ForeignKey(
        Term, verbose_name=_("届次"), on_delete=models.PROTECT, related_name="mandates"
    )
    kind = models.CharField(_("身份"), max_length=16, choices=Kind.choices, default=Kind.DEPUTY)
    delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("代表团/选区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mandates",
    )
    electoral_district = models.CharField(_("选区"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.SERVING
    )
    started_on = models.DateField(_("任职日期"))
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    end_reason = models.CharField(
        _("终止原因"), max_length=16, choices=EndReason.choices, blank=True
    )
    end_note = models.CharField(_("终止说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(fields=["person", "term"], name="mandate_one_per_person_term"),
            models.CheckConstraint(
                condition=Q(status="serving", ended_on__isnull=True)
                | (~Q(status="serving") & Q(ended_on__isnull=False) & ~Q(end_reason="")),
                name="mandate_end_fields_match_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} · {self.term} · {self.get_kind_display()}"

    @property
    def congress(self) -> Congress:
        return self.term.congress

    def clean(self) -> None:
        errors = {}
        if self.status == self.Status.SERVING:
            if self.ended_on or self.end_reason:
                errors["status"] = _("在任的任职不能填写终止日期或原因。")
        else:
            if not self.ended_on:
                errors["ended_on"] = _("请填写终止日期。")
            if not self.end_reason:
                errors["end_reason"] = _("请选择终止原因。")
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            errors["ended_on"] = _("终止日期不能早于任职日期。")
        if self.delegation is not None and self.term_id and self.delegation.term_id != self.term_id:
            errors["delegation"] = _("代表团/选区必须属于同一届次。")
        if errors:
            raise ValidationError(errors)


class BodyMembership(TimeStamped):
    """A person's seat in a body: the standing committee's members, a presidium (ORG-2)."""

    body = models.ForeignKey(
        Body, verbose_name=_("机构"), on_delete=models.PROTECT, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="body_seats"
    )
    position = models.CharField(
        _("职务"), max_length=50, help_text=_("如 主任、副主任、委员、主席、成员")
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("机构成员")
        verbose_name_plural = _("机构成员")
        ordering = ["body", "starts_on"]

    def __str__(self) -> str:
        return f"{self.body} · {self.person} · {self.position}"


class WorkPlan(TimeStamped):
    """年度代表工作计划 of the standing committee, kept and published (ORG-2, 代表法 §43)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已公布")

    congress = models.ForeignKey(
        Congress,
        verbose_name=_("人民代表大会"),
        on_delete=models.PROTECT,
        related_name="work_plans",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("内容"))
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度代表工作计划")
        verbose_name_plural = _("年度代表工作计划")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "year"], name="workplan_one_per_year")
        ]

    def __str__(self) -> str:
        return self.title


class Station(TreeNode, TimeStamped):
    """履职阵地: a liaison station of one of the ORG-4 types, in a tree."""

    class Kind(models.TextChoices):
        TOWNSHIP = "township", _("乡镇（街道）代表联络站")
        COUNTY_GENERAL = "county_general", _("代表联络总站")
        HOME = "home", _("代表之家")
        CONTACT_ROOM = "contact_room", _("代表联系群众工作室（联络点）")
        FARMHOUSE = "farmhouse", _("农家式联络点")
        INDUSTRY = "industry", _("产业（企业）代表联络站")
        SUPERVISION = "supervision", _("人大代表监督站")
        LEGISLATIVE = "legislative", _("基层立法联系点（信息采集点）")
        ONLINE = "online", _("网上联络站")

    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="stations"
    )
    congress = models.ForeignKey(
        Congress,
        verbose_name=_("主管人大"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stations",
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    opening_hours = models.CharField(
        _("开放时间"), max_length=200, blank=True, help_text=_("如 每周三上午9:00-12:00")
    )
    phone = models.CharField(_("站点电话"), max_length=30, blank=True)
    industry = models.CharField(_("服务产业"), max_length=100, blank=True)
    enterprises = models.TextField(_("联系企业"), blank=True)
    introduction = models.TextField(_("简介"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    public_key = models.CharField(
        _("公开标识"), max_length=32, unique=True, default=new_public_key, editable=False
    )

    class Meta:
        verbose_name = _("联络站")
        verbose_name_plural = _("联络站")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name


class StationStaff(TimeStamped):
    """站长, 副站长, 联络员 of a station (ORG-5, basic form)."""

    class Role(models.TextChoices):
        HEAD = "head", _("站长")
        DEPUTY_HEAD = "deputy_head", _("副站长")
        LIAISON = "liaison", _("联络员")

    station = models.ForeignKey(
        Station, verbose_name=_("联络站"), on_delete=models.CASCADE, related_name="staff"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="station_roles"
    )
    role = models.CharField(_("职务"), max_length=16, choices=Role.choices)
    starts_on = models.DateField(_("开始日期"), default=timezone.localdate)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("站点工作人员")
        verbose_name_plural = _("站点工作人员")
        ordering = ["station", "role"]

    def __str__(self) -> str:
        return f"{self.station} · {self.get_role_display()} · {self.person}"


class StationMembership(TimeStamped):
    """A deputy sitting in a station (ORG-7, basic form: 全员进站)."""

    station = models.ForeignKey(
        Station, verbose_name=_("联络站"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("代表"), on_delete=models.PROTECT, related_name="station_memberships"
    )
    starts_on = models.DateField(_("进站日期"), default=timezone.localdate)
    ends_on = models.DateField(_("离站日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("进站代表")
        verbose_name_plural = _("进站代表")
        ordering = ["station", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "person"],
                condition=Q(ends_on__isnull=True),
                name="membership_one_open_per_station",
            )
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.person}"


class HandlingUnit(TreeNode, TimeStamped):
    """承办单位: 一府一委两院, departments, window units, utilities, local governments (ORG-11)."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("人民政府")
        SUPERVISORY = "supervisory", _("监察委员会")
        COURT = "court", _("人民法院")
        PROCURATORATE = "procuratorate", _("人民检察院")
        DEPARTMENT = "department", _("政府部门")
        WINDOW = "window", _("窗口单位")
        UTILITY = "utility", _("国有公用企业")
        TOWNSHIP_GOVERNMENT = "township_gov", _("乡镇人民政府")
        STREET_OFFICE = "street_office", _("街道办事处")
        VILLAGE_COMMITTEE = "village", _("村民委员会")
        COMMUNITY_COMMITTEE = "community", _("社区居民委员会")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=120)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="units"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("办公电话"), max_length=30, blank=True)
    duties = models.TextField(_("职责范围"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name


class UnitContact(TimeStamped):
    """A unit's contact person, who logs in to handle cases (ORG-11)."""

    unit = models.ForeignKey(
        HandlingUnit, verbose_name=_("承办单位"), on_delete=models.CASCADE, related_name="contacts"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="unit_contacts"
    )
    position = models.CharField(_("职务"), max_length=60, blank=True)
    is_primary = models.BooleanField(_("主要联系人"), default=False)

    class Meta:
        verbose_name = _("单位联系人")
        verbose_name_plural = _("单位联系人")
        ordering = ["unit", "-is_primary"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "person"], name="unit_contact_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.person}"


class ImportJob(TimeStamped):
    """导入任务: one uploaded sheet, checked (dry run) and then imported as background work
    with progress (ORG-14). The sheet itself is kept encrypted until the job ends."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("检查中")
        REFUSED = "refused", _("检查未通过")
        CHECKED = "checked", _("检查通过，待确认")
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("导入失败")

    kind = models.CharField(_("导入内容"), max_length=32)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.CHECKING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    assignment_id_used = models.PositiveBigIntegerField(_("操作角色"), null=True, blank=True)
    filename = models.CharField(_("文件名"), max_length=200)
    content = EncryptedTextField(_("文件内容"))
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    rows_done = models.PositiveIntegerField(_("已处理行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    updated_count = models.PositiveIntegerField(_("更新"), default=0)
    unchanged_count = models.PositiveIntegerField(_("未变"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} · {self.get_status_display()}"
