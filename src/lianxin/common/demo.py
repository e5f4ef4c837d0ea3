"""The demo dataset: three counties of Henan with their congresses, deputies, stations,
handling units and an account for every role (issue 2 item 10); and the network around the
stations (issue 3 item 7): staffing in full with 双站长 and advisers, 双进站, deputy groups of
all three kinds, grids, standing committee links, the expert pool, checklists and inspections.
Every record satisfies its model's ``clean()`` (the demo's test checks it).

Idempotent: the whole plan is generated from a fixed seed, independent of what the database
holds, and every record is looked up by a natural key before it is made, so a second run
creates nothing. Bulk inserts keep ``make run`` quick.

All names, phone numbers and ID numbers are invented.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

from lianxin.accounts.models import Role, RoleAssignment, User
from lianxin.directory.models import (
    Body,
    BodyMembership,
    Checklist,
    ChecklistItem,
    CommitteeLink,
    Congress,
    Delegation,
    DeputyGroup,
    Expert,
    ExpertAssignment,
    ExpertContribution,
    Grid,
    GridMember,
    GroupMembership,
    HandlingUnit,
    Inspection,
    InspectionScore,
    Mandate,
    Person,
    Session,
    Station,
    StationMembership,
    StationStaff,
    Term,
    UnitContact,
    WorkPlan,
)
from lianxin.regions.models import Region

HOME, DUAL = StationMembership.Kind.HOME, StationMembership.Kind.DUAL
CONGRESS, HOST = StationStaff.Side.CONGRESS, StationStaff.Side.HOST
DEMO_PASSWORD = "Lianxin-demo-2026"  # noqa: S105 - published demo credential
SEED = 20261122

# (county code, area code of the phone numbers, townships: (name, kind, villages))
COUNTIES: list[tuple[str, str, list[tuple[str, str, list[str]]]]] = [
    (
        "410425",
        "0375",
        [
            ("城关镇", "镇", ["东关社区", "西关社区", "南街村"]),
            ("安良镇", "镇", ["安良村", "马湾村", "庙湾村"]),
            ("堂街镇", "镇", ["堂街村", "临沣寨村"]),
            ("薛店镇", "镇", ["薛店村", "冢王村"]),
        ],
    ),
    (
        "410928",
        "0393",
        [
            ("城关镇", "镇", ["东街社区", "西街社区"]),
            ("庆祖镇", "镇", ["西庆祖村", "东庆祖村", "后庄村"]),
            ("柳屯镇", "镇", ["柳屯村", "南街村"]),
            ("文留镇", "镇", ["文留村", "后张村"]),
        ],
    ),
    (
        "411323",
        "0377",
        [
            ("白羽街道", "街道", ["城东社区", "城西社区"]),
            ("丁河镇", "镇", ["丁河村", "木寨村", "奎文村"]),
            ("回车镇", "镇", ["回车村", "西坪村"]),
            ("双龙镇", "镇", ["双龙村", "化山村"]),
        ],
    ),
]

# County congresses elected in autumn 2021; townships at the same time.
TERM_START = datetime.date(2021, 10, 1)
SESSION_DATES = [
    datetime.date(2021, 10, 12),
    datetime.date(2022, 1, 18),
    datetime.date(2023, 1, 10),
    datetime.date(2024, 1, 16),
    datetime.date(2025, 1, 14),
]
DEPARTMENTS = [
    ("住房和城乡建设局", "住建局"),
    ("交通运输局", "交通局"),
    ("农业农村局", "农业农村局"),
    ("教育局", "教育局"),
    ("卫生健康委员会", "卫健委"),
    ("自然资源局", "自然资源局"),
    ("人力资源和社会保障局", "人社局"),
    ("市场监督管理局", "市场监管局"),
]
WINDOWS = ["不动产登记窗口", "社保医保窗口", "户籍办理窗口", "企业开办窗口"]
COUNTY_BODIES = [
    (Body.Kind.STANDING_COMMITTEE, "常务委员会", "本级人民代表大会的常设机关。"),
    (Body.Kind.CHAIRMEN_COUNCIL, "主任会议", "处理常务委员会的重要日常工作。"),
    (Body.Kind.WORKING_BODY, "代表工作委员会", "联系代表、代表建议督办、代表履职服务。"),
    (Body.Kind.WORKING_BODY, "选举任免联络工作委员会", "选举、任免和代表资格审查。"),
    (Body.Kind.WORKING_BODY, "法制工作委员会", "规范性文件备案审查、立法意见征集。"),
    (Body.Kind.WORKING_BODY, "财政经济工作委员会", "预算决算审查和经济工作监督。"),
    (Body.Kind.WORKING_BODY, "教育科学文化卫生工作委员会", "教科文卫工作监督。"),
    (Body.Kind.WORKING_BODY, "城乡建设环境保护工作委员会", "城建环保工作监督。"),
    (Body.Kind.WORKING_BODY, "农业农村工作委员会", "农业农村工作监督。"),
    (Body.Kind.WORKING_BODY, "办公室", "常务委员会日常事务。"),
]

SURNAMES = (
    "王王王李李李张张张刘刘陈陈杨杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许"
    "傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦"
    "江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文牛"
)
MALE_CHARS = "国建军志明海伟强永红文华平东庆学春光新宏振洪德中保卫兴福林峰涛亮磊鹏辉斌浩俊"
FEMALE_CHARS = "秀丽英敏静芳玉兰霞燕娟艳萍红梅玲凤琳雪桂娜晓慧颖洁莉婷倩丹"
SECTORS = ["农业", "工业", "教育", "医疗卫生", "个体工商", "社区服务", "机关", "科技", "交通物流"]
PARTIES = ["中共党员"] * 5 + ["群众"] * 3 + ["民盟盟员", "九三学社社员"]
ETHNICITIES = ["汉族"] * 18 + ["回族", "满族"]
FARM_TITLES = [
    ("党支部书记、村委会主任", "村民委员会"),
    ("理事长", "种植专业合作社"),
    ("乡村医生", "村卫生室"),
    ("教师", "中心小学"),
    ("养殖户", ""),
    ("个体工商户", ""),
    ("场主", "家庭农场"),
]


@dataclass
class PersonSpec:
    name: str
    region: str  # region key
    gender: str
    work_unit: str = ""
    title: str = ""
    sector: str = ""
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class AccountSpec:
    username: str
    label: str
    person: str | None
    roles: list[tuple[str, str | None, str]]  # (role, organisation key, title)


@dataclass
class Plan:
    """Everything the demo makes, keyed by natural keys (names and codes)."""

    persons: dict[str, PersonSpec] = field(default_factory=dict)
    # (person, term key, kind, delegation key or "", district, status, ended_on, reason)
    mandates: list[tuple[str, str, str, str, str, str, datetime.date | None, str]] = field(
        default_factory=list
    )
    # (station, person, ended_on, kind: 属地进站 or 双进站)
    memberships: list[tuple[str, str, datetime.date | None, str]] = field(default_factory=list)
    # (station, person, role, side: 人大方 or 驻站单位方 for 双站长)
    staff: list[tuple[str, str, str, str]] = field(default_factory=list)
    seats: list[tuple[str, str, str]] = field(default_factory=list)
    contacts: list[tuple[str, str, str, bool]] = field(default_factory=list)
    accounts: list[AccountSpec] = field(default_factory=list)
    # What the network plan (ORG-5..10, ORG-12) needs to know of each county.
    counties: list[CountyPlan] = field(default_factory=list)
    township_deputies: dict[str, list[str]] = field(default_factory=dict)
    local_deputies: dict[str, list[str]] = field(default_factory=dict)  # county deputies
    # (key, name, kind, region, congress, mixed, field, station) and (group, person, position)
    groups: list[tuple[str, str, str, str, str, bool, str, str]] = field(default_factory=list)
    group_members: list[tuple[str, str, str]] = field(default_factory=list)
    grids: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # key, name, region, station
    grid_members: list[tuple[str, str, str]] = field(default_factory=list)
    links: list[tuple[str, str, str]] = field(default_factory=list)  # congress, member, deputy
    # (region, person, field, organisation, qualification, expertise)
    experts: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)
    expert_stations: list[tuple[str, str, str]] = field(default_factory=list)
    # (region, person, station, kind, day, summary, people served)
    contributions: list[tuple[str, str, str, str, datetime.date, str, int]] = field(
        default_factory=list
    )
    # (key, region, name, station kinds, pass score, items: (title, requirement))
    checklists: list[tuple[str, str, str, list[str], int, list[tuple[str, str]]]] = field(
        default_factory=list
    )
    # (checklist, station, day, inspectors, scores, findings, rectification)
    inspections: list[tuple[str, str, datetime.date, str, list[int], str, str]] = field(
        default_factory=list
    )


@dataclass
class CountyPlan:
    key: str
    name: str
    townships: list[tuple[str, str, list[str]]]  # (township key, kind, village names)
    committee: list[str]  # standing committee members other than the chair
    deputies: list[str]  # county deputies, by township
    host: str  # the township where higher-level deputies sit
    higher: list[str]  # the provincial and the municipal deputy


class _Names:
    """Plausible, unique, deterministic Chinese names."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def make(self, gender: str) -> str:
        chars = MALE_CHARS if gender == "M" else FEMALE_CHARS
        while True:
            given = self.rng.choice(chars)
            if self.rng.random() < 0.75:
                given += self.rng.choice(chars + MALE_CHARS)
            name = self.rng.choice(SURNAMES) + given
            if name not in self.used:
                self.used.add(name)
                return name


