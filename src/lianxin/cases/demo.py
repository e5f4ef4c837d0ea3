"""Demo cases (issue 4): categories for the demo counties, and citizens' opinions in every state
of the closed loop — on the spot, declined, merged, overdue, reopened, unrated, archived — from
every intake channel, walked through the real services by the demo's accounts. Idempotent: a
second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from lianxin.accounts.models import User
from lianxin.accounts.permissions import actor_for
from lianxin.cases import services
from lianxin.cases.models import Case, Category, ReplyTemplate
from lianxin.cases.workflow import Who
from lianxin.directory.models import HandlingUnit
from lianxin.regions.models import Region

CATEGORIES = [
    ("roads", "道路交通", "道路、桥梁、路灯、公交"),
    ("water", "供水排水", "饮水、下水道、防汛"),
    ("environment", "环境卫生", "垃圾、污水、噪声、扬尘"),
    ("safety", "安全隐患", "危房、电线、消防、校园周边"),
    ("social", "社会保障", "低保、养老、医保、就业"),
    ("farming", "农业农村", "农田水利、种植养殖、土地"),
    ("services", "教育医疗", "学校、卫生室、便民服务"),
    ("other", "其他", ""),
]
COUNTIES = ["410425", "411323", "410928"]  # 郏县, 西峡县, 濮阳县

# Reply templates of each demo county (CASE-5): (title, category code or None, text).
TEMPLATES: list[tuple[str, str | None, str]] = [
    ("道路路灯维修", "roads",
     "您反映的{地点}道路（路灯）问题（编号{编号}），{承办单位}已安排人员现场查看，于{今天}完成维修。"
     "今后将加强日常巡查，如再发现问题请及时反映。"),
    ("通用答复", None,
     "您于{受理日期}反映的问题（编号{编号}）已收悉。经{承办单位}调查核实，现答复如下："),
]  # fmt: skip

# (text, category code, channel): what citizens of a township bring to its deputies.
OPINIONS = [
    ("村口的路灯坏了三个月，晚上出行不便，老人孩子容易摔倒。", "roads", Case.Channel.QR_DEPUTY),
    ("小学门口没有减速带，上下学时车速很快，存在安全隐患。", "safety", Case.Channel.RECEPTION),
    ("村里自来水每天下午停水，希望延长供水时间。", "water", Case.Channel.QR_STATION),
    ("河道里堆了很多生活垃圾，夏天气味很大。", "environment", Case.Channel.STALL),
    ("去年的农机补贴还没有发放到位。", "farming", Case.Channel.PHONE),
    ("卫生室只有一名医生，周末经常没人。", "services", Case.Channel.FORUM),
    ("通往集镇的道路坑洼不平，雨天积水严重。", "roads", Case.Channel.GRID),
    ("独居老人希望能有上门助餐服务。", "social", Case.Channel.VISIT),
    ("灌溉渠年久失修，漏水严重，影响浇地。", "farming", Case.Channel.LETTER),
    ("集市摊位占道经营，车辆通行困难。", "roads", Case.Channel.COUNTER),
    ("养殖场离居民区太近，污水直排。", "environment", Case.Channel.WEB),
    ("低保复核结果没有公示，群众有疑问。", "social", Case.Channel.RECEPTION),
    ("村委会旁边的变压器经常跳闸。", "safety", Case.Channel.QR_DEPUTY),
    ("幼儿园收费标准不清楚，希望公开。", "services", Case.Channel.QR_STATION),
    ("下水道堵塞，雨后污水漫到院子里。", "water", Case.Channel.PHONE),
    ("公交车班次太少，进城看病不方便。", "roads", Case.Channel.FORUM),
]


def _who(username: str) -> Who:
    user = User.objects.get(username=username)
    return Who.staff(actor_for(user))


def _categories() -> dict[str, dict[str, Category]]:
    found: dict[str, dict[str, Category]] = {}
    for code in COUNTIES:
        county = Region.objects.filter(code=code).first()
        if county is None:
            continue
        found[code] = {}
        for order, (key, name, description) in enumerate(CATEGORIES, start=1):
            category, _created = Category.objects.get_or_create(
                region=county, code=key,
                defaults={"name": name, "description": description, "order": order},
            )  # fmt: skip
            found[code][key] = category
        for title, wanted, text in TEMPLATES:
            ReplyTemplate.objects.get_or_create(
                region=county, title=title,
                defaults={"category": found[code].get(wanted or ""), "text": text},
            )  # fmt: skip
    return found


def _home(prefix: str) -> Any:
    """The township's deputy, its station (where the station staff work) and a village of the
    township: where its citizens' opinions are raised."""
    person = User.objects.get(username=f"{prefix}_deputy").person
    staff = User.objects.get(username=f"{prefix}_station").assignments.get()
    station = staff.station
    assert station is not None
    village = Region.objects.filter(parent=station.region).order_by("code").first()
    return person, station, village or station.region


