"""A synthetic province in PostgreSQL (issue 7): regions, congresses, stations, handling units,
deputies with their mandates and stations, a year of cases in every workflow state with their
CaseEvents and the figures tables (CASE-10), and a year of activities and duty shifts.

    .venv/bin/python bench/province.py --scale small   # 1 county (濮阳县), ~50,000 cases
    .venv/bin/python bench/province.py --scale full    # Henan: 156 counties, 5,000,000 cases

The database must exist and be migrated (``bench/run.py`` does both). Generation is seeded
(``--seed``) and resumable: each stage, and each chunk of cases, commits together with its row
in the ``bench_state`` table, so a rerun after an interruption continues where it stopped.
Small tables go in with ``bulk_create``, the big ones (cases, citizens, case units, events)
with PostgreSQL COPY through psycopg (decision 0009). The figures tables are filled per chunk
with the workflow's own counting rules (``lianxin.cases.figures.deltas``), the same rules
``rebuild_case_figures`` applies, so the figures agree with the events.

Writes var/bench/province.json and var/bench/province.md: time per stage, rows, database size.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    database_url,
    facts_lines,
    git_commit,
    machine_facts,
    parser,
    setup_django,
    write_results,
)

# --- Scale ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    name: str
    counties: int | None  # None: every county of the province
    cases: int
    chunk: int
    villages_per_township: int = 6
    deputies: tuple[int, int, int, int] = (950, 500, 250, 74)  # province, city, county, township


SCALES = {
    # One county-sized slice: 濮阳县 with 12 townships, generated in about a minute.
    "small": Scale("small", counties=1, cases=50_000, chunk=25_000),
    # Henan: 156 counties in the committed region data, 1,781 townships, ~13,000 stations,
    # ~180,000 deputies, 5 million cases.
    "full": Scale("full", counties=None, cases=5_000_000, chunk=25_000),
}
PROVINCE_CODE = "41"
SMALL_COUNTY = "410928"  # 濮阳县
TOWNSHIPS_FULL = 1781
UNIT_NAMES_COUNTY = [
    "交通运输局", "住房和城乡建设局", "自然资源局", "生态环境分局", "水利局", "农业农村局",
    "教育局", "卫生健康委员会", "人力资源和社会保障局", "民政局", "市场监督管理局",
    "城市管理局", "公安局", "应急管理局", "医疗保障局", "供电公司", "自来水公司", "财政局",
    "发展和改革委员会", "文化广电和旅游局", "退役军人事务局", "乡村振兴局", "司法局",
    "商务局", "工业和信息化局", "林业局", "信访局", "政务服务和大数据管理局", "燃气公司",
    "残疾人联合会",
]  # fmt: skip
UNIT_NAMES_TOWNSHIP = ["人民政府", "农业服务中心", "综治中心", "城建办"]

# Categories, the county department that usually handles them, and opinion templates.
CATEGORIES: list[tuple[str, str, int, list[str]]] = [
    ("roads", "道路交通", 0, [
        "{place}{road}路面坑洼不平，下雨天积水严重，群众出行很不方便，希望尽快修补。",
        "{place}{road}路口没有红绿灯，上下学时段车辆多，孩子过马路很危险。",
        "{place}通往镇上的{road}年久失修，大车压坏了路基，请有关部门维修。",
    ]),
    ("housing", "住房建设", 1, [
        "{place}{road}{n}号楼外墙脱落，存在安全隐患，请尽快排查处理。",
        "{place}老旧小区改造迟迟没有动工，楼道照明和管网都已老化。",
    ]),
    ("land", "土地规划", 2, [
        "{place}有人在基本农田上违规建房，村民多次反映未得到处理。",
        "{place}土地确权登记有误，承包地面积与实际不符，请核实更正。",
    ]),
    ("environment", "生态环境", 3, [
        "{place}{road}附近的小作坊夜间排放刺鼻气体，周边居民无法开窗。",
        "{place}河道里堆满生活垃圾，夏天臭味很大，希望组织清理。",
        "{place}养殖场粪污直排沟渠，污染了村里的水塘。",
    ]),
    ("water", "水利供水", 4, [
        "{place}自来水经常停水，水压不足，高层住户用不上水。",
        "{place}农田灌溉渠道堵塞，今年浇地困难，请帮助疏通。",
    ]),
    ("agriculture", "农业农村", 5, [
        "{place}小麦种植补贴还没有发放到位，请核查原因。",
        "{place}村里的高标准农田机井损坏，无人维修。",
    ]),
    ("education", "教育", 6, [
        "{place}小学校门口上下学时段拥堵，缺少护学岗。",
        "{place}幼儿园收费过高，普惠性学位不足。",
    ]),
    ("health", "医疗卫生", 7, [
        "{place}村卫生室长期没有医生坐诊，老人看病要跑很远。",
        "{place}乡镇卫生院缺少常用药品，希望改善。",
    ]),
    ("social", "社会保障", 8, [
        "{place}城乡居民养老保险缴费信息有误，领取金额不对。",
        "{place}低保评定不公开，希望公示名单和标准。",
    ]),
    ("market", "市场监管", 10, [
        "{place}{road}有商户销售过期食品，请加强检查。",
        "{place}集贸市场缺斤短两现象较多，请规范管理。",
    ]),
    ("city", "城市管理", 11, [
        "{place}{road}路灯不亮已经一个多月，晚上出行不安全。",
        "{place}{road}占道经营严重，人行道被堵，请整治。",
        "{place}垃圾清运不及时，垃圾桶满了没人管。",
    ]),
    ("power", "供电供气", 15, [
        "{place}经常停电，电压不稳，家里电器烧坏了好几次。",
        "{place}天然气管道一直没有通到村里，冬天取暖困难。",
    ]),
]  # fmt: skip
ROADS = ["幸福", "人民", "建设", "解放", "中原", "文化", "胜利", "黄河", "振兴", "开发", "光明"]
OPENINGS = ["", "", "", "尊敬的人大代表：", "您好，"]
CLOSINGS = ["", "", "希望尽快解决。", "盼复。", "谢谢！"]
REPLIES = [
    "经现场核实，已安排人员处理完毕，并将加强日常巡查。",
    "已纳入年度计划，预计下月完成整改，届时将告知反映人。",
    "已联系相关责任单位落实整改，问题已解决。",
    "经调查，该问题涉及历史遗留原因，已制定分步解决方案。",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国红梅志文斌海波鹏飞"
PLACE_A = "东西南北新大小高白黄青龙凤金石马柳杨李王张刘陈赵孟安平和庆顺兴丰永宏盛"
PLACE_B = "庄集店营寨屯岗桥湖坡河楼寺沟园堂口铺镇城渠坊洼台"

GOLDEN = 0.6180339887498949
STEP_DAYS = {"report": 1, "dispatch": 3, "accept": 1, "reply": 15, "check": 3, "rate": 7}


# --- State ------------------------------------------------------------------------------------


def ensure_state_table() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "CREATE TABLE IF NOT EXISTS bench_state (stage text PRIMARY KEY, "
            "info jsonb NOT NULL DEFAULT '{}', seconds double precision NOT NULL DEFAULT 0, "
            "done_at timestamptz NOT NULL DEFAULT now())"
        )


def done_stages() -> dict[str, dict[str, Any]]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT stage, info, seconds FROM bench_state")
        return {
            s: {"info": i if isinstance(i, dict) else json.loads(i), "seconds": sec}
            for s, i, sec in cur.fetchall()
        }


def mark_done(stage: str, info: dict[str, Any], seconds: float) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO bench_state (stage, info, seconds) VALUES (%s, %s, %s) "
            "ON CONFLICT (stage) DO UPDATE SET info = excluded.info, seconds = excluded.seconds",
            [stage, json.dumps(info, ensure_ascii=False, default=str), seconds],
        )


# --- Helpers ----------------------------------------------------------------------------------


def key_of(*parts: object) -> str:
    """A deterministic 32-character public key (QR identities must be unique)."""
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]


def fix_paths(table: str) -> None:
    """Materialised paths (TreeNode) of rows inserted in bulk: parents first, level by level."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {table} SET path = '/' || id || '/', depth = 0 "  # noqa: S608
            "WHERE parent_id IS NULL AND path = ''"
        )
        while True:
            cur.execute(
                f"UPDATE {table} c SET path = p.path || c.id || '/', depth = p.depth + 1 "  # noqa: S608
                f"FROM {table} p WHERE c.parent_id = p.id AND c.path = '' AND p.path <> ''"
            )
            if cur.rowcount == 0:
                break