def _id_number(rng: random.Random, region_code: str, gender: str) -> str:
    """A fake 18-digit resident ID with a valid GB 11643 check digit."""
    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 40))
    seq = rng.randrange(0, 499) * 2 + (1 if gender == "M" else 0)
    body = f"{region_code[:6]}{birth:%Y%m%d}{seq:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


class _Builder:
    def __init__(self) -> None:
        self.created = 0
        self.regions: dict[str, Region] = {}
        self.congresses: dict[str, Congress] = {}
        self.terms: dict[str, Term] = {}
        self.bodies: dict[str, Body] = {}
        self.delegations: dict[str, Delegation] = {}
        self.stations: dict[str, Station] = {}
        self.units: dict[str, HandlingUnit] = {}
        self.persons: dict[str, Person] = {}

    def get_or_create(self, model: type[Any], defaults: dict[str, Any], **lookup: Any) -> Any:
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **defaults)
            obj.save()
            self.created += 1
        return obj

    # --- structure -----------------------------------------------------------------------

    def region(self, key: str, parent: Region, code: str, name: str, kind: str, level: int) -> None:
        self.regions[key] = self.get_or_create(
            Region,
            {"code": code, "code_is_local": True, "kind": kind, "level": level},
            parent=parent,
            name=name,
        )

    def congress(self, key: str, region: Region, level: int, term_number: int) -> Congress:
        congress = self.get_or_create(
            Congress, {"name": f"{region.name}人民代表大会"}, region=region, level=level
        )
        self.congresses[key] = congress
        self.terms[key] = self.get_or_create(
            Term,
            {"starts_on": TERM_START, "is_current": True},
            congress=congress,
            number=term_number,
        )
        return congress

    def station(self, key: str, parent: str | None, **fields: Any) -> Station:
        name, region = fields.pop("name"), fields.pop("region")
        station = self.get_or_create(
            Station,
            {"parent": self.stations[parent] if parent else None, **fields},
            name=name,
            region=region,
        )
        self.stations[key] = station
        return station

    def unit(self, key: str, parent: str | None, **fields: Any) -> HandlingUnit:
        name, region = fields.pop("name"), fields.pop("region")
        unit = self.get_or_create(
            HandlingUnit,
            {"parent": self.units[parent] if parent else None, **fields},
            name=name,
            region=region,
        )
        self.units[key] = unit
        return unit