def _township_cases(prefix: str, county: str, cats: dict[str, Category], start: int) -> int:
    """Sixteen opinions of one township, each walked to a different point of the loop."""
    office, station, unit = (
        _who(f"{prefix}_office"),
        _who(f"{prefix}_station"),
        _who(f"{prefix}_unit"),
    )
    deputy_who = _who(f"{prefix}_deputy")
    person, room, place = _home(prefix)
    assert unit.actor is not None and unit.actor.assignment is not None
    lead: HandlingUnit = unit.actor.assignment.unit  # type: ignore[assignment]
    co = HandlingUnit.objects.filter(parent=lead).first()
    now = timezone.now()
    cases: list[Case] = []
    for i, (text, key, channel) in enumerate(OPINIONS):
        in_person = channel not in Case.PUBLIC_CHANNELS
        receipt = services.file_case(
            intake=services.Intake(
                channel=channel, region=place, category=cats[key], text=text,
                station=room, deputy=person, name=["张建国", "李秀英", "王桂兰", "刘志强"][i % 4],
                phone=f"1380375{start + i:04d}", notify_by_sms=i % 3 == 0,
                anonymous=i == 10, place=place.name,
                priority=Case.Priority.URGENT if i == 12 else Case.Priority.NORMAL,
                received_at=now - dt.timedelta(days=40 - 2 * i, hours=3),
                submission_key=f"demo-{prefix}-{i:02d}",
            ),
            actor=station.actor if in_person else None,
        )  # fmt: skip
        cases.append(receipt.case)
    steps: list[Callable[[Case], Case]] = [
        lambda c: services.confirm(who=deputy_who, case=c),
        lambda c: services.triage(who=office, case=c, scope=Case.Scope.TOWNSHIP),
        lambda c: services.dispatch(
            who=office, case=c, lead=lead, co=[co] if co else [], note="请按期办理并答复群众。"
        ),
        lambda c: services.accept(who=unit, case=c),
        lambda c: reply(c),
        lambda c: services.approve_reply(who=deputy_who, case=c, note="答复属实。"),
    ]

    def reply(case: Case) -> Case:
        """The co-handler's part first (协办意见, CASE-5); one answer given at the station in
        person (局长进站)."""
        if co is not None:
            services.contribute(who=unit, case=case, text=f"{co.name}已配合完成现场核查。")
        met = None
        if case.pk == cases[9].pk:
            met = services.InPerson(
                Case.InPerson.DIRECTOR, timezone.localdate(), room, "乡镇分管负责同志"
            )
        return services.reply(who=unit, case=case, text="已现场查看并落实整改，问题已解决。",
                              solved=True, in_person=met)  # fmt: skip

    def walk(case: Case, n: int) -> Case:
        for step in steps[:n]:
            case = step(case)
        return case

    def rate(case: Case, rating: str, reason: str = "") -> Case:
        citizen = Who.citizen(case.citizens.get(is_primary=True).pk)
        return services.rate(who=citizen, case=case, rating=rating, reason=reason)

    # 0: just raised; 1: confirmed; 2: triaged, its dispatch deadline already past (overdue)
    walk(cases[1], 1)
    walk(cases[2], 2)
    services.triage(who=office, case=walk(cases[3], 1), scope=Case.Scope.COUNTY)  # 上报县级
    walk(cases[4], 3)  # waiting for the unit to accept
    walk(cases[5], 4)  # being handled
    handling = walk(cases[6], 4)
    services.request_extension(who=unit, case=handling, days=15, reason="需要协调水利部门施工。")
    walk(cases[7], 5)  # reply waiting for 督单
    walk(cases[8], 6)  # waiting for the citizen's rating
    rate(walk(cases[9], 6), Case.Rating.SATISFIED)
    done = rate(walk(cases[10], 6), Case.Rating.BASICALLY)
    done = services.return_visit(who=station, case=done, note="电话回访，群众认可办理结果。")
    services.archive(who=office, case=done)
    rate(walk(cases[11], 6), Case.Rating.DISSATISFIED, "公示内容不完整。")  # reopened once
    services.expire_rating(case=walk(cases[12], 6))  # 未评价
    services.resolve_on_spot(who=station, case=walk(cases[13], 1),
                             explanation="接待代表现场联系幼儿园，收费标准已在门口公示。")  # fmt: skip
    services.decline(who=office, case=walk(cases[14], 1),
                     explanation="属于民事纠纷，建议通过人民调解或诉讼解决，已告知群众。")  # fmt: skip
    services.merge(who=office, case=walk(cases[15], 1), into=cases[7])
    return len(cases)


@transaction.atomic
def load_cases_demo() -> int:
    """Loads the demo cases once; returns how many cases it filed (0 on a second run)."""
    cats = _categories()
    if "410425" not in cats or Case.objects.filter(number__isnull=False).exists():
        return 0
    if not User.objects.filter(username="anliang_office").exists():
        return 0
    filed = _township_cases("anliang", "410425", cats["410425"], 0)
    if User.objects.filter(username="dinghe_office").exists() and "411323" in cats:
        filed += _township_cases("dinghe", "411323", cats["411323"], 100)
    return filed
