"""The core directory: congresses, persons and mandates, stations, handling units.

ORG-2 (congresses, terms, sessions, bodies, work plans), ORG-3 (persons and mandates),
ORG-4/ORG-5 (stations with their staff), ORG-6 (standards and inspections), ORG-7 (deputies
in stations), ORG-8 (groups), ORG-9 (grids), ORG-10 (standing committee links), ORG-12 (experts),
ORG-11 (handling units and their contact persons), ORG-13 (public identities).
"""

from __future__ import annotations

from typing import Any

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
    """Who runs a station (ORG-5): 站长, 副站长, 联络员; the "双站长" model, where an industry
    station has one head from the congress and one from the host enterprise; special, legal and
    legislative advisers; 直报员 and 信息采集员 at grassroots legislative contact points."""

    class Role(models.TextChoices):
        HEAD = "head", _("站长")
        DEPUTY_HEAD = "deputy_head", _("副站长")
        LIAISON = "liaison", _("联络员")
        SPECIAL_ADVISER = "special_adviser", _("特邀指导员")
        LEGAL_ADVISER = "legal_adviser", _("法律顾问")
        LEGISLATIVE_ADVISER = "legislative_adviser", _("立法顾问")
        DIRECT_REPORTER = "direct_reporter", _("直报员")
        INFO_COLLECTOR = "info_collector", _("信息采集员")

    class Side(models.TextChoices):
        CONGRESS = "congress", _("人大方")
        HOST = "host", _("驻站单位（企业）方")

    # Roles that exist only at a grassroots legislative contact point (ORG-5).
    LEGISLATIVE_ONLY = frozenset({Role.DIRECT_REPORTER, Role.INFO_COLLECTOR})
    # Roles a host enterprise may fill in the 双站长 model (ORG-5).
    HOST_ROLES = frozenset({Role.HEAD, Role.DEPUTY_HEAD, Role.LIAISON})

    station = models.ForeignKey(
        Station, verbose_name=_("联络站"), on_delete=models.CASCADE, related_name="staff"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="station_roles"
    )
    role = models.CharField(_("职务"), max_length=24, choices=Role.choices)
    side = models.CharField(
        _("派出方"),
        max_length=10,
        choices=Side.choices,
        default=Side.CONGRESS,
        help_text=_("“双站长”模式下，企业（产业）联络站可由人大和驻站企业各出一名站长。"),
    )
    starts_on = models.DateField(_("开始日期"), default=timezone.localdate)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("站点工作人员")
        verbose_name_plural = _("站点工作人员")
        ordering = ["station", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "side"],
                condition=Q(role="head", ends_on__isnull=True),
                name="station_one_open_head_per_side",
                violation_error_message=_("该站点已有在任站长；请先为原站长填写结束日期。"),
            ),
            models.UniqueConstraint(
                fields=["station", "person", "role"],
                condition=Q(ends_on__isnull=True),
                name="station_staff_one_open_role",
                violation_error_message=_("此人已在本站担任该职务。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.get_role_display()} · {self.person}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        station = self.station if self.station_id else None
        if station is not None:
            if self.role in self.LEGISLATIVE_ONLY and station.kind != Station.Kind.LEGISLATIVE:
                errors["role"] = _("直报员和信息采集员只设在基层立法联系点（信息采集点）。")
            if self.side == self.Side.HOST:
                if station.kind not in (Station.Kind.INDUSTRY, Station.Kind.SUPERVISION):
                    errors["side"] = _(
                        "只有企业（产业）联络站和代表监督站实行“双站长”，由驻站单位派人。"
                    )
                elif self.role not in self.HOST_ROLES:
                    errors["side"] = _("驻站单位只能派出站长、副站长或联络员。")
        _check_period(self, errors)
        if errors:
            raise ValidationError(errors)


def _check_period(record: Any, errors: dict[str, Any]) -> None:
    """A membership's end lies on or after its start."""
    if record.ends_on and record.starts_on and record.ends_on < record.starts_on:
        errors["ends_on"] = _("结束日期不能早于开始日期。")


def _serving_mandates(person_id: int | None) -> models.QuerySet[Mandate]:
    if person_id is None:
        return Mandate.objects.none()
    return Mandate.objects.filter(
        person_id=person_id, status=Mandate.Status.SERVING
    ).select_related("term__congress__region")


def _same_branch(a: Region, b: Region) -> bool:
    """One region lies within the other (or they are the same)."""
    return a.path.startswith(b.path) or b.path.startswith(a.path)


class StationMembership(TimeStamped):
    """A deputy sitting in a station (ORG-7): "全员进站、混合编组" — every deputy of every level sits
    in one station of his own area; "双进站" — an industry deputy also sits in an industry
    station, wherever it is."""

    class Kind(models.TextChoices):
        HOME = "home", _("属地进站")
        DUAL = "dual", _("双进站（产业站）")

    DUAL_STATION_KINDS = frozenset({Station.Kind.INDUSTRY})

    station = models.ForeignKey(
        Station, verbose_name=_("联络站"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("代表"), on_delete=models.PROTECT, related_name="station_memberships"
    )
    kind = models.CharField(_("进站方式"), max_length=8, choices=Kind.choices, default=Kind.HOME)
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
                violation_error_message=_("该代表已在本站。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.person}"

    def clean(self) -> None:
        """ORG-7: the home station lies in the deputy's own area and is his only open one; a
        second station is an industry station (双进站)."""
        errors: dict[str, Any] = {}
        _check_period(self, errors)
        if not (self.station_id and self.person_id):
            if errors:
                raise ValidationError(errors)
            return
        station, person = self.station, self.person
        if self.kind == self.Kind.DUAL:
            if station.kind not in self.DUAL_STATION_KINDS:
                errors["kind"] = _("“双进站”只能进企业（产业）代表联络站。")
        elif self.ends_on is None:
            others = StationMembership.objects.filter(
                person_id=self.person_id, kind=self.Kind.HOME, ends_on__isnull=True
            ).exclude(pk=self.pk)
            other = others.select_related("station").first()
            if other is not None:
                errors["station"] = _(
                    "%(name)s 已在 %(station)s 属地进站；请先办理离站，或选择“双进站”进产业站。"
                ) % {"name": person.name, "station": other.station.name}
            elif person.region is not None and not _same_branch(station.region, person.region):
                errors["station"] = _(
                    "属地进站应进本人所在地区（%(region)s）的联络站；区外的产业站请选择“双进站”。"
                ) % {"region": person.region.name}
        if self.ends_on is None and not _serving_mandates(self.person_id).exists():
            errors["person"] = _("只有在任的代表才能进站。")
        if errors:
            raise ValidationError(errors)


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


# --- Deputy groups (ORG-8) --------------------------------------------------------------------


class DeputyGroup(TimeStamped):
    """代表小组 (ORG-8): by area (块), by profession (条), by industry chain (链); a mixed group
    takes deputies of several levels (市乡混合编组) whose congresses lie on its region's branch."""

    class Kind(models.TextChoices):
        AREA = "area", _("区域小组（块）")
        PROFESSION = "profession", _("专业小组（条）")
        CHAIN = "chain", _("特色（产业链）小组（链）")

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="deputy_groups"
    )
    congress = models.ForeignKey(
        Congress,
        verbose_name=_("组建人大"),
        on_delete=models.PROTECT,
        related_name="deputy_groups",
    )
    mixed_levels = models.BooleanField(
        _("混合编组"),
        default=False,
        help_text=_("勾选后可编入各级人大代表；不勾选时只编入本级人大代表。"),
    )
    field = models.CharField(
        _("专业领域或产业"), max_length=60, blank=True, help_text=_("如 财经预算、冷链物流")
    )
    station = models.ForeignKey(
        Station,
        verbose_name=_("活动阵地"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputy_groups",
    )
    description = models.TextField(_("简介"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("代表小组")
        verbose_name_plural = _("代表小组")
        ordering = ["region__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="deputy_group_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if (
            self.congress_id
            and self.region_id
            and not self.region.path.startswith(self.congress.region.path)
        ):
            errors["region"] = _("代表小组的区域应在组建人大的行政区域内。")
        if self.kind in (self.Kind.PROFESSION, self.Kind.CHAIN) and not self.field.strip():
            errors["field"] = _("专业小组和产业链小组请填写专业领域或产业。")
        if errors:
            raise ValidationError(errors)


class GroupMembership(TimeStamped):
    """A deputy in a group, as leader, vice-leader or member (ORG-8)."""

    class Position(models.TextChoices):
        LEADER = "leader", _("组长")
        VICE_LEADER = "vice_leader", _("副组长")
        MEMBER = "member", _("组员")

    group = models.ForeignKey(
        DeputyGroup,
        verbose_name=_("代表小组"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("代表"), on_delete=models.PROTECT, related_name="group_memberships"
    )
    position = models.CharField(
        _("职务"), max_length=12, choices=Position.choices, default=Position.MEMBER
    )
    starts_on = models.DateField(_("开始日期"), default=timezone.localdate)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("小组成员")
        verbose_name_plural = _("小组成员")
        ordering = ["group", "position", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person"],
                condition=Q(ends_on__isnull=True),
                name="group_one_open_membership",
                violation_error_message=_("该代表已在本小组。"),
            ),
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(position="leader", ends_on__isnull=True),
                name="group_one_open_leader",
                violation_error_message=_("本小组已有组长；请先为原组长填写结束日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.person}"

    def clean(self) -> None:
        """ORG-8: a serving deputy; of the group's own congress unless the group is mixed, and
        then of a congress on the group region's branch (市乡混合编组)."""
        errors: dict[str, Any] = {}
        _check_period(self, errors)
        if self.group_id and self.person_id and self.ends_on is None:
            group = self.group
            mandates = list(_serving_mandates(self.person_id))
            if not mandates:
                errors["person"] = _("只有在任的代表才能编入代表小组。")
            elif group.mixed_levels:
                if not any(_same_branch(m.term.congress.region, group.region) for m in mandates):
                    errors["person"] = _("该代表所在的人大不在本小组的区域内。")
            elif not any(m.term.congress_id == group.congress_id for m in mandates):
                errors["person"] = _("本小组不是混合编组，只能编入%(congress)s的代表。") % {
                    "congress": group.congress.name
                }
        if errors:
            raise ValidationError(errors)


# --- Grids (ORG-9) ----------------------------------------------------------------------------


class Grid(TimeStamped):
    """网格 (ORG-9): an area of a township or village, with a grid head, grid members and the
    deputies assigned to it (邻近编组、相对均衡)."""

    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey(
        Region,
        verbose_name=_("所在区域"),
        on_delete=models.PROTECT,
        related_name="grids",
        help_text=_("乡镇（街道）或村（社区）。"),
    )
    station = models.ForeignKey(
        Station,
        verbose_name=_("联络站"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grids",
    )
    boundary = models.CharField(_("网格范围"), max_length=200, blank=True)
    households = models.PositiveIntegerField(_("户数"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        ordering = ["region__path", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="grid_unique_name")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.region_id and self.region.level < Region.Level.TOWNSHIP:
            raise ValidationError({"region": _("网格应划在乡镇（街道）或村（社区）。")})


class GridMember(TimeStamped):
    """A grid head, a grid member, or a deputy assigned to a grid (ORG-9). Which deputies may be
    assigned by whom is an actor rule: ``directory.services.check_grid_assignment``."""

    class Role(models.TextChoices):
        HEAD = "head", _("网格长")
        MEMBER = "member", _("网格员")
        DEPUTY = "deputy", _("联系代表")

    grid = models.ForeignKey(
        Grid, verbose_name=_("网格"), on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="grid_roles"
    )
    role = models.CharField(_("身份"), max_length=8, choices=Role.choices)
    starts_on = models.DateField(_("开始日期"), default=timezone.localdate)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("网格人员")
        verbose_name_plural = _("网格人员")
        ordering = ["grid", "role", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["grid", "person"],
                condition=Q(ends_on__isnull=True),
                name="grid_one_open_role",
                violation_error_message=_("此人已在本网格。"),
            ),
            models.UniqueConstraint(
                fields=["grid"],
                condition=Q(role="head", ends_on__isnull=True),
                name="grid_one_open_head",
                violation_error_message=_("本网格已有网格长；请先为原网格长填写结束日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grid} · {self.get_role_display()} · {self.person}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        _check_period(self, errors)
        if (
            self.role == self.Role.DEPUTY
            and self.person_id
            and self.ends_on is None
            and not _serving_mandates(self.person_id).exists()
        ):
            errors["person"] = _("只有在任的代表才能编入网格联系群众。")
        if errors:
            raise ValidationError(errors)


# --- Standing committee members linking deputies (ORG-10) -------------------------------------


class CommitteeLink(TimeStamped):
    """常委会组成人员联系代表 (ORG-10): a member links 4–6 deputies and contacts each at least
    twice a year; the contacts themselves are activity records."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("人民代表大会"), on_delete=models.PROTECT, related_name="links"
    )
    member = models.ForeignKey(
        Person,
        verbose_name=_("常委会组成人员"),
        on_delete=models.PROTECT,
        related_name="links_as_member",
    )
    deputy = models.ForeignKey(
        Person, verbose_name=_("联系代表"), on_delete=models.PROTECT, related_name="links_as_deputy"
    )
    starts_on = models.DateField(_("开始日期"), default=timezone.localdate)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("常委会组成人员联系代表")
        verbose_name_plural = _("常委会组成人员联系代表")
        ordering = ["congress", "member__name", "deputy__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "deputy"],
                condition=Q(ends_on__isnull=True),
                name="committee_link_one_open",
                violation_error_message=_("已经建立了这一联系。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.deputy}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        _check_period(self, errors)
        if self.congress_id and self.member_id and self.ends_on is None:
            seated = BodyMembership.objects.filter(
                person_id=self.member_id,
                body__congress_id=self.congress_id,
                body__kind=Body.Kind.STANDING_COMMITTEE,
                ends_on__isnull=True,
            ).exists()
            if not seated:
                errors["member"] = _("请选择本级人大常委会的在任组成人员。")
        if self.member_id and self.member_id == self.deputy_id:
            errors["deputy"] = _("不能联系自己。")
        elif self.congress_id and self.deputy_id and self.ends_on is None:
            region = self.congress.region
            if not any(
                m.term.congress.region.path.startswith(region.path)
                for m in _serving_mandates(self.deputy_id)
            ):
                errors["deputy"] = _("请选择本行政区域内的在任代表。")
        if errors:
            raise ValidationError(errors)


# --- Expert pool (ORG-12) ---------------------------------------------------------------------


class Expert(TimeStamped):
    """专家库 (ORG-12): lawyers and experts by field, kept by a congress office for its area,
    assignable to stations (and activities), with their contributions recorded."""

    class Field(models.TextChoices):
        LAW = "law", _("法律")
        FINANCE = "finance", _("财政经济")
        PLANNING = "planning", _("城乡建设规划")
        ENVIRONMENT = "environment", _("生态环境")
        AGRICULTURE = "agriculture", _("农业农村")
        EDUCATION = "education", _("教育科技")
        HEALTH = "health", _("医疗卫生")
        SOCIAL = "social", _("社会保障")
        OTHER = "other", _("其他")

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="expert_entries"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="experts"
    )
    field = models.CharField(_("专业领域"), max_length=16, choices=Field.choices)
    organisation = models.CharField(_("工作单位"), max_length=120, blank=True)
    qualification = models.CharField(
        _("职称或执业资格"),
        max_length=120,
        blank=True,
        help_text=_("如 律师（执业证号）、高级工程师"),
    )
    expertise = models.CharField(_("擅长"), max_length=200, blank=True)
    is_active = models.BooleanField(_("在库"), default=True)

    class Meta:
        verbose_name = _("专家")
        verbose_name_plural = _("专家库")
        ordering = ["region__path", "field", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "person"], name="expert_one_per_region")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_field_display()}"


class ExpertAssignment(TimeStamped):
    """An expert assigned to a station (ORG-12)."""

    expert = models.ForeignKey(
        Expert, verbose_name=_("专家"), on_delete=models.CASCADE, related_name="assignments"
    )
    station = models.ForeignKey(
        Station, verbose_name=_("联络站"), on_delete=models.CASCADE, related_name="experts"
    )
    starts_on = models.DateField(_("开始日期"), default=timezone.localdate)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("专家进站")
        verbose_name_plural = _("专家进站")
        ordering = ["station", "expert__person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "station"],
                condition=Q(ends_on__isnull=True),
                name="expert_one_open_assignment",
                violation_error_message=_("该专家已派驻本站。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.expert.person}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        _check_period(self, errors)
        if self.expert_id and self.station_id:
            if not _same_branch(self.station.region, self.expert.region):
                errors["station"] = _("专家只能派到专家库所属区域内的联络站。")
            elif not self.expert.is_active and self.ends_on is None:
                errors["expert"] = _("该专家已出库，不能再派驻。")
        if errors:
            raise ValidationError(errors)


class ExpertContribution(TimeStamped):
    """What an expert did: a consultation, a mediation, a lecture, an opinion on a draft (ORG-12)."""

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("咨询解答")
        MEDIATION = "mediation", _("矛盾调解")
        LECTURE = "lecture", _("讲座培训")
        LEGISLATION = "legislation", _("立法意见")
        CASE = "case", _("参与意见办理")
        RESEARCH = "research", _("调研论证")
        OTHER = "other", _("其他")

    expert = models.ForeignKey(
        Expert, verbose_name=_("专家"), on_delete=models.PROTECT, related_name="contributions"
    )
    station = models.ForeignKey(
        Station,
        verbose_name=_("联络站"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_contributions",
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    happened_on = models.DateField(_("日期"))
    summary = models.TextField(_("内容"))
    people_served = models.PositiveIntegerField(_("服务人次"), null=True, blank=True)

    class Meta:
        verbose_name = _("专家履职记录")
        verbose_name_plural = _("专家履职记录")
        ordering = ["-happened_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.expert.person} · {self.get_kind_display()} · {self.happened_on}"

    def clean(self) -> None:
        if self.happened_on and self.happened_on > timezone.localdate():
            raise ValidationError({"happened_on": _("日期不能晚于今天。")})


# --- Station standards and inspections (ORG-6) ------------------------------------------------


class Checklist(TimeStamped):
    """阵地建设标准 (ORG-6): a configurable checklist, such as 长垣 "七有" or 郸城 "八有", set by
    a congress office for the stations of its area, against which inspections score them."""

    name = models.CharField(_("名称"), max_length=60, help_text=_("如 七有、八有"))
    region = models.ForeignKey(
        Region, verbose_name=_("适用区域"), on_delete=models.PROTECT, related_name="checklists"
    )
    station_kinds = models.JSONField(
        _("适用站点类型"),
        default=list,
        blank=True,
        help_text=_("不选表示适用于所有类型的站点。"),
    )
    pass_score = models.PositiveSmallIntegerField(
        _("达标分数"), default=60, help_text=_("检查得分达到此分数为达标。")
    )
    description = models.TextField(_("说明"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("阵地建设标准")
        verbose_name_plural = _("阵地建设标准")
        ordering = ["region__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="checklist_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        unknown = [k for k in self.station_kinds or [] if k not in Station.Kind.values]
        if unknown or not isinstance(self.station_kinds, list):
            raise ValidationError({"station_kinds": _("站点类型不正确。")})

    def applies_to(self, station: Station) -> bool:
        return (not self.station_kinds or station.kind in self.station_kinds) and (
            station.region.path.startswith(self.region.path)
        )


class ChecklistItem(TimeStamped):
    """One item of a checklist (e.g. 有标识), with its requirement and full score (ORG-6)."""

    checklist = models.ForeignKey(
        Checklist, verbose_name=_("阵地建设标准"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    title = models.CharField(_("项目"), max_length=60)
    requirement = models.TextField(_("要求"), blank=True)
    max_score = models.PositiveSmallIntegerField(_("分值"), default=10)

    class Meta:
        verbose_name = _("标准项目")
        verbose_name_plural = _("标准项目")
        ordering = ["checklist", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "title"], name="checklist_item_unique"),
            models.CheckConstraint(
                condition=Q(max_score__gt=0),
                name="checklist_item_score_gt_0",
                violation_error_message=_("分值应大于0。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.checklist} · {self.title}"


class Inspection(TimeStamped):
    """An inspection scoring a station against a checklist (ORG-6). Its scores copy each item's
    full score, so later edits of the checklist do not rewrite past results."""

    station = models.ForeignKey(
        Station, verbose_name=_("联络站"), on_delete=models.CASCADE, related_name="inspections"
    )
    checklist = models.ForeignKey(
        Checklist,
        verbose_name=_("阵地建设标准"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    inspected_on = models.DateField(_("检查日期"))
    inspectors = models.CharField(_("检查人员"), max_length=200)
    score = models.PositiveSmallIntegerField(_("得分"), default=0, editable=False)
    max_score = models.PositiveSmallIntegerField(_("满分"), default=0, editable=False)
    passed = models.BooleanField(_("达标"), default=False, editable=False)
    findings = models.TextField(_("发现的问题"), blank=True)
    rectification = models.TextField(_("整改要求"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("阵地检查")
        verbose_name_plural = _("阵地检查")
        ordering = ["-inspected_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.station} · {self.checklist} · {self.inspected_on}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.inspected_on and self.inspected_on > timezone.localdate():
            errors["inspected_on"] = _("检查日期不能晚于今天。")
        if self.station_id and self.checklist_id and not self.checklist.applies_to(self.station):
            errors["checklist"] = _("该标准不适用于这个联络站。")
        if errors:
            raise ValidationError(errors)


class InspectionScore(models.Model):
    """The score one item earned in one inspection (ORG-6)."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("阵地检查"), on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("标准项目"), on_delete=models.PROTECT, related_name="scores"
    )
    score = models.PositiveSmallIntegerField(_("得分"))
    max_score = models.PositiveSmallIntegerField(_("分值"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("检查得分")
        verbose_name_plural = _("检查得分")
        ordering = ["inspection", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="inspection_score_unique"),
            models.CheckConstraint(
                condition=Q(score__lte=models.F("max_score")),
                name="inspection_score_within_max",
                violation_error_message=_("得分不能超过分值。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.title}: {self.score}/{self.max_score}"