def copy_rows(model: Any, rows: list[dict[str, Any]]) -> None:
    """COPY ``rows`` (attname → value; missing fields take the model default) into the table."""
    from django.db import connection, models

    if not rows:
        return
    fields = list(model._meta.concrete_fields)
    defaults = {f.attname: f.get_default() for f in fields}
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    columns = ", ".join(f'"{f.column}"' for f in fields)
    names = [f.attname for f in fields]
    raw = connection.connection
    with (
        raw.cursor() as cur,
        cur.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            values = []
            for name in names:
                v = row.get(name, defaults.get(name))
                if name in json_fields and v is not None:
                    v = json.dumps(v, ensure_ascii=False)
                values.append(v)
            copy.write_row(values)


def set_sequences(*models_: Any) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        for model in models_:
            table = model._meta.db_table
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
            )


# --- Stages -----------------------------------------------------------------------------------


class Generator:
    def __init__(self, scale: Scale, seed: int) -> None:
        self.scale, self.seed = scale, seed

    # The province's shape, read back from the database after each stage (cheap).
    def counties(self) -> list[Any]:
        from lianxin.regions.models import Region

        qs = Region.objects.filter(code__startswith=PROVINCE_CODE, level=Region.Level.COUNTY)
        if self.scale.counties is not None:
            qs = qs.filter(code=SMALL_COUNTY)
        return list(qs.order_by("code"))

    def stage_regions(self) -> dict[str, Any]:
        """Townships (乡镇/街道) and villages (村/社区) under the real counties."""
        from lianxin.regions.models import Region

        rng = random.Random(self.seed)
        counties = self.counties()
        all_counties = Region.objects.filter(
            code__startswith=PROVINCE_CODE, level=Region.Level.COUNTY
        ).count()
        base, extra = divmod(TOWNSHIPS_FULL, all_counties)
        combos = [a + b for a in PLACE_A for b in PLACE_A if a != b]
        townships = []
        for i, county in enumerate(counties):
            n = base + (1 if i < extra else 0)
            if self.scale.counties is not None:
                n = 12
            for j, name in enumerate(rng.sample(combos, n)):
                kind = "街道" if j < 2 else ("镇" if j % 3 else "乡")
                suffix = "街道" if kind == "街道" else kind
                townships.append(
                    Region(parent=county, code=f"{county.code}{j + 1:03d}", name=name + suffix,
                           kind=kind, level=Region.Level.TOWNSHIP)
                )  # fmt: skip
        Region.objects.bulk_create(townships, batch_size=2000)
        fix_paths("regions_region")
        villages = []
        for t in Region.objects.filter(level=Region.Level.TOWNSHIP, code__startswith="41"):
            names = rng.sample(
                [a + b for a in PLACE_A for b in PLACE_B], self.scale.villages_per_township
            )
            for k, name in enumerate(names):
                street = t.kind == "街道"
                villages.append(
                    Region(parent=t, code=f"{t.code}{k + 1:03d}",
                           name=name + ("社区" if street else "村"),
                           kind="社区" if street else "村", level=Region.Level.VILLAGE)
                )  # fmt: skip
        Region.objects.bulk_create(villages, batch_size=5000)
        fix_paths("regions_region")
        return {"townships": len(townships), "villages": len(villages)}

    def stage_congresses(self) -> dict[str, Any]:
        from lianxin.directory.models import Congress, Term
        from lianxin.regions.models import Region

        counties = self.counties()
        province = Region.objects.get(code=PROVINCE_CODE)
        cities = Region.objects.filter(pk__in={c.parent_id for c in counties})
        townships = Region.objects.filter(parent__in=counties, level=Region.Level.TOWNSHIP)
        levels = [(province, 1, 14)] + [(c, 2, 15) for c in cities]
        levels += [(c, 3, 18) for c in counties] + [(t, 4, 12) for t in townships]
        congresses = [
            Congress(region=r, level=lv, name=f"{r.name}人民代表大会") for r, lv, _n in levels
        ]
        Congress.objects.bulk_create(congresses, batch_size=2000)
        terms = [
            Term(congress=c, number=n, starts_on=dt.date(2021, 10, 1), is_current=True)
            for c, (_r, _lv, n) in zip(congresses, levels, strict=True)
        ]
        Term.objects.bulk_create(terms, batch_size=2000)
        return {"congresses": len(congresses)}

    def stage_stations(self) -> dict[str, Any]:
        from lianxin.directory.models import Congress, Station
        from lianxin.regions.models import Region

        counties = self.counties()
        congress = {c.region_id: c.pk for c in Congress.objects.all()}
        tops = []
        for c in counties:
            for kind, label in [
                (Station.Kind.COUNTY_GENERAL, "人大代表联络总站"),
                (Station.Kind.SUPERVISION, "人大代表监督站"),
                (Station.Kind.HOME, "人大代表之家"),
            ]:
                tops.append(Station(name=f"{c.name}{label}", kind=kind, region=c,
                                    congress_id=congress[c.pk], public_key=key_of("st", c.pk, kind),
                                    address=f"{c.name}人民路1号",
                                    opening_hours="每周三上午9:00-12:00"))  # fmt: skip
        Station.objects.bulk_create(tops, batch_size=2000)
        general = {s.region_id: s.pk for s in tops if s.kind == Station.Kind.COUNTY_GENERAL}
        townships = list(Region.objects.filter(parent__in=counties, level=Region.Level.TOWNSHIP))
        mids = [
            Station(name=f"{t.name}人大代表联络站", kind=Station.Kind.TOWNSHIP, region=t,
                    parent_id=general[t.parent_id], congress_id=congress[t.pk],
                    public_key=key_of("st", t.pk), address=f"{t.name}政府院内",
                    opening_hours="每周三上午9:00-12:00")
            for t in townships
        ]  # fmt: skip
        Station.objects.bulk_create(mids, batch_size=2000)
        by_township = {s.region_id: s for s in mids}
        villages = Region.objects.filter(parent__in=townships, level=Region.Level.VILLAGE)
        rooms = [
            Station(name=f"{v.name}代表联系群众工作室", kind=Station.Kind.CONTACT_ROOM, region=v,
                    parent_id=by_township[v.parent_id].pk,
                    congress_id=by_township[v.parent_id].congress_id,
                    public_key=key_of("st", v.pk), address=f"{v.name}党群服务中心")
            for v in villages
        ]  # fmt: skip
        Station.objects.bulk_create(rooms, batch_size=5000)
        fix_paths("directory_station")
        return {"stations": len(tops) + len(mids) + len(rooms)}

    def stage_units(self) -> dict[str, Any]:
        from lianxin.directory.models import HandlingUnit
        from lianxin.regions.models import Region

        counties = self.counties()
        govs = [
            HandlingUnit(name=f"{c.name}人民政府", short_name=f"{c.name}政府",
                         kind=HandlingUnit.Kind.GOVERNMENT, region=c)
            for c in counties
        ]  # fmt: skip
        HandlingUnit.objects.bulk_create(govs)
        gov = {u.region_id: u.pk for u in govs}
        rows = []
        for c in counties:
            for name in UNIT_NAMES_COUNTY:
                kind = (
                    HandlingUnit.Kind.UTILITY
                    if name.endswith("公司")
                    else HandlingUnit.Kind.DEPARTMENT
                )
                rows.append(HandlingUnit(name=f"{c.name}{name}", short_name=name, kind=kind,
                                         region=c, parent_id=gov[c.pk]))  # fmt: skip
        for t in Region.objects.filter(parent__in=counties, level=Region.Level.TOWNSHIP):
            for name in UNIT_NAMES_TOWNSHIP:
                kind = (
                    HandlingUnit.Kind.TOWNSHIP_GOVERNMENT
                    if name == "人民政府"
                    else HandlingUnit.Kind.OTHER
                )
                rows.append(HandlingUnit(name=f"{t.name}{name}", short_name=name, kind=kind,
                                         region=t, parent_id=gov[t.parent_id]))  # fmt: skip
        HandlingUnit.objects.bulk_create(rows, batch_size=5000)
        fix_paths("directory_handlingunit")
        return {"units": len(govs) + len(rows)}

    def stage_deputies(self) -> dict[str, Any]:
        """Persons with a serving mandate in their congress's term, a delegation, and a home
        station (全员进站, ORG-7)."""
        from lianxin.directory.models import (
            Delegation,
            Mandate,
            Person,
            Station,
            StationMembership,
            Term,
        )
        from lianxin.regions.models import Region

        rng = random.Random(self.seed + 1)
        fraction = 1.0 if self.scale.counties is None else len(self.counties()) / 156
        p_n, c_n, k_n, t_n = self.scale.deputies
        terms = list(Term.objects.select_related("congress__region"))
        children: dict[int, list[Region]] = defaultdict(list)
        for r in Region.objects.filter(code__startswith=PROVINCE_CODE, level__gte=3):
            children[r.parent_id].append(r)  # type: ignore[index]
        counties = self.counties()
        county_ids = {c.pk for c in counties}
        station_of: dict[int, int] = {
            s.region_id: s.pk
            for s in Station.objects.exclude(kind__in=[Station.Kind.SUPERVISION, Station.Kind.HOME])
        }
        plan: list[tuple[Term, Region, int, Region]] = []  # term, delegation region, n, home
        for term in terms:
            region = term.congress.region
            level = term.congress.level
            if level == 1:
                areas = counties
                per = max(5, round(p_n * fraction)) // max(1, len(areas)) or 1
                plan += [(term, a, per, a) for a in areas]
            elif level == 2:
                areas = [c for c in children[region.pk] if c.pk in county_ids]
                per = max(1, round(c_n / max(1, len(children[region.pk]))))
                plan += [(term, a, per, a) for a in areas]
            elif level == 3:
                areas = children[region.pk]
                per = max(1, round(k_n / max(1, len(areas))))
                plan += [(term, a, per, a) for a in areas]
            else:
                areas = children[region.pk]
                per = max(1, round(t_n / max(1, len(areas))))
                plan += [(term, a, per, a) for a in areas]
        delegations = [
            Delegation(term=t, name=f"{a.name}{'选区' if t.congress.level == 4 else '代表团'}",
                       region=a)
            for t, a, _n, _h in plan
        ]  # fmt: skip
        Delegation.objects.bulk_create(delegations, batch_size=5000)
        persons, mandates, memberships = [], [], []
        for (term, area, n, home), delegation in zip(plan, delegations, strict=True):
            for _i in range(n):
                name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
                persons.append(
                    Person(name=name, gender=rng.choice("MF"), birth_year=rng.randint(1960, 1995),
                           region=home, sector=rng.choice(["农业", "工人", "教育", "医疗", "企业"]),
                           public_key=key_of("p", len(persons)))
                )  # fmt: skip
                mandates.append((term, delegation, area))
        Person.objects.bulk_create(persons, batch_size=5000)
        rows = [
            Mandate(person=p, term=t, delegation=d, started_on=dt.date(2021, 10, 1))
            for p, (t, d, _a) in zip(persons, mandates, strict=True)
        ]
        Mandate.objects.bulk_create(rows, batch_size=5000)
        for p, (_t, _d, area) in zip(persons, mandates, strict=True):
            station = station_of.get(area.pk) or station_of.get(area.parent_id or 0)
            if station:
                memberships.append(
                    StationMembership(station_id=station, person=p, starts_on=dt.date(2022, 1, 1))
                )
        StationMembership.objects.bulk_create(memberships, batch_size=5000)
        return {"deputies": len(persons), "memberships": len(memberships)}

    def stage_actors(self) -> dict[str, Any]:
        """Categories (set by the province's office), and the accounts the query benchmarks
        log in as: the province's and the county's office, a township station, a unit."""
        from lianxin.accounts.models import Role, RoleAssignment, User
        from lianxin.cases.models import Category
        from lianxin.directory.models import HandlingUnit, Station
        from lianxin.regions.models import Region

        province = Region.objects.get(code=PROVINCE_CODE)
        Category.objects.bulk_create(
            [
                Category(region=province, code=code, name=name, order=i)
                for i, (code, name, _d, _t) in enumerate(CATEGORIES)
            ]
        )
        county = self.counties()[0]
        township_station = Station.objects.filter(
            region__parent=county, kind=Station.Kind.TOWNSHIP
        ).first()
        unit = HandlingUnit.objects.get(name=f"{county.name}{UNIT_NAMES_COUNTY[0]}")
        made = {}
        for username, role, org in [
            ("bench_office_province", Role.OFFICE, {"region": province}),
            ("bench_office_county", Role.OFFICE, {"region": county}),
            ("bench_station", Role.STATION, {"station": township_station}),
            ("bench_unit", Role.UNIT, {"unit": unit}),
        ]:
            user = User(username=username, display_name=username)
            user.set_unusable_password()
            user.save()
            RoleAssignment.objects.create(user=user, role=role, **org)
            made[username] = user.pk
        return {"accounts": made}

    # --- Cases --------------------------------------------------------------------------------

    def world(self) -> dict[str, Any]:
        """What the case generator draws from, read once."""
        from lianxin.cases.models import Category
        from lianxin.directory.models import (
            Congress,
            HandlingUnit,
            Station,
            StationMembership,
        )
        from lianxin.regions.models import Region

        counties = self.counties()
        townships = list(
            Region.objects.filter(parent__in=counties, level=Region.Level.TOWNSHIP).order_by("pk")
        )
        villages: dict[int, list[Region]] = defaultdict(list)
        for v in Region.objects.filter(parent__in=townships).order_by("pk"):
            villages[v.parent_id].append(v)  # type: ignore[index]
        congress = {
            c.region_id: (c.pk, c.region.code) for c in Congress.objects.select_related("region")
        }
        stations = {s.region_id: s.pk for s in Station.objects.all()}
        units: dict[int, list[int]] = defaultdict(list)
        for u in HandlingUnit.objects.order_by("pk"):
            units[u.region_id].append(u.pk)
        deputies: dict[int, list[int]] = defaultdict(list)
        for station_id, person_id in StationMembership.objects.values_list(
            "station_id", "person_id"
        ):
            deputies[station_id].append(person_id)
        categories = list(Category.objects.order_by("order").values_list("pk", flat=True))
        return {
            "townships": townships,
            "villages": villages,
            "congress": congress,
            "stations": stations,
            "units": units,
            "deputies": deputies,
            "categories": categories,
        }

    def case_chunk(
        self, chunk: int, world: dict[str, Any], anchor: dt.datetime, counters: dict[str, int]
    ) -> dict[str, int]:
        from lianxin.cases.figures import CASE_COUNTERS, UNIT_COUNTERS, deltas
        from lianxin.cases.models import Case, CaseCitizen, CaseEvent, CaseUnit
        from lianxin.common.fields import encrypt
        from lianxin.holidays.deadlines import beijing_date

        sc = self.scale
        rng = random.Random(self.seed * 1_000_003 + chunk)
        first = chunk * sc.chunk
        last = min(sc.cases, first + sc.chunk)
        start = anchor - dt.timedelta(days=365)
        names = [encrypt(rng.choice(SURNAMES) + rng.choice(GIVEN) * 1) for _ in range(50)]
        phones = [encrypt(f"13{rng.randint(100000000, 999999999)}") for _ in range(50)]
        townships = world["townships"]
        # Uneven, fixed shares of the cases; cumulative, so that a draw is a bisection.
        cum = list(accumulate(1 + (i * 7919) % 5 for i in range(len(townships))))
        cases, citizens, units, events = [], [], [], []
        fig: dict[tuple, list[int]] = {}
        ufig: dict[tuple, list[int]] = {}
        event_id = first * 20  # ids leave room for 20 events a case
        unit_row_id = first * 4
        citizen_id = first * 2
        for case_id in range(first + 1, last + 1):
            # Spread over the year by the golden ratio: every chunk, and so every prefix of
            # an interrupted generation, is a sample of the whole year (old cases archived,
            # recent ones open), not its first weeks.
            received = start + dt.timedelta(days=365 * ((case_id * GOLDEN) % 1.0))
            received += dt.timedelta(minutes=rng.randint(0, 600))
            if received > anchor:
                received = anchor - dt.timedelta(minutes=1)
            township = rng.choices(townships, cum_weights=cum)[0]
            village = rng.choice(world["villages"][township.pk])
            region = village if rng.random() < 0.8 else township
            congress_id, congress_code = world["congress"][township.pk]
            station = world["stations"].get(village.pk) or world["stations"][township.pk]
            pool = world["deputies"].get(station) or world["deputies"].get(
                world["stations"][township.pk], []
            )
            deputy = rng.choice(pool) if pool else None
            cat_index = rng.randrange(len(CATEGORIES))
            category = world["categories"][cat_index]
            _code, _name, dept, templates = CATEGORIES[cat_index]
            text = (
                rng.choice(OPENINGS)
                + rng.choice(templates).format(
                    place=village.name, road=rng.choice(ROADS) + "路", n=rng.randint(1, 40)
                )
                + rng.choice(CLOSINGS)
            )
            year = received.astimezone(dt.timezone(dt.timedelta(hours=8))).year
            ckey = f"{congress_id}-{year}"
            counters[ckey] = counters.get(ckey, 0) + 1
            number = f"{congress_code}-{year}-{counters[ckey]:05d}"
            channel = rng.choice(
                ["qr_deputy", "qr_deputy", "qr_station", "web", "reception", "phone", "visit"]
            )
            dims = [congress_id, region.pk, station or 0, deputy or 0, category]
            county_units = world["units"][township.parent_id]
            township_units = world["units"][township.pk]
            case = {
                "id": case_id, "created_at": received, "number": number,
                "congress_id": congress_id, "region_id": region.pk, "station_id": station,
                "deputy_id": deputy, "supervisor_id": deputy, "channel": channel,
                "category_id": category, "priority": "urgent" if rng.random() < 0.05 else "normal",
                "text": text, "public_text": text, "place": f"{village.name}",
                "status": "submitted", "received_at": received, "reopen_count": 0,
            }  # fmt: skip
            sim = _Sim(rng, case, dims, anchor)
            sim.event("submit", "submitted", received, {"channel": channel}, due="report")
            try:
                dept_unit = county_units[min(dept + 1, len(county_units) - 1)]
                self.walk(sim, rng, dept_unit, county_units[1:], township_units)
            except _Stop:
                pass
            case.update(sim.fields())
            cases.append(case)
            primary = rng.random() > 0.1
            citizen_id += 1
            citizens.append({
                "id": citizen_id, "case_id": case_id, "joined": "filed", "is_primary": True,
                "name": rng.choice(names) if primary else "",
                "phone": rng.choice(phones), "anonymous": not primary,
                "notify_by_sms": rng.random() < 0.3,
                "token_hash": hashlib.sha256(f"bench-token-{case_id}".encode()).hexdigest(),
                "pin_hash": hashlib.sha256(f"bench-pin-{case_id}".encode()).hexdigest(),
                "submission_key": None, "rating": case.get("rating", ""),
                "rated_at": case.get("rated_at"), "created_at": received,
            })  # fmt: skip
            if sim.seconded:
                citizen_id += 1
                citizens.append({
                    "id": citizen_id, "case_id": case_id, "joined": "seconded",
                    "is_primary": False, "name": rng.choice(names), "phone": rng.choice(phones),
                    "token_hash": hashlib.sha256(f"bench-token2-{case_id}".encode()).hexdigest(),
                    "pin_hash": hashlib.sha256(f"bench-pin2-{case_id}".encode()).hexdigest(),
                    "submission_key": None, "created_at": sim.seconded,
                })  # fmt: skip
            for row in sim.units:
                unit_row_id += 1
                units.append({"id": unit_row_id, "case_id": case_id, **row})
            for seq, (action, from_s, to_s, at, data, public_note) in enumerate(sim.events, 1):
                event_id += 1
                events.append({
                    "id": event_id, "case_id": case_id, "seq": seq, "action": action,
                    "from_status": from_s, "to_status": to_s, "at": at, "actor_id": None,
                    "actor_label": "群众" if action in ("submit", "second", "rate") else "工作人员",
                    "note": "", "public_note": public_note, "data": data,
                })  # fmt: skip
                add, unit_adds = deltas(action, from_s, data)
                day = beijing_date(at)
                if add:
                    k = (day, *dims)
                    row = fig.setdefault(k, [0] * len(CASE_COUNTERS))
                    for name, v in add.items():
                        row[CASE_COUNTERS.index(name)] += v
                for unit_id, counts in unit_adds:
                    urow = ufig.setdefault((day, unit_id), [0] * len(UNIT_COUNTERS))
                    for name, v in counts.items():
                        urow[UNIT_COUNTERS.index(name)] += v
        copy_rows(Case, cases)
        copy_rows(CaseCitizen, citizens)
        copy_rows(CaseUnit, units)
        copy_rows(CaseEvent, events)
        self.add_figures(fig, ufig)
        return {"cases": len(cases), "events": len(events), "units": len(units)}

    @staticmethod
    def walk(
        sim: _Sim, rng: random.Random, dept_unit: int, county_units: list[int], town: list[int]
    ) -> None:
        """One case's way through the closed loop, stopping where "now" is."""
        if rng.random() < 0.05:
            sim.second(rng.uniform(1, 48))
        sim.step("confirm", "confirmed", rng.uniform(1, 48), public_note="代表已受理您反映的问题。")
        r = rng.random()
        if r < 0.12:
            sim.step("resolve_on_spot", "awaiting_rating", rng.uniform(1, 24), due="rate",
                     fields={"scope": "on_spot", "solved": True, "explanation": REPLIES[2],
                             "reply": REPLIES[2]}, stamp="replied_at")  # fmt: skip
            lead = None
        elif r < 0.17:
            sim.step("decline", "declined", rng.uniform(2, 72), public_note="不属于人大职责。",
                     fields={"scope": "not_congress", "explanation": "该事项属于司法程序。"},
                     stamp="closed_at")  # fmt: skip
            if rng.random() < 0.6:
                sim.step("archive", "archived", rng.uniform(24, 24 * 30), stamp="archived_at")
            return
        elif r < 0.20:
            sim.step("merge", "merged", rng.uniform(2, 72), data={"into": "同类问题"},
                     stamp="closed_at")  # fmt: skip
            return
        else:
            county = r >= 0.55
            scope = "county" if county else "township"
            sim.step("report" if county else "triage", "reported" if county else "triaged",
                     rng.uniform(2, 72), due="dispatch", fields={"scope": scope})  # fmt: skip
            lead = dept_unit if county else rng.choice(town)
            co = [rng.choice(county_units)] if rng.random() < 0.1 else []
            co = [u for u in co if u != lead]
            sim.dispatch(rng.uniform(2, 72), lead, co)
            if rng.random() < 0.04:
                sim.return_case(rng.uniform(2, 48), "reported" if county else "triaged")
                lead = rng.choice(county_units if county else town)
                sim.dispatch(rng.uniform(2, 48), lead, [])
            sim.accept(rng.uniform(2, 48))
            sim.reply(rng.uniform(24, 24 * 18), lead, rng.random() < 0.85, rng.choice(REPLIES))
            if rng.random() < 0.03:
                sim.step("send_back", "handling", rng.uniform(4, 48), due="reply", public=False)
                sim.reply(rng.uniform(24, 24 * 7), lead, True, rng.choice(REPLIES))
            sim.step("approve_reply", "awaiting_rating", rng.uniform(2, 72), due="rate")
        # 评单
        if rng.random() < 0.3:
            sim.close_rating(24 * 7.2, "unrated", lead, expire=True)
        else:
            rating = rng.choices(["satisfied", "basically", "dissatisfied"], [65, 25, 10])[0]
            if rating == "dissatisfied" and lead is not None:
                sim.reopen(rng.uniform(2, 24 * 6), lead)
                sim.reply(rng.uniform(24, 24 * 10), lead, True, rng.choice(REPLIES))
                sim.step("approve_reply", "awaiting_rating", rng.uniform(2, 72), due="rate")
                rating = rng.choices(["satisfied", "basically", "dissatisfied"], [60, 30, 10])[0]
            sim.close_rating(rng.uniform(2, 24 * 6), rating, lead)
        if rng.random() < 0.7:
            sim.step("return_visit", "closed", rng.uniform(24, 24 * 10), stamp="visited_at")
        if rng.random() < 0.6:
            sim.step("archive", "archived", rng.uniform(24, 24 * 30), stamp="archived_at")

    def add_figures(self, fig: dict[tuple, list[int]], ufig: dict[tuple, list[int]]) -> None:
        """Adds a chunk's counts to the figures tables (INSERT … ON CONFLICT DO UPDATE)."""
        from django.db import connection

        from lianxin.cases.figures import CASE_COUNTERS, UNIT_COUNTERS

        raw = connection.connection
        with raw.cursor() as cur:
            for table, key_cols, conflict, counters, data in [
                ("cases_casefigure",
                 ["day", "congress_id", "region_id", "station_id", "deputy_id", "category_id"],
                 ["day", "region_id", "station_id", "deputy_id", "category_id"],
                 CASE_COUNTERS, fig),
                ("cases_unitfigure", ["day", "unit_id"], ["day", "unit_id"], UNIT_COUNTERS,
                 ufig),
            ]:  # fmt: skip
                cols = key_cols + counters
                cur.execute(
                    f"CREATE TEMP TABLE bench_fig ON COMMIT DROP AS "  # noqa: S608
                    f"SELECT {', '.join(cols)} FROM {table} WITH NO DATA"
                )
                with cur.copy(f"COPY bench_fig ({', '.join(cols)}) FROM STDIN") as copy:
                    for k, counts in data.items():
                        copy.write_row([*k, *counts])
                updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in counters)
                cur.execute(
                    f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(cols)} "  # noqa: S608
                    f"FROM bench_fig ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {updates}"
                )
                cur.execute("DROP TABLE bench_fig")

    def stage_counters(self, counters: dict[str, int]) -> dict[str, Any]:
        from lianxin.cases.models import Case, CaseCitizen, CaseCounter, CaseEvent, CaseUnit

        CaseCounter.objects.bulk_create(
            [
                CaseCounter(congress_id=int(k.split("-")[0]), year=int(k.split("-")[1]), last=v)
                for k, v in counters.items()
            ]
        )
        set_sequences(Case, CaseCitizen, CaseUnit, CaseEvent)
        return {"counters": len(counters)}

    def stage_activities(self, anchor: dt.datetime) -> dict[str, Any]:
        """A year of activities (a monthly 进站接待 at each township station, with its deputies
        signed in) and a year of weekly 代表周三见 duty shifts with two deputies each."""
        from lianxin.activities.models import (
            Activity,
            Assignment,
            DutyPattern,
            Participant,
            Requirement,
            Roster,
            Shift,
        )
        from lianxin.directory.models import Station, StationMembership

        rng = random.Random(self.seed + 7)
        stations = list(Station.objects.filter(kind=Station.Kind.TOWNSHIP).order_by("pk"))
        members: dict[int, list[int]] = defaultdict(list)
        for s, p in StationMembership.objects.filter(station__parent__in=stations).values_list(
            "station__parent_id", "person_id"
        ):
            members[s].append(p)
        tz = dt.timezone(dt.timedelta(hours=8))
        first_day = (anchor - dt.timedelta(days=365)).date()
        activities, participants = [], []
        aid = 0
        for st in stations:
            for m in range(12):
                day = first_day + dt.timedelta(days=30 * m + rng.randint(0, 20))
                begins = dt.datetime.combine(day, dt.time(9, 0), tz)
                aid += 1
                held = begins < anchor
                activities.append(
                    Activity(id=aid, kind="reception", title=f"{st.name}进站接待选民",
                             region_id=st.region_id, station=st, place=st.address or st.name,
                             starts_at=begins, ends_at=begins + dt.timedelta(hours=3),
                             status="held" if held else "planned",
                             public_key=key_of("act", aid))
                )  # fmt: skip
                for p in rng.sample(members[st.pk], min(6, len(members[st.pk]))):
                    participants.append(
                        Participant(activity_id=aid, person_id=p,
                                    attendance="present" if held else "invited",
                                    signed_in_at=begins if held else None,
                                    method="screen" if held else "")
                    )  # fmt: skip
        Activity.objects.bulk_create(activities, batch_size=5000)
        Participant.objects.bulk_create(participants, batch_size=5000)
        shifts_n = assignments_n = 0
        for st in stations:
            pattern = DutyPattern.objects.create(
                station=st, name="代表周三见", kind="weekly", weekdays=[2],
                valid_from=first_day,
            )  # fmt: skip
            Requirement.objects.create(pattern=pattern, role="deputy", count=2)
            roster = Roster.objects.create(
                station=st, pattern=pattern, name=f"{first_day.year}年度代表周三见",
                starts_on=first_day, ends_on=first_day + dt.timedelta(days=364),
                status="published",
            )  # fmt: skip
            days = [first_day + dt.timedelta(days=d) for d in range(365)]
            shifts = [
                Shift(roster=roster, station=st, date=d, starts_at=dt.time(9, 0),
                      ends_at=dt.time(12, 0), needs={"deputy": 2})
                for d in days if d.weekday() == 2
            ]  # fmt: skip
            Shift.objects.bulk_create(shifts)
            rows = []
            pool = members[st.pk]
            for i, shift in enumerate(shifts):
                if len(pool) < 2:
                    break
                for p in (pool[(2 * i) % len(pool)], pool[(2 * i + 1) % len(pool)]):
                    rows.append(Assignment(shift=shift, person_id=p, role="deputy"))
            Assignment.objects.bulk_create(rows, batch_size=5000)
            shifts_n += len(shifts)
            assignments_n += len(rows)
        set_sequences(Activity)
        return {
            "activities": len(activities),
            "participants": len(participants),
            "shifts": shifts_n,
            "assignments": assignments_n,
        }