def _plan_and_build(b: _Builder) -> Plan:
    """Builds the structure (few rows, saved one by one: tree paths) and plans the people."""
    rng = random.Random(SEED)  # noqa: S311 - invented demo data, reproducible on purpose
    names = _Names(rng)
    plan = Plan()

    def person(
        region: str, *, gender: str | None = None, work_unit: str = "", title: str = ""
    ) -> str:
        gender = gender or ("M" if rng.random() < 0.68 else "F")
        name = names.make(gender)
        if not work_unit:
            title, unit = rng.choice(FARM_TITLES)
            work_unit = f"{b.regions[region].name}{unit}" if unit else ""
        code = b.regions[region].code
        plan.persons[name] = PersonSpec(
            name=name,
            region=region,
            gender=gender,
            work_unit=work_unit,
            title=title,
            sector=rng.choice(SECTORS),
            fields={
                "ethnicity": rng.choice(ETHNICITIES),
                "party": rng.choice(PARTIES),
                "phone": f"13{rng.randrange(0, 10)}{rng.randrange(0, 10**8):08d}",
                "id_number": _id_number(rng, code[:6], gender),
            },
        )
        return name

    def serve(
        who: str,
        term: str,
        *,
        kind: str = Mandate.Kind.DEPUTY,
        delegation: str = "",
        district: str = "",
        status: str = Mandate.Status.SERVING,
        ended_on: datetime.date | None = None,
        reason: str = "",
    ) -> None:
        plan.mandates.append((who, term, kind, delegation, district, status, ended_on, reason))

    henan = Region.objects.get(code="41")
    b.congress("41", henan, Congress.Level.PROVINCE, 14)

    for county_code, area, townships in COUNTIES:
        county = Region.objects.get(code=county_code)
        city = Region.objects.get(children=county)
        ck = county_code
        b.regions[ck] = county
        b.congress(city.code, city, Congress.Level.CITY, 11)
        county_congress = b.congress(ck, county, Congress.Level.COUNTY, 18)
        term = b.terms[ck]
        for number, day in enumerate(SESSION_DATES, start=1):
            b.get_or_create(
                Session,
                {
                    "starts_on": day,
                    "ends_on": day + datetime.timedelta(days=3),
                    "place": f"{county.name}人民会堂",
                },
                term=term,
                number=number,
            )
        for kind, body_name, duties in COUNTY_BODIES:
            b.bodies[f"{ck}:{body_name}"] = b.get_or_create(
                Body,
                {"kind": kind, "duties": duties},
                congress=county_congress,
                term=term,
                name=body_name,
            )
        b.get_or_create(
            WorkPlan,
            {
                "title": f"{county.name}人大常委会2026年度代表工作计划",
                "content": (
                    "一、密切常委会同代表的联系，每名常委会组成人员联系4至6名代表。\n"
                    "二、推进代表联络站规范化建设，落实代表进站接待选民制度。\n"
                    "三、加强代表建议督办，提高办理质量和代表满意度。\n"
                    "四、组织代表开展专题调研、视察和履职培训。"
                ),
                "status": WorkPlan.Status.PUBLISHED,
                "published_at": datetime.datetime(2026, 1, 20, 1, 0, tzinfo=datetime.UTC),
            },
            congress=county_congress,
            year=2026,
        )
        is_puyang = county_code == "410928"

        # Townships and villages (ORG-1), township congresses (streets have none).
        for t_index, (t_name, t_kind, villages) in enumerate(townships, start=1):
            tk = f"{ck}:{t_name}"
            b.region(tk, county, f"{ck}D{t_index:02d}", t_name, t_kind, Region.Level.TOWNSHIP)
            for v_index, v_name in enumerate(villages, start=1):
                v_kind = "社区" if v_name.endswith("社区") else "村"
                b.region(
                    f"{tk}:{v_name}",
                    b.regions[tk],
                    f"{ck}D{t_index:02d}{v_index:02d}",
                    v_name,
                    v_kind,
                    Region.Level.VILLAGE,
                )
            if t_kind == "镇":
                congress = b.congress(tk, b.regions[tk], Congress.Level.TOWNSHIP, 18)
                b.bodies[f"{tk}:主席团"] = b.get_or_create(
                    Body,
                    {"kind": Body.Kind.PRESIDIUM, "duties": "闭会期间联系代表、组织代表活动。"},
                    congress=congress,
                    term=b.terms[tk],
                    name="主席团",
                )
                for number, day in enumerate(SESSION_DATES[:4], start=1):
                    b.get_or_create(
                        Session,
                        {"starts_on": day, "ends_on": day, "place": f"{t_name}人民政府会议室"},
                        term=b.terms[tk],
                        number=number,
                    )
            if is_puyang:
                b.delegations[f"{ck}:{t_name}代表团"] = b.get_or_create(
                    Delegation,
                    {"region": b.regions[tk]},
                    term=term,
                    name=f"{t_name}代表团",
                )
        if is_puyang:
            for extra in ("县直机关代表团", "产业集聚区代表团"):
                b.delegations[f"{ck}:{extra}"] = b.get_or_create(
                    Delegation, {"region": county}, term=term, name=extra
                )

        # Stations (ORG-4): the county general station, township stations, village rooms.
        seat = townships[0][0]
        b.station(
            f"{ck}:总站",
            None,
            name=f"{county.name}人大代表联络总站",
            kind=Station.Kind.COUNTY_GENERAL,
            region=county,
            congress=county_congress,
            address=f"{county.name}{seat}人民路88号县人大常委会一楼",
            opening_hours="工作日 8:30-12:00，14:30-17:30",
            phone=f"{area}-{rng.randrange(5000000, 5999999)}",
            introduction="统筹全县代表联络站建设，组织代表进站履职。",
        )
        for t_name, _t_kind, villages in townships:
            tk = f"{ck}:{t_name}"
            b.station(
                tk,
                f"{ck}:总站",
                name=f"{t_name}人大代表联络站",
                kind=Station.Kind.TOWNSHIP,
                region=b.regions[tk],
                congress=b.congresses.get(tk, county_congress),
                address=f"{county.name}{t_name}人民政府院内",
                opening_hours=rng.choice(["每周三上午 8:30-12:00", "每月5日、15日全天"]),
                phone=f"{area}-{rng.randrange(5000000, 5999999)}",
            )
            for v_name in villages:
                vk = f"{tk}:{v_name}"
                b.station(
                    vk,
                    tk,
                    name=f"{v_name}代表联系群众工作室",
                    kind=Station.Kind.CONTACT_ROOM,
                    region=b.regions[vk],
                    address=f"{t_name}{v_name}党群服务中心",
                    opening_hours="每月第一个周三上午",
                )
        seat_key = f"{ck}:{seat}"
        b.station(
            f"{ck}:之家",
            seat_key,
            name=f"{seat}代表之家",
            kind=Station.Kind.HOME,
            region=b.regions[seat_key],
            address=f"{county.name}{seat}文化路12号",
            opening_hours="每周二、周四下午 14:30-17:30",
        )

        # Handling units (ORG-11).
        b.unit(
            f"{ck}:政府",
            None,
            name=f"{county.name}人民政府",
            short_name="县政府",
            kind=HandlingUnit.Kind.GOVERNMENT,
            region=county,
            phone=f"{area}-{rng.randrange(6000000, 6999999)}",
        )
        for full, short in DEPARTMENTS:
            b.unit(
                f"{ck}:{short}",
                f"{ck}:政府",
                name=f"{county.name}{full}",
                short_name=short,
                kind=HandlingUnit.Kind.DEPARTMENT,
                region=county,
                phone=f"{area}-{rng.randrange(6000000, 6999999)}",
            )
        b.unit(
            f"{ck}:政务服务中心",
            f"{ck}:政府",
            name=f"{county.name}政务服务中心",
            short_name="政务服务中心",
            kind=HandlingUnit.Kind.DEPARTMENT,
            region=county,
            address=f"{county.name}{seat}行政服务大厦",
        )
        for window in WINDOWS:
            b.unit(
                f"{ck}:{window}",
                f"{ck}:政务服务中心",
                name=f"{county.name}政务服务中心{window}",
                short_name=window,
                kind=HandlingUnit.Kind.WINDOW,
                region=county,
            )
        for unit_kind, name in [
            (HandlingUnit.Kind.SUPERVISORY, "监察委员会"),
            (HandlingUnit.Kind.COURT, "人民法院"),
            (HandlingUnit.Kind.PROCURATORATE, "人民检察院"),
        ]:
            b.unit(f"{ck}:{name}", None, name=f"{county.name}{name}", kind=unit_kind, region=county)
        b.unit(
            f"{ck}:供电公司",
            None,
            name=f"国网{county.name}供电公司",
            short_name="供电公司",
            kind=HandlingUnit.Kind.UTILITY,
            region=county,
            phone="95598",
        )
        b.unit(
            f"{ck}:自来水公司",
            None,
            name=f"{county.name}自来水公司",
            short_name="自来水公司",
            kind=HandlingUnit.Kind.UTILITY,
            region=county,
        )
        for t_name, t_kind, villages in townships:
            tk = f"{ck}:{t_name}"
            street = t_kind == "街道"
            b.unit(
                tk,
                None,
                name=f"{t_name}办事处" if street else f"{t_name}人民政府",
                kind=HandlingUnit.Kind.STREET_OFFICE
                if street
                else HandlingUnit.Kind.TOWNSHIP_GOVERNMENT,
                region=b.regions[tk],
            )
            for v_name in villages:
                community = v_name.endswith("社区")
                b.unit(
                    f"{tk}:{v_name}",
                    tk,
                    name=f"{v_name}{'居民委员会' if community else '村民委员会'}",
                    kind=HandlingUnit.Kind.COMMUNITY_COMMITTEE
                    if community
                    else HandlingUnit.Kind.VILLAGE_COMMITTEE,
                    region=b.regions[f"{tk}:{v_name}"],
                )

        # People: the standing committee, county and township deputies, 议政代表, staff.
        county_office = f"{county.name}人大常委会"
        chair = person(ck, work_unit=county_office, title="主任")
        plan.seats += [(f"{ck}:常务委员会", chair, "主任"), (f"{ck}:主任会议", chair, "主任")]
        serve(chair, ck, delegation=f"{ck}:县直机关代表团" if is_puyang else "")
        vice_chairs = [person(ck, work_unit=county_office, title="副主任") for _ in range(3)]
        committee = list(vice_chairs)  # who link deputies (ORG-10)
        for vice in vice_chairs:
            plan.seats += [(f"{ck}:常务委员会", vice, "副主任"), (f"{ck}:主任会议", vice, "副主任")]
            serve(vice, ck, delegation=f"{ck}:县直机关代表团" if is_puyang else "")
        for body_name in ("代表工作委员会", "选举任免联络工作委员会", "法制工作委员会"):
            head = person(ck, work_unit=f"{county_office}{body_name}", title="主任")
            committee.append(head)
            plan.seats += [(f"{ck}:常务委员会", head, "委员"), (f"{ck}:{body_name}", head, "主任")]
            serve(head, ck, delegation=f"{ck}:县直机关代表团" if is_puyang else "")
            if body_name == "代表工作委员会":
                plan.staff.append((f"{ck}:总站", head, StationStaff.Role.HEAD, CONGRESS))
        for _ in range(5):
            member = person(ck)
            committee.append(member)
            plan.seats.append((f"{ck}:常务委员会", member, "委员"))
            serve(member, ck, delegation=f"{ck}:县直机关代表团" if is_puyang else "")
        liaison = person(ck, work_unit=f"{county_office}代表工作委员会", title="科员")
        plan.staff.append((f"{ck}:总站", liaison, StationStaff.Role.LIAISON, CONGRESS))

        county_deputies: list[str] = []
        for t_name, t_kind, villages in townships:
            tk = f"{ck}:{t_name}"
            own_county: list[str] = []
            for n in range(10 if is_puyang else 8):
                who = person(tk)
                serve(
                    who,
                    ck,
                    delegation=f"{ck}:{t_name}代表团" if is_puyang else "",
                    district="" if is_puyang else f"{t_name}第{n // 3 + 1}选区",
                )
                plan.memberships.append((tk, who, None, HOME))
                own_county.append(who)
            county_deputies += own_county
            plan.local_deputies[tk] = own_county
            if t_kind != "镇":
                contact = person(tk, work_unit=f"{t_name}办事处", title="党政办主任")
                plan.contacts.append((tk, contact, "党政办主任", True))
                clerk = person(tk, work_unit=f"{t_name}办事处", title="人大工委干事")
                plan.staff.append((tk, clerk, StationStaff.Role.LIAISON, CONGRESS))
                continue
            # Township deputies: two county deputies also hold a township mandate (五级代表).
            township_deputies = own_county[:2]
            president = person(tk, work_unit=f"{t_name}人大主席团", title="人大主席")
            vice = person(tk, work_unit=f"{t_name}人大主席团", title="人大副主席")
            township_deputies = [president, vice, *township_deputies]
            for _ in range(8):
                township_deputies.append(person(tk))
            plan.township_deputies[tk] = township_deputies
            for index, who in enumerate(township_deputies):
                village = villages[index % len(villages)]
                serve(who, tk, district=f"{village}选区")
                if who not in own_county:
                    plan.memberships.append((f"{tk}:{village}", who, None, HOME))
            plan.seats += [
                (f"{tk}:主席团", president, "主席"),
                (f"{tk}:主席团", vice, "副主席"),
                *[(f"{tk}:主席团", who, "成员") for who in township_deputies[2:5]],
            ]
            plan.staff += [
                (tk, president, StationStaff.Role.HEAD, CONGRESS),
                (tk, vice, StationStaff.Role.DEPUTY_HEAD, CONGRESS),
            ]
            clerk = person(tk, work_unit=f"{t_name}人大主席团", title="人大干事")
            plan.staff.append((tk, clerk, StationStaff.Role.LIAISON, CONGRESS))
            for index, village in enumerate(villages):
                room_keeper = township_deputies[5 + index % 6]
                plan.staff.append(
                    (f"{tk}:{village}", room_keeper, StationStaff.Role.LIAISON, CONGRESS)
                )
            contact = person(tk, work_unit=f"{t_name}人民政府", title="党政办主任")
            plan.contacts.append((tk, contact, "党政办主任", True))

        # Unit contacts of the departments, the service hall and the utilities.
        for full, short in [*DEPARTMENTS, ("政务服务中心", "政务服务中心")]:
            contact = person(ck, work_unit=f"{county.name}{full}", title="办公室主任")
            plan.contacts.append((f"{ck}:{short}", contact, "办公室主任", True))
        for utility in ("供电公司", "自来水公司"):
            contact = person(ck, work_unit=b.units[f"{ck}:{utility}"].name, title="客服部经理")
            plan.contacts.append((f"{ck}:{utility}", contact, "客服部经理", True))

        # 议政代表 (non-deputy participants; Xixia has many).
        for _ in range(6 if county_code == "411323" else 2):
            t_name = rng.choice([t[0] for t in townships])
            who = person(f"{ck}:{t_name}")
            serve(who, ck, kind=Mandate.Kind.PARTICIPANT)
            plan.memberships.append((f"{ck}:{t_name}", who, None, HOME))

        # Higher-level deputies sitting in a township station (全员进站).
        host = f"{ck}:{townships[1][0]}"
        provincial = person(host, work_unit=f"{county.name}某农业开发有限公司", title="董事长")
        serve(provincial, "41")
        plan.memberships.append((host, provincial, None, HOME))
        municipal = person(host, work_unit=f"{b.regions[host].name}中心卫生院", title="院长")
        serve(municipal, city.code)
        serve(municipal, ck, delegation=f"{host}代表团" if is_puyang else "")
        plan.memberships.append((host, municipal, None, HOME))

        # The county's home (代表之家) is the home station of four of the seat town's county
        # deputies (one home station each, ORG-7).
        for who in county_deputies[:4]:
            _move_home(plan, who, f"{ck}:之家")

        # Type-specific stations of each county (every ORG-4 type appears in the demo).
        if county_code == "410425":
            b.station(
                f"{ck}:产业",
                f"{ck}:总站",
                name="郏县红牛产业代表联络站",
                kind=Station.Kind.INDUSTRY,
                region=b.regions[f"{ck}:薛店镇"],
                address="郏县薛店镇红牛产业园综合楼",
                opening_hours="每周五上午 9:00-11:30",
                industry="郏县红牛养殖与肉制品加工",
                enterprises="郏县红牛养殖专业合作社联合社\n郏县某牧业有限公司",
            )
            b.station(
                f"{ck}:立法",
                f"{ck}:总站",
                name="郏县人大常委会基层立法联系点",
                kind=Station.Kind.LEGISLATIVE,
                region=b.regions[f"{ck}:堂街镇"],
                address="郏县堂街镇临沣寨村党群服务中心",
                opening_hours="法规草案征求意见期间每周三",
            )
            for who in county_deputies[8:11] + county_deputies[24:26]:
                plan.memberships.append((f"{ck}:产业", who, None, DUAL))
        if is_puyang:
            b.station(
                f"{ck}:监督站",
                f"{ck}:总站",
                name="濮阳县人大代表监督站",
                kind=Station.Kind.SUPERVISION,
                region=county,
                congress=county_congress,
                address="濮阳县政务服务中心一楼东侧",
                opening_hours="工作日 9:00-12:00，每天2名代表轮值",
                phone=f"{area}-{rng.randrange(5000000, 5999999)}",
                introduction="代表在政务服务大厅轮流值班，现场监督窗口服务，收集办事群众意见。",
            )
            # Deputies on duty in the service hall sit there as their home station.
            for who in county_deputies[5::5]:
                _move_home(plan, who, f"{ck}:监督站")
            b.station(
                f"{ck}:产业",
                f"{ck}:总站",
                name="濮阳县产业集聚区企业代表联络站",
                kind=Station.Kind.INDUSTRY,
                region=b.regions[f"{ck}:柳屯镇"],
                address="濮阳县产业集聚区管委会二楼",
                opening_hours="每月10日全天",
                industry="化工新材料、装备制造",
            )
            for who in county_deputies[12:15]:
                plan.memberships.append((f"{ck}:产业", who, None, DUAL))
        if county_code == "411323":
            b.station(
                f"{ck}:产业",
                f"{ck}:总站",
                name="西峡县香菇产业代表联络站",
                kind=Station.Kind.INDUSTRY,
                region=b.regions[f"{ck}:双龙镇"],
                address="西峡县双龙镇香菇交易市场服务中心",
                opening_hours="每周一上午 8:30-11:30",
                industry="香菇种植、加工与出口",
                enterprises="西峡县香菇专业合作社\n西峡县某食品有限公司",
            )
            for who in county_deputies[24:28]:
                plan.memberships.append((f"{ck}:产业", who, None, DUAL))
            farmer = county_deputies[9]
            b.station(
                f"{ck}:农家",
                f"{ck}:丁河镇",
                name=f"木寨村农家式联络点（{farmer}家）",
                kind=Station.Kind.FARMHOUSE,
                region=b.regions[f"{ck}:丁河镇:木寨村"],
                address="西峡县丁河镇木寨村三组",
                opening_hours="农闲时每天傍晚",
            )
            _move_home(plan, farmer, f"{ck}:农家")
            b.station(
                f"{ck}:网上",
                f"{ck}:总站",
                name="西峡县网上代表联络站",
                kind=Station.Kind.ONLINE,
                region=county,
                opening_hours="全天候",
                introduction="群众可随时在线向代表反映意见建议。",
            )

        # Terminated mandates, with their reasons (ORG-3).
        if county_code == "410425":
            gone = county_deputies[7]
            _end(plan, gone, ck, datetime.date(2024, 5, 10), Mandate.EndReason.MOVED)
        if county_code == "411323":
            gone = county_deputies[-1]
            _end(plan, gone, ck, datetime.date(2023, 8, 1), Mandate.EndReason.RESIGNATION)

        # Public contact channel: the station's phone, never a deputy's own number.
        for who in county_deputies:
            spec = plan.persons[who]
            station = b.stations[spec.region]
            plan.persons[who].fields["public_phone"] = station.phone
        plan.counties.append(
            CountyPlan(
                key=ck,
                name=county.name,
                townships=[(f"{ck}:{t}", kind, villages) for t, kind, villages in townships],
                committee=committee,
                deputies=county_deputies,
                host=host,
                higher=[provincial, municipal],
            )
        )

    # Drawn after every county, so that the people above keep their names and numbers.
    for county_plan in plan.counties:
        _plan_network(b, plan, county_plan, rng, person, serve)
    _plan_accounts(plan)
    return plan