class _Stop(Exception):
    """The next step would happen after "now": the case stays where it is."""


class _Sim:
    """Replays one case's steps with the workflow's rules (statuses of the transition table,
    the running deadline, the event data the figures count)."""

    def __init__(self, rng: random.Random, case: dict[str, Any], dims: list[int], now: Any):
        self.rng, self.case, self.dims, self.now = rng, case, dims, now
        self.status = "submitted"
        self.t = case["received_at"]
        self.events: list[tuple[str, str, str, Any, dict[str, Any], str]] = []
        self.units: list[dict[str, Any]] = []
        self.f: dict[str, Any] = {}
        self.due: Any = None
        self.due_step = ""
        self.due_from: Any = None
        self.reply_due: Any = None
        self.seconded: Any = None
        self.reopened = 0

    def fields(self) -> dict[str, Any]:
        return {
            **self.f,
            "status": self.status,
            "due_at": self.due,
            "due_step": self.due_step,
            "due_from": self.due_from,
            "reply_due_at": self.reply_due,
            "last_event_seq": len(self.events),
            "updated_at": self.t,
            "reopen_count": self.reopened,
        }

    def _at(self, hours: float) -> Any:
        at = self.t + dt.timedelta(hours=hours)
        if at > self.now:
            raise _Stop
        return at

    def _deadline(self, step: str | None, at: Any) -> None:
        if not step:
            self.due, self.due_step, self.due_from = None, "", None
            return
        due = at + dt.timedelta(days=STEP_DAYS[step])
        if step == "reply":
            if self.reply_due is None:
                self.reply_due = due
            due = self.reply_due
        self.due, self.due_step, self.due_from = due, step, at

    def event(
        self, action: str, to: str, at: Any, data: dict[str, Any], due: str | None = None,
        public: bool = True, public_note: str = "",
    ) -> None:  # fmt: skip
        on_time = self.due is None or at <= self.due
        before = self.status
        payload = {**data, "public": public, "dims": self.dims}
        if action != "submit":
            payload["on_time"] = on_time
        self.events.append((action, before, to, at, payload, public_note if public else ""))
        if action == "submit" or to != before or due:
            self._deadline(due, at)
        self.status, self.t = to, at

    def step(
        self, action: str, to: str, hours: float, *, due: str | None = None,
        data: dict[str, Any] | None = None, fields: dict[str, Any] | None = None,
        stamp: str | None = None, public: bool = True, public_note: str = "",
    ) -> None:  # fmt: skip
        at = self._at(hours)
        self.f.update(fields or {})
        if stamp:
            self.f[stamp] = at
        self.event(action, to, at, data or {}, due=due, public=public, public_note=public_note)

    def second(self, hours: float) -> None:
        at = self._at(hours)
        self.seconded = at
        self.events.append(
            ("second", self.status, self.status, at, {"public": True, "dims": self.dims},
             "又有一位群众附议。")
        )  # fmt: skip
        self.t = at

    def dispatch(self, hours: float, lead: int, co: list[int]) -> None:
        at = self._at(hours)
        for row in self.units:
            if row["status"] == "dispatched":
                row["status"] = "withdrawn"
        self.reply_due = None
        reply_due = at + dt.timedelta(days=STEP_DAYS["reply"])
        for unit, role in [(lead, "lead"), *[(u, "co") for u in co]]:
            self.units.append({"unit_id": unit, "role": role, "status": "dispatched",
                               "dispatched_at": at, "due_at": reply_due})  # fmt: skip
        self.f["dispatched_at"] = at
        self.event("dispatch", "dispatched", at, {"lead": lead, "co": co}, due="accept",
                   public_note="已交办承办单位办理。")  # fmt: skip

    def return_case(self, hours: float, back: str) -> None:
        at = self._at(hours)
        returned = []
        for row in self.units:
            if row["status"] not in ("returned", "withdrawn"):
                row["status"], row["return_reason"] = "returned", "不属于本单位职责。"
                returned.append(row["unit_id"])
        self.f["dispatched_at"], self.reply_due = None, None
        self.event("return", back, at, {"units": returned}, due="dispatch")

    def accept(self, hours: float) -> None:
        at = self._at(hours)
        for row in self.units:
            if row["status"] == "dispatched":
                row["status"], row["accepted_at"] = "accepted", at
        self.event("accept", "handling", at, {}, due="reply", public_note="承办单位已签收。")

    def reply(self, hours: float, lead: int, solved: bool, text: str) -> None:
        at = self._at(hours)
        for row in self.units:
            if row["status"] == "accepted" and row["role"] == "lead":
                row.update(status="replied", reply=text, replied_at=at)
        self.f.update(reply=text, solved=solved, replied_at=at)
        self.event("reply", "replied", at, {"solved": solved, "lead": lead}, due="check")

    def reopen(self, hours: float, lead: int) -> None:
        at = self._at(hours)
        self.reopened += 1
        self.reply_due = None
        self.f["dispatched_at"] = at
        for row in self.units:
            if row["status"] == "replied":
                row["status"] = "accepted"
        data = {"rating": "dissatisfied", "reopened": True, "solved": self.f.get("solved"),
                "lead": lead}  # fmt: skip
        self.event("rate", "handling", at, data, due="reply",
                   public_note="您的评价为不满意，已重新交办办理。")  # fmt: skip

    def close_rating(
        self, hours: float, rating: str, lead: int | None, expire: bool = False
    ) -> None:
        at = self._at(hours)
        self.f.update(rating=rating, closed_at=at)
        if not expire:
            self.f["rated_at"] = at
            data = {"rating": rating, "solved": self.f.get("solved"), "lead": lead}
            self.event("rate", "closed", at, data, public_note="感谢您的评价。")
        else:
            self.event("expire_rating", "closed", at, {"rating": rating, "lead": lead})