def _end(plan: Plan, who: str, term: str, day: datetime.date, reason: str) -> None:
    """Ends a planned mandate (and the deputy's station seats) on ``day`` for ``reason``."""
    resigned = reason == Mandate.EndReason.RESIGNATION
    status = Mandate.Status.RESIGNED if resigned else Mandate.Status.TERMINATED
    for index, mandate in enumerate(plan.mandates):
        if mandate[:2] == (who, term):
            plan.mandates[index] = (*mandate[:5], status, day, reason)
    plan.memberships = [
        (s, p, day, k) if p == who else (s, p, e, k) for s, p, e, k in plan.memberships
    ]


def _move_home(plan: Plan, who: str, station: str) -> None:
    """Makes ``station`` the deputy's one home station (ORG-7)."""
    plan.memberships = [m for m in plan.memberships if not (m[1] == who and m[3] == HOME)]
    plan.memberships.append((station, who, None, HOME))


# --- The network around the stations (ORG-5..10, ORG-12) --------------------------------------

ENTERPRISES = {
    "410425": "郏县某牧业有限公司",
    "410928": "濮阳县某新材料有限公司",
    "411323": "西峡县某食品有限公司",
}
CHAINS = {
    "410425": ("郏县红牛产业链代表小组", "红牛养殖与肉制品加工"),
    "410928": ("濮阳县化工新材料产业链代表小组", "化工新材料"),
    "411323": ("西峡县香菇产业链代表小组", "香菇种植与出口"),
}
PROFESSIONS = [
    ("财政经济专业代表小组", "财经预算"),
    ("城建环保专业代表小组", "城建环保"),
    ("教科文卫专业代表小组", "教科文卫"),
]
# (field, organisation, qualification, expertise)
EXPERT_PROFILES = [
    (Expert.Field.LAW, "第一律师事务所", "律师", "婚姻家事、劳动争议"),
    (Expert.Field.LAW, "法律援助中心", "律师", "土地承包、征地拆迁纠纷"),
    (Expert.Field.LAW, "第二律师事务所", "律师", "合同纠纷、企业合规"),
    (Expert.Field.FINANCE, "会计师事务所", "注册会计师", "预算审查、国有资产"),
    (Expert.Field.PLANNING, "城乡规划设计院", "高级工程师", "村庄规划、老旧小区改造"),
    (Expert.Field.AGRICULTURE, "农业技术推广中心", "高级农艺师", "特色种养、农产品加工"),
    (Expert.Field.HEALTH, "人民医院", "主任医师", "基层医疗、医保政策"),
    (Expert.Field.EDUCATION, "第一高级中学", "高级教师", "义务教育均衡、校园安全"),
]
CONTRIBUTIONS = {
    ExpertContribution.Kind.CONSULTATION: "在联络站接待群众，解答法律和政策咨询。",
    ExpertContribution.Kind.MEDIATION: "参与调解邻里土地边界纠纷，双方达成协议。",
    ExpertContribution.Kind.LECTURE: "为进站代表讲授履职知识专题课。",
    ExpertContribution.Kind.LEGISLATION: "对法规草案征求意见稿提出修改意见。",
    ExpertContribution.Kind.RESEARCH: "随代表小组开展专题调研，提出论证意见。",
}
CHECKLISTS = {
    # 长垣 "七有"
    "七有": [
        ("有标识", "门口悬挂统一标牌，站内有指引标识。"),
        ("有场所", "有固定的接待场所，面积满足活动需要。"),
        ("有制度", "接待选民、代表活动、意见办理等制度上墙。"),
        ("有版面", "公开进站代表名单、照片和联系方式。"),
        ("有计划", "有年度活动计划并按计划开展活动。"),
        ("有记录", "接待、活动、意见办理记录完整。"),
        ("有档案", "资料分类归档，一站一档。"),
    ],
    # 郸城 "八有"
    "八有": [
        ("有固定场所", "有固定的活动场所。"),
        ("有办公设施", "桌椅、电脑、档案柜等齐全。"),
        ("有规章制度", "各项工作制度健全并上墙。"),
        ("有代表履职", "代表定期进站履职。"),
        ("有登记记录", "群众来访逐一登记。"),
        ("有意见收集", "群众意见及时收集整理。"),
        ("有转办交接", "意见转办有交接手续。"),
        ("有办理反馈", "办理结果及时反馈群众。"),
    ],
}
CHECKLIST_OF = {"410425": "七有", "410928": "八有", "411323": "七有"}
ITEM_SCORE = 10