# --- Main -------------------------------------------------------------------------------------


def db_size() -> int:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_database_size(current_database())")
        return int(cur.fetchone()[0])


def table_rows() -> dict[str, int]:
    from django.db import connection

    tables = ["regions_region", "directory_person", "directory_station",
              "directory_handlingunit", "cases_case", "cases_caseevent", "cases_casecitizen",
              "cases_caseunit", "cases_casefigure", "cases_unitfigure", "activities_activity",
              "activities_shift", "activities_assignment"]  # fmt: skip
    out = {}
    with connection.cursor() as cur:
        for t in tables:
            cur.execute(f"SELECT COUNT(*) FROM {t}")  # noqa: S608
            out[t] = int(cur.fetchone()[0])
    return out


def consistency() -> dict[str, bool]:
    """The figures tables agree with the cases and events (what rebuild_case_figures would
    recount), checked on a few counters."""
    from django.db import connection

    checks = {
        "received = cases": (
            "SELECT (SELECT COALESCE(SUM(received), 0) FROM cases_casefigure) = "
            "(SELECT COUNT(*) FROM cases_case)"
        ),
        "dispatched = dispatch events": (
            "SELECT (SELECT COALESCE(SUM(dispatched), 0) FROM cases_casefigure) = "
            "(SELECT COUNT(*) FROM cases_caseevent WHERE action = 'dispatch')"
        ),
        "unit replies = reply events with a lead": (
            "SELECT (SELECT COALESCE(SUM(replied), 0) FROM cases_unitfigure) = "
            "(SELECT COUNT(*) FROM cases_caseevent WHERE action = 'reply' "
            "AND data->>'lead' IS NOT NULL)"
        ),
        "last_event_seq = events": (
            "SELECT NOT EXISTS (SELECT 1 FROM cases_case c WHERE c.last_event_seq <> "
            "(SELECT COUNT(*) FROM cases_caseevent e WHERE e.case_id = c.id) LIMIT 1)"
        ),
    }
    out = {}
    with connection.cursor() as cur:
        for name, sql in checks.items():
            cur.execute(sql)
            out[name] = bool(cur.fetchone()[0])
    return out