def _plan_network(
    b: _Builder,
    plan: Plan,
    c: CountyPlan,
    rng: random.Random,
    person: Any,
    serve: Any,
) -> None:
    """Station staffing in full, 双站长 and advisers (ORG-5), more township deputies, deputy
    groups of all three kinds (ORG-8), grids (ORG-9), standing committee links (ORG-10), the
    expert pool (ORG-12), checklists and inspections (ORG-6) of one county."""
    ck = c.key
    # More township deputies, each in a village room of his own township.
    for tk, t_kind, villages in c.townships:
        if t_kind != "镇":
            continue
        for index in range(4):
            village = villages[(index + 1) % len(villages)]
            who = person(tk)
            serve(who, tk, district=f"{village}选区")
            plan.memberships.append((f"{tk}:{village}", who, None, HOME))
            plan.township_deputies[tk].append(who)
    serving = {
        (who, term)
        for who, term, kind, _dlg, _dist, status, *_rest in plan.mandates
        if status == Mandate.Status.SERVING and kind == Mandate.Kind.DEPUTY
    }

    # The expert pool (ORG-12); the lawyers are also the stations' legal advisers.
    experts = []
    for expert_field, organisation, qualification, expertise in EXPERT_PROFILES:
        work_unit = f"{c.name}{organisation}"
        who = person(ck, work_unit=work_unit, title=qualification)
        experts.append(who)
        plan.experts.append((ck, who, expert_field, work_unit, qualification, expertise))
    lawyers, agronomist = experts[:3], experts[5]

    # Station staffing in full (ORG-5).
    for index, (tk, _kind, _villages) in enumerate(c.townships):
        lawyer = lawyers[index % len(lawyers)]
        plan.staff.append((tk, lawyer, StationStaff.Role.LEGAL_ADVISER, CONGRESS))
        plan.expert_stations.append((ck, lawyer, tk))
        adviser = person(tk, work_unit=f"{c.name}人大常委会", title="原副主任（特邀）")
        plan.staff.append((tk, adviser, StationStaff.Role.SPECIAL_ADVISER, CONGRESS))
    plan.expert_stations.append((ck, experts[3], f"{ck}:总站"))
    plan.expert_stations.append((ck, experts[4], f"{ck}:总站"))
    industry = f"{ck}:产业"
    if industry in b.stations:
        region = _region_key(b, b.stations[industry].region_id)
        dual = [who for s, who, _e, kind in plan.memberships if s == industry and kind == DUAL]
        enterprise = ENTERPRISES[ck]
        host_head = person(region, work_unit=enterprise, title="总经理")
        host_liaison = person(region, work_unit=enterprise, title="办公室主任")
        plan.staff += [
            (industry, dual[0], StationStaff.Role.HEAD, CONGRESS),  # 双站长
            (industry, host_head, StationStaff.Role.HEAD, HOST),
            (industry, host_liaison, StationStaff.Role.LIAISON, HOST),
        ]
        plan.expert_stations.append((ck, agronomist, industry))
        name, field_ = CHAINS[ck]
        chain = [who for who in dual if (who, ck) in serving]
        chain += [who for who in c.deputies if (who, ck) in serving and who not in chain][:3]
        _group(plan, f"{ck}:链", name, DeputyGroup.Kind.CHAIN, region, ck, False, field_, industry)
        _members(plan, f"{ck}:链", chain)
    legislative = f"{ck}:立法"
    if legislative in b.stations:
        region = _region_key(b, b.stations[legislative].region_id)
        plan.staff.append(
            (legislative, lawyers[0], StationStaff.Role.LEGISLATIVE_ADVISER, CONGRESS)
        )
        plan.expert_stations.append((ck, lawyers[0], legislative))
        for who in [d for d in plan.local_deputies[region] if (d, ck) in serving][:2]:
            plan.staff.append((legislative, who, StationStaff.Role.DIRECT_REPORTER, CONGRESS))
        township = next(t for t in c.townships if t[0] == region)
        for village in township[2][:2]:
            collector = person(
                f"{region}:{village}", work_unit=f"{village}村民委员会", title="村委委员"
            )
            plan.staff.append((legislative, collector, StationStaff.Role.INFO_COLLECTOR, CONGRESS))
    for index, who in enumerate(experts):
        stations = [s for r, w, s in plan.expert_stations if (r, w) == (ck, who)]
        for k in range(2 if index < 6 else 1):
            kind = list(CONTRIBUTIONS)[(index + k) % len(CONTRIBUTIONS)]
            day = datetime.date(2025, 3 + index, 6 + 7 * k)
            station = stations[k % len(stations)] if stations else ""
            plan.contributions.append(
                (ck, who, station, kind, day, CONTRIBUTIONS[kind], rng.randrange(5, 60))
            )

    # Deputy groups (ORG-8): one by area per township (the host township's is mixed: city,
    # county and township deputies together), three by profession in the county.
    for tk, t_kind, _villages in c.townships:
        t_name = tk.split(":")[1]
        congress = tk if t_kind == "镇" else ck
        locals_ = [who for who in plan.local_deputies[tk] if (who, ck) in serving]
        if tk == c.host:
            members = [
                *reversed(c.higher),  # the municipal deputy leads, the provincial one assists
                *plan.township_deputies[tk][1:2],
                *locals_[:4],
                *plan.township_deputies[tk][4:8],
            ]
            name = f"{t_name}市县乡混合代表小组"
            _group(plan, tk, name, DeputyGroup.Kind.AREA, tk, congress, True, "", tk)
        else:
            if t_kind == "镇":
                members = [w for w in plan.township_deputies[tk][1:] if (w, tk) in serving]
            else:
                members = locals_
            name = f"{t_name}代表小组"
            _group(plan, tk, name, DeputyGroup.Kind.AREA, tk, congress, False, "", tk)
        _members(plan, tk, list(dict.fromkeys(members)))
    county_serving = [who for who in c.deputies if (who, ck) in serving]
    for index, (name, field_) in enumerate(PROFESSIONS):
        key = f"{ck}:条{index}"
        _group(plan, key, name, DeputyGroup.Kind.PROFESSION, ck, ck, False, field_, "")
        _members(plan, key, county_serving[index::3][:6])

    # Grids (ORG-9): one per village, with its head, two grid members and nearby deputies.
    for tk, _t_kind, villages in c.townships:
        pool = [w for w in plan.township_deputies.get(tk, []) if (w, tk) in serving]
        pool += [w for w in plan.local_deputies[tk] if (w, ck) in serving and w not in pool]
        for index, village in enumerate(villages):
            vk = f"{tk}:{village}"
            committee = "居民委员会" if village.endswith("社区") else "村民委员会"
            plan.grids.append((vk, f"{village}网格", vk, vk))
            head = person(vk, work_unit=f"{village}{committee}", title="党支部书记")
            plan.grid_members.append((vk, head, GridMember.Role.HEAD))
            for _ in range(2):
                member = person(vk, work_unit=f"{village}{committee}", title="网格员")
                plan.grid_members.append((vk, member, GridMember.Role.MEMBER))
            for who in pool[index :: len(villages)][:3]:
                plan.grid_members.append((vk, who, GridMember.Role.DEPUTY))

    # Standing committee members link 4-6 deputies each (ORG-10).
    linkers = c.committee[: max(1, min(len(c.committee), len(county_serving) // 4))]
    for index, who in enumerate(county_serving):
        plan.links.append((ck, linkers[index % len(linkers)], who))

    # Station standards and inspections (ORG-6).
    name = CHECKLIST_OF[ck]
    items = CHECKLISTS[name]
    kinds = [Station.Kind.TOWNSHIP.value, Station.Kind.CONTACT_ROOM.value]
    plan.checklists.append((ck, ck, name, kinds, len(items) * ITEM_SCORE * 8 // 10, items))
    for index, (tk, _kind, _villages) in enumerate(c.townships[:3]):
        weak = index == 2
        scores = [rng.choice([4, 6, 8] if weak else [8, 9, 10, 10]) for _ in items]
        findings = "部分制度未上墙，接待记录不全。" if weak else ""
        rectification = "一个月内补齐制度版面和接待记录，报代表工委复查。" if weak else ""
        day = datetime.date(2025, 11, 10 + index)
        inspectors = f"{c.name}人大常委会代表工委督查组"
        plan.inspections.append((ck, tk, day, inspectors, scores, findings, rectification))


def _region_key(b: _Builder, region_id: int) -> str:
    return next(key for key, region in b.regions.items() if region.pk == region_id)


def _group(
    plan: Plan,
    key: str,
    name: str,
    kind: str,
    region: str,
    congress: str,
    mixed: bool,
    field_: str,
    station: str,
) -> None:
    plan.groups.append((key, name, kind, region, congress, mixed, field_, station))


def _members(plan: Plan, group: str, members: list[str]) -> None:
    """The first member leads the group, the second is vice-leader."""
    positions = [GroupMembership.Position.LEADER, GroupMembership.Position.VICE_LEADER]
    for index, who in enumerate(members):
        position = positions[index] if index < 2 else GroupMembership.Position.MEMBER
        plan.group_members.append((group, who, position))


def _find(plan: Plan, work_unit: str, title: str) -> str:
    return next(
        p.name for p in plan.persons.values() if p.work_unit == work_unit and p.title == title
    )


def _first_multi_level(plan: Plan, township_key: str) -> str:
    terms: dict[str, set[str]] = {}
    for who, term, *_rest in plan.mandates:
        terms.setdefault(who, set()).add(term)
    county = township_key.split(":")[0]
    return next(
        who
        for who, spec in plan.persons.items()
        if spec.region == township_key and {county, township_key} <= terms.get(who, set())
    )


def _plan_accounts(plan: Plan) -> None:
    """An account for every role in 郏县安良镇 and 西峡县丁河镇, the county offices, the three
    administrators, and one person acting in three roles (SPEC section 0)."""
    add = plan.accounts.append
    add(AccountSpec("sysadmin", "系统管理员", None, [(Role.SYSTEM_ADMIN, None, "")]))
    add(AccountSpec("secadmin", "安全管理员", None, [(Role.SECURITY_ADMIN, None, "")]))
    add(AccountSpec("auditadmin", "安全审计员", None, [(Role.AUDIT_ADMIN, None, "")]))
    for username, code, name in [
        ("jiaxian_office", "410425", "郏县"),
        ("puyang_office", "410928", "濮阳县"),
        ("xixia_office", "411323", "西峡县"),
    ]:
        add(
            AccountSpec(
                username,
                f"{name}人大常委会代表工委（机关）",
                _find(plan, f"{name}人大常委会代表工作委员会", "主任"),
                [(Role.OFFICE, f"region:{code}", "代表工委主任")],
            )
        )
    add(
        AccountSpec(
            "jiaxian_leader",
            "郏县人大常委会主任（主任会议）",
            _find(plan, "郏县人大常委会", "主任"),
            [(Role.LEADERSHIP, "region:410425", "常委会主任")],
        )
    )
    for prefix, county, town in [("anliang", "410425", "安良镇"), ("dinghe", "411323", "丁河镇")]:
        tk = f"{county}:{town}"
        add(
            AccountSpec(
                f"{prefix}_office",
                f"{town}人大（机关）",
                None,
                [(Role.OFFICE, f"region:{tk}", "人大干事")],
            )
        )
        add(
            AccountSpec(
                f"{prefix}_station",
                f"{town}人大代表联络站（联络员）",
                _find(plan, f"{town}人大主席团", "人大干事"),
                [(Role.STATION, f"station:{tk}", "联络员")],
            )
        )
        add(
            AccountSpec(
                f"{prefix}_unit",
                f"{town}人民政府（承办单位）",
                _find(plan, f"{town}人民政府", "党政办主任"),
                [(Role.UNIT, f"unit:{tk}", "党政办主任")],
            )
        )
        add(
            AccountSpec(
                f"{prefix}_deputy",
                f"{town}县、乡两级人大代表（代表）",
                _first_multi_level(plan, tk),
                [(Role.DEPUTY, None, "")],
            )
        )
        add(
            AccountSpec(
                f"{prefix}_leader",
                f"{town}人大副主席（领导）",
                _find(plan, f"{town}人大主席团", "人大副主席"),
                [(Role.LEADERSHIP, f"region:{tk}", "人大副主席")],
            )
        )
    add(
        AccountSpec(
            "anliang_zhuxi",
            "安良镇人大主席：机关 + 代表 + 站长（三个角色）",
            _find(plan, "安良镇人大主席团", "人大主席"),
            [
                (Role.OFFICE, "region:410425:安良镇", "安良镇人大主席"),
                (Role.DEPUTY, None, ""),
                (Role.STATION, "station:410425:安良镇", "站长"),
            ],
        )
    )
    add(
        AccountSpec(
            "puyang_jiandu",
            "濮阳县人大代表监督站（联络员）",
            None,
            [(Role.STATION, "station:410928:监督站", "联络员")],
        )
    )
    add(
        AccountSpec(
            "jiaxian_zhujian",
            "郏县住房和城乡建设局（承办单位）",
            _find(plan, "郏县住房和城乡建设局", "办公室主任"),
            [(Role.UNIT, "unit:410425:住建局", "办公室主任")],
        )
    )


def _bulk(
    b: _Builder, model: type[Any], existing: set[Any], rows: Iterable[tuple[Any, Any]]
) -> None:
    """Inserts the rows whose natural key is not yet in ``existing``."""
    new = []
    for key, make in rows:
        if key not in existing:
            existing.add(key)
            new.append(make())
    if new:
        model._default_manager.bulk_create(new, batch_size=500)
        b.created += len(new)


def _apply(b: _Builder, plan: Plan) -> None:
    regions = b.regions
    # Persons, found by (name, region).
    region_ids = {regions[s.region].pk for s in plan.persons.values()}
    existing: set[Any] = set(
        Person.objects.filter(region_id__in=region_ids).values_list("name", "region_id")
    )
    _bulk(
        b,
        Person,
        existing,
        (
            (
                (spec.name, regions[spec.region].pk),
                lambda spec=spec: Person(
                    name=spec.name,
                    gender=spec.gender,
                    region=regions[spec.region],
                    work_unit=spec.work_unit,
                    title=spec.title,
                    sector=spec.sector,
                    **spec.fields,
                ),
            )
            for spec in plan.persons.values()
        ),
    )
    by_name = {
        p.name: p
        for p in Person.objects.filter(region_id__in=region_ids, name__in=list(plan.persons)).only(
            "pk", "name", "region_id", "account_id"
        )
    }
    persons = {name: by_name[name] for name in plan.persons}
    b.persons = persons

    existing = set(
        Mandate.objects.filter(person__in=persons.values()).values_list("person_id", "term_id")
    )
    _bulk(
        b,
        Mandate,
        existing,
        (
            (
                (persons[who].pk, b.terms[term].pk),
                lambda m=(who, term, kind, dlg, dist, status, ended, reason): Mandate(
                    person=persons[m[0]],
                    term=b.terms[m[1]],
                    kind=m[2],
                    delegation=b.delegations[m[3]] if m[3] else None,
                    electoral_district=m[4],
                    status=m[5],
                    started_on=TERM_START,
                    ended_on=m[6],
                    end_reason=m[7],
                ),
            )
            for who, term, kind, dlg, dist, status, ended, reason in plan.mandates
        ),
    )

    station_ids = [s.pk for s in b.stations.values()]
    existing = set(
        StationMembership.objects.filter(station_id__in=station_ids).values_list(
            "station_id", "person_id"
        )
    )
    _bulk(
        b,
        StationMembership,
        existing,
        (
            (
                (b.stations[s].pk, persons[who].pk),
                lambda s=s, who=who, ends=ends, kind=kind: StationMembership(
                    station=b.stations[s],
                    person=persons[who],
                    kind=kind,
                    starts_on=datetime.date(2022, 1, 1),
                    ends_on=ends,
                ),
            )
            for s, who, ends, kind in plan.memberships
        ),
    )
    existing = set(
        StationStaff.objects.filter(station_id__in=station_ids).values_list(
            "station_id", "person_id", "role"
        )
    )
    _bulk(
        b,
        StationStaff,
        existing,
        (
            (
                (b.stations[s].pk, persons[who].pk, role),
                lambda s=s, who=who, role=role, side=side: StationStaff(
                    station=b.stations[s],
                    person=persons[who],
                    role=role,
                    side=side,
                    starts_on=datetime.date(2022, 1, 1),
                ),
            )
            for s, who, role, side in plan.staff
        ),
    )
    body_ids = [body.pk for body in b.bodies.values()]
    existing = set(
        BodyMembership.objects.filter(body_id__in=body_ids).values_list(
            "body_id", "person_id", "position"
        )
    )
    _bulk(
        b,
        BodyMembership,
        existing,
        (
            (
                (b.bodies[body].pk, persons[who].pk, position),
                lambda body=body, who=who, position=position: BodyMembership(
                    body=b.bodies[body],
                    person=persons[who],
                    position=position,
                    starts_on=TERM_START,
                ),
            )
            for body, who, position in plan.seats
        ),
    )
    unit_ids = [u.pk for u in b.units.values()]
    existing = set(
        UnitContact.objects.filter(unit_id__in=unit_ids).values_list("unit_id", "person_id")
    )
    _bulk(
        b,
        UnitContact,
        existing,
        (
            (
                (b.units[unit].pk, persons[who].pk),
                lambda unit=unit, who=who, position=position, primary=primary: UnitContact(
                    unit=b.units[unit], person=persons[who], position=position, is_primary=primary
                ),
            )
            for unit, who, position, primary in plan.contacts
        ),
    )
    _apply_network(b, plan)
    _apply_accounts(b, plan)


def _apply_network(b: _Builder, plan: Plan) -> None:
    """Groups, grids, links, experts, checklists and inspections: the few parents one by one,
    the many rows in bulk, each looked up by its natural key first."""
    persons, stations, regions = b.persons, b.stations, b.regions
    start = datetime.date(2022, 3, 1)

    expert_rows = {(r, who): rest for r, who, *rest in plan.experts}
    _bulk(
        b,
        Expert,
        set(
            Expert.objects.filter(person__in=[persons[w] for _r, w in expert_rows]).values_list(
                "region_id", "person_id"
            )
        ),
        (
            (
                (regions[r].pk, persons[who].pk),
                lambda r=r, who=who, v=v: Expert(
                    region=regions[r],
                    person=persons[who],
                    field=v[0],
                    organisation=v[1],
                    qualification=v[2],
                    expertise=v[3],
                ),
            )
            for (r, who), v in expert_rows.items()
        ),
    )
    experts = {
        (e.region_id, e.person_id): e
        for e in Expert.objects.filter(person__in=[persons[w] for _r, w in expert_rows])
    }

    def expert(r: str, who: str) -> Expert:
        return experts[(regions[r].pk, persons[who].pk)]

    _bulk(
        b,
        ExpertAssignment,
        set(
            ExpertAssignment.objects.filter(expert__in=experts.values()).values_list(
                "expert_id", "station_id"
            )
        ),
        (
            (
                (expert(r, who).pk, stations[s].pk),
                lambda r=r, who=who, s=s: ExpertAssignment(
                    expert=expert(r, who), station=stations[s], starts_on=start
                ),
            )
            for r, who, s in plan.expert_stations
        ),
    )
    _bulk(
        b,
        ExpertContribution,
        set(
            ExpertContribution.objects.filter(expert__in=experts.values()).values_list(
                "expert_id", "kind", "happened_on"
            )
        ),
        (
            (
                (expert(r, who).pk, kind, day),
                lambda r=r, who=who, s=s, kind=kind, day=day, text=text, n=n: ExpertContribution(
                    expert=expert(r, who),
                    station=stations[s] if s else None,
                    kind=kind,
                    happened_on=day,
                    summary=text,
                    people_served=n,
                ),
            )
            for r, who, s, kind, day, text, n in plan.contributions
        ),
    )

    groups: dict[str, DeputyGroup] = {}
    for key, name, kind, region, congress, mixed, field_, station in plan.groups:
        groups[key] = b.get_or_create(
            DeputyGroup,
            {
                "kind": kind,
                "congress": b.congresses[congress],
                "mixed_levels": mixed,
                "field": field_,
                "station": stations[station] if station else None,
            },
            region=regions[region],
            name=name,
        )
    _bulk(
        b,
        GroupMembership,
        set(
            GroupMembership.objects.filter(group__in=groups.values()).values_list(
                "group_id", "person_id"
            )
        ),
        (
            (
                (groups[g].pk, persons[who].pk),
                lambda g=g, who=who, position=position: GroupMembership(
                    group=groups[g], person=persons[who], position=position, starts_on=start
                ),
            )
            for g, who, position in plan.group_members
        ),
    )

    grids: dict[str, Grid] = {}
    for key, name, region, station in plan.grids:
        grids[key] = b.get_or_create(
            Grid, {"station": stations[station]}, region=regions[region], name=name
        )
    _bulk(
        b,
        GridMember,
        set(GridMember.objects.filter(grid__in=grids.values()).values_list("grid_id", "person_id")),
        (
            (
                (grids[g].pk, persons[who].pk),
                lambda g=g, who=who, role=role: GridMember(
                    grid=grids[g], person=persons[who], role=role, starts_on=start
                ),
            )
            for g, who, role in plan.grid_members
        ),
    )

    congress_ids = [b.congresses[c].pk for c in {c for c, _m, _d in plan.links}]
    _bulk(
        b,
        CommitteeLink,
        set(
            CommitteeLink.objects.filter(congress_id__in=congress_ids).values_list(
                "member_id", "deputy_id"
            )
        ),
        (
            (
                (persons[member].pk, persons[who].pk),
                lambda c=c, member=member, who=who: CommitteeLink(
                    congress=b.congresses[c],
                    member=persons[member],
                    deputy=persons[who],
                    starts_on=start,
                ),
            )
            for c, member, who in plan.links
        ),
    )

    checklists: dict[str, Checklist] = {}
    items: dict[str, list[ChecklistItem]] = {}
    for key, region, name, kinds, pass_score, entries in plan.checklists:
        checklist = b.get_or_create(
            Checklist,
            {"station_kinds": kinds, "pass_score": pass_score},
            region=regions[region],
            name=name,
        )
        checklists[key] = checklist
        _bulk(
            b,
            ChecklistItem,
            set(checklist.items.values_list("title", flat=True)),
            (
                (
                    title,
                    lambda o=order, t=title, r=requirement, c=checklist: ChecklistItem(
                        checklist=c, order=o, title=t, requirement=r, max_score=ITEM_SCORE
                    ),
                )
                for order, (title, requirement) in enumerate(entries, start=1)
            ),
        )
        items[key] = list(checklist.items.order_by("order"))
    for key, station, day, inspectors, scores, findings, rectification in plan.inspections:
        checklist = checklists[key]
        total, full = sum(scores), ITEM_SCORE * len(scores)
        inspection = b.get_or_create(
            Inspection,
            {
                "inspectors": inspectors,
                "score": total,
                "max_score": full,
                "passed": total >= checklist.pass_score,
                "findings": findings,
                "rectification": rectification,
            },
            station=stations[station],
            checklist=checklist,
            inspected_on=day,
        )
        _bulk(
            b,
            InspectionScore,
            set(inspection.scores.values_list("item_id", flat=True)),
            (
                (
                    item.pk,
                    lambda item=item, score=score, i=inspection: InspectionScore(
                        inspection=i, item=item, score=score, max_score=item.max_score
                    ),
                )
                for item, score in zip(items[key], scores, strict=True)
            ),
        )


def _organisation(b: _Builder, key: str | None) -> dict[str, Any]:
    if key is None:
        return {}
    kind, _sep, rest = key.partition(":")
    if kind == "region":
        return {"region": b.regions[rest]}
    if kind == "station":
        return {"station": b.stations[rest]}
    return {"unit": b.units[rest]}


def _apply_accounts(b: _Builder, plan: Plan) -> None:
    # One hash for every demo account: Argon2 costs ~0.15 s a hash.
    password = make_password(DEMO_PASSWORD)
    for spec in plan.accounts:
        person = b.persons.get(spec.person) if spec.person else None
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User.objects.create(
                username=spec.username,
                display_name=person.name if person else spec.label.split("（")[0],
                password=password,
            )
            b.created += 1
        if (
            person is not None
            and person.account_id is None
            and not Person.objects.filter(account=user).exists()
        ):
            Person.objects.filter(pk=person.pk).update(account=user)
            person.account_id = user.pk
            b.created += 1
        for role, org, title in spec.roles:
            organisation = _organisation(b, org)
            lookup = {"region": None, "station": None, "unit": None, **organisation}
            if not RoleAssignment.objects.filter(user=user, role=role, **lookup).exists():
                RoleAssignment.objects.create(user=user, role=role, title=title, **organisation)
                b.created += 1


@transaction.atomic
def load_demo() -> int:
    """Loads the demo; returns how many records it created (0 on a second run)."""
    builder = _Builder()
    plan = _plan_and_build(builder)
    _apply(builder, plan)
    from lianxin.activities.demo import load as load_activities_demo
    from lianxin.activities.duty.demo import load as load_duty_demo
    from lianxin.cases.demo import load_cases_demo

    return builder.created + load_cases_demo() + load_duty_demo() + load_activities_demo()


def demo_logins() -> list[tuple[str, str]]:
    """(username, role label) of every demo account, in the order print_logins shows them."""
    return list(_LOGINS)


_LOGINS: list[tuple[str, str]] = [
    ("sysadmin", "系统管理员"),
    ("secadmin", "安全管理员"),
    ("auditadmin", "安全审计员"),
    ("jiaxian_office", "郏县人大常委会代表工委（人大机关工作人员）"),
    ("puyang_office", "濮阳县人大常委会代表工委（人大机关工作人员）"),
    ("xixia_office", "西峡县人大常委会代表工委（人大机关工作人员）"),
    ("jiaxian_leader", "郏县人大常委会主任（主任会议成员）"),
    ("anliang_office", "郏县安良镇人大（人大机关工作人员）"),
    ("anliang_station", "郏县安良镇人大代表联络站（联络站工作人员）"),
    ("anliang_unit", "郏县安良镇人民政府（承办单位工作人员）"),
    ("anliang_deputy", "郏县、安良镇两级人大代表（人大代表）"),
    ("anliang_leader", "郏县安良镇人大副主席（主任会议成员）"),
    ("anliang_zhuxi", "安良镇人大主席：人大机关 + 人大代表 + 站长（一人三个角色）"),
    ("dinghe_office", "西峡县丁河镇人大（人大机关工作人员）"),
    ("dinghe_station", "西峡县丁河镇人大代表联络站（联络站工作人员）"),
    ("dinghe_unit", "西峡县丁河镇人民政府（承办单位工作人员）"),
    ("dinghe_deputy", "西峡县、丁河镇两级人大代表（人大代表）"),
    ("dinghe_leader", "西峡县丁河镇人大副主席（主任会议成员）"),
    ("puyang_jiandu", "濮阳县人大代表监督站（联络站工作人员）"),
    ("jiaxian_zhujian", "郏县住房和城乡建设局（承办单位工作人员）"),
]