def partial(stages: list[dict[str, Any]], scale: Scale, chunks: int) -> int:
    """A partial province (``--until-cases``): analysed so that queries can run on it; the
    counters, activities and the result files wait for the run that finishes it."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"partial {scale.name} province: {chunks} chunks of {scale.chunk:,} cases; "
          f"{sum(s['seconds'] for s in stages):.0f} s in its stages", flush=True)  # fmt: skip
    return 0


def main() -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--seed", type=int, default=7)
    p.add_argument(
        "--until-cases",
        type=int,
        default=None,
        help="stop after the chunk that reaches this many cases (a partial province to measure "
        "early; a later run without it resumes and finishes)",
    )
    p.add_argument(
        "--anchor",
        default=None,
        help="the moment the year of cases ends, ISO 8601 (default: now); with the seed it "
        "fixes the whole province",
    )
    args = p.parse_args()
    url = database_url(args)
    setup_django(url)
    from django.db import connection, transaction
    from django.utils import timezone

    from lianxin.cases.figures import fill_months

    scale = SCALES[args.scale]
    gen = Generator(scale, args.seed)
    ensure_state_table()
    started = time.perf_counter()
    stages: list[dict[str, Any]] = []

    def run(stage: str, fn: Any) -> dict[str, Any]:
        done = done_stages()
        if stage in done:
            print(f"  {stage}: done before ({done[stage]['seconds']:.1f} s)", flush=True)
            stages.append({"stage": stage, "seconds": done[stage]["seconds"], "resumed": True,
                           **done[stage]["info"]})  # fmt: skip
            return done[stage]["info"]
        t0 = time.perf_counter()
        with transaction.atomic():
            info = fn()
            seconds = time.perf_counter() - t0
            mark_done(stage, info, seconds)
        shown = {k: v for k, v in info.items() if k != "counters"}
        print(f"  {stage}: {seconds:.1f} s {shown}", flush=True)
        stages.append({"stage": stage, "seconds": round(seconds, 2), **info})
        return info

    print(f"province {scale.name} into {connection.settings_dict['NAME']}", flush=True)
    moment = (dt.datetime.fromisoformat(args.anchor) if args.anchor else timezone.now()).replace(
        microsecond=0
    )
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    setup = run("setup", lambda: {"anchor": moment.isoformat(), "seed": args.seed,
                                  "scale": scale.name})  # fmt: skip
    anchor = dt.datetime.fromisoformat(setup["anchor"])
    for name in ("regions", "congresses", "stations", "units", "deputies", "actors"):
        run(name, getattr(gen, f"stage_{name}"))
    world = gen.world()
    chunks = (scale.cases + scale.chunk - 1) // scale.chunk
    counters: dict[str, int] = {}
    case_seconds = 0.0
    case_events = 0
    for chunk in range(chunks):
        if args.until_cases is not None and chunk * scale.chunk >= args.until_cases:
            print(f"stopping after {chunk * scale.chunk:,} cases (--until-cases)", flush=True)
            fill_months()  # the monthly figures of the cases so far (CASE-10), refilled whole
            return partial(stages, scale, chunk)
        stage = f"cases:{chunk:04d}"

        def one(chunk: int = chunk, counters: dict[str, int] = counters) -> dict[str, Any]:
            info = gen.case_chunk(chunk, world, anchor, counters)
            return {**info, "counters": dict(counters)}

        info = run(stage, one)
        counters = dict(info["counters"])
        case_seconds += stages[-1]["seconds"]
        case_events += info["events"]
        stages[-1].pop("counters", None)
    run("counters", lambda: gen.stage_counters(counters))
    # The monthly figures (CASE-10) are the daily ones summed by month and county: refilled
    # whole from the daily table, as `rebuild_case_figures --months-only` does.
    run("figure_months", lambda: {"rows": fill_months()})
    run("activities", lambda: gen.stage_activities(anchor))
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    stages.append({"stage": "analyze", "seconds": round(time.perf_counter() - t0, 2)})
    total = time.perf_counter() - started
    size = db_size()
    rows = table_rows()
    facts = machine_facts()
    data = {
        "scale": scale.name,
        "seed": args.seed,
        "anchor": anchor.isoformat(),
        "git_commit": git_commit(),
        "seconds_this_run": round(total, 1),
        "seconds_all_stages": round(sum(s["seconds"] for s in stages), 1),
        "stages": stages,
        "rows": rows,
        "database_bytes": size,
        "machine": facts,
    }
    status_counts = dict(
        __import__("lianxin.cases.models", fromlist=["Case"])
        .Case.objects.values_list("status")
        .annotate(n=__import__("django.db.models", fromlist=["Count"]).Count("id"))
        .values_list("status", "n")
    )
    data["case_status"] = status_counts
    data["consistency"] = consistency()
    lines = [
        "## Synthetic province",
        "",
        f"Scale **{scale.name}**: {rows['directory_person']:,} deputies, "
        f"{rows['regions_region']:,} regions, {rows['directory_station']:,} stations, "
        f"{rows['directory_handlingunit']:,} handling units, {rows['cases_case']:,} cases "
        f"with {rows['cases_caseevent']:,} events, {rows['activities_activity']:,} activities, "
        f"{rows['activities_shift']:,} duty shifts. Cases by state: "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(status_counts.items()))
        + ".",
        "",
        "| stage | seconds |",
        "|---|---|",
        *[
            f"| {s['stage']}{' (resumed)' if s.get('resumed') else ''} | {s['seconds']:.1f} |"
            for s in stages
            if not s["stage"].startswith("cases:")
        ],
        f"| cases ({chunks} chunks of {scale.chunk:,}, COPY) | {case_seconds:.1f} |",
        "",
        f"Generation took {data['seconds_all_stages']:.0f} s in all stages "
        f"({case_events / max(case_seconds, 0.001):,.0f} events/s in the case chunks); "
        f"database size {size / 1024 / 1024:,.0f} MB (pg_database_size). Figures agree with "
        "the cases and events: "
        + ", ".join(f"{k} {'yes' if v else '**no**'}" for k, v in data["consistency"].items())
        + ".  ",
        facts_lines(facts),
    ]
    write_results("province", data, "\n".join(lines))
    print(f"done in {total:.1f} s; database {size / 1024 / 1024:.0f} MB", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
