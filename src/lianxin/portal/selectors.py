"""What the citizens' public pages may show (ORG-13, ORG-7, SEC-6).

Every page is built from these plain records, never from model instances, so a template
cannot reach a deputy's phone, ID number or anything else personal by accident. Only the
fields named here leave the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, F, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lianxin.directory.models import (
    Congress,
    Mandate,
    Person,
    Station,
    StationMembership,
    WorkPlan,
)


@dataclass(frozen=True)
class PublicMandate:
    congress: str
    level: str
    term: str
    kind: str
    district: str
    title: str = ""  # the whole line, "郏县第十八届人民代表大会代表", from one translatable pattern


@dataclass(frozen=True)
class PublicStation:
    key: str
    name: str
    kind: str
    address: str
    opening_hours: str
    phone: str
    is_active: bool = True


@dataclass(frozen=True)
class PublicDeputyCard:
    """One deputy on a station's public wall (ORG-7): name, unit, contact channel."""

    key: str
    name: str
    work_unit: str
    title: str
    public_phone: str
    levels: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DeputyPage:
    key: str
    name: str
    photo_url: str
    is_serving: bool
    mandates: list[PublicMandate]
    work_unit: str
    title: str
    public_phone: str
    stations: list[PublicStation]


@dataclass(frozen=True)
class StationPage:
    station: PublicStation
    industry: str
    introduction: str
    parent: PublicStation | None
    deputies: list[PublicDeputyCard]
    plans_congress_id: int | None = None  # its congress, when it has published work plans


def _open(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": today})


def _station(station: Station) -> PublicStation:
    return PublicStation(
        key=station.public_key,
        name=station.name,
        kind=station.get_kind_display(),
        address=station.address,
        opening_hours=station.opening_hours,
        phone=station.phone,
        is_active=station.is_active,
    )


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals, as a term is written: 第十八届."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def _mandate(mandate: Mandate) -> PublicMandate:
    """ "郏县第十八届人民代表大会代表", as the certificate reads."""
    term = mandate.term
    congress = term.congress
    district = mandate.delegation.name if mandate.delegation else mandate.electoral_district
    place = congress.name.removesuffix("人民代表大会")
    # Chinese writes the term in Chinese numerals (第十八届); other languages in digits.
    language = get_language() or ""
    number = chinese_number(term.number) if language.startswith("zh") else str(term.number)
    values = {"place": place, "number": number}
    return PublicMandate(
        congress=place,
        level=congress.get_level_display(),
        term=_("第%(number)s届") % {"number": number},
        kind=_("人民代表大会代表")
        if mandate.kind == Mandate.Kind.DEPUTY
        else _("人民代表大会议政代表"),
        district=district,
        title=_("%(place)s第%(number)s届人民代表大会代表") % values
        if mandate.kind == Mandate.Kind.DEPUTY
        else _("%(place)s第%(number)s届人民代表大会议政代表") % values,
    )


def _public_persons() -> QuerySet[Person]:
    """Persons with a public page: those who hold or held a mandate (一人一码, ORG-13)."""
    return Person.objects.filter(mandates__isnull=False).distinct()


def deputy_page(key: str) -> DeputyPage:
    """The public profile of a deputy or 议政代表; a former deputy still leads to his
    station(s) (CASE-12). Unknown key: 404."""
    person = (
        _public_persons()
        .only("pk", "name", "photo", "work_unit", "title", "public_phone")
        .filter(public_key=key)
    ).first()
    if person is None:
        raise Http404
    serving = list(
        Mandate.objects.filter(person=person, status=Mandate.Status.SERVING)
        .select_related("term__congress", "delegation")
        .order_by("term__congress__level", "-started_on")
    )
    memberships = StationMembership.objects.filter(person=person).select_related("station")
    current = [
        m.station
        for m in memberships.filter(_open(), station__is_active=True).order_by("station__path")
    ]
    if not current:
        # A former deputy's posters still hang: lead the citizen to where he last sat — his
        # home station before a 双进站 one — or, when it has closed, to the nearest open
        # station above it (CASE-12).
        last = (
            memberships.annotate(
                home_first=Case(
                    When(kind=StationMembership.Kind.HOME, then=Value(0)), default=Value(1)
                )
            )
            .order_by(F("ends_on").desc(nulls_first=True), "home_first", "-starts_on")
            .first()
        )
        open_station = _nearest_active(last.station) if last else None
        current = [open_station] if open_station else []
    is_serving = bool(serving)
    return DeputyPage(
        key=person.public_key,
        name=person.name,
        photo_url=person.photo.url if person.photo else "",
        is_serving=is_serving,
        mandates=[_mandate(m) for m in serving],
        work_unit=person.work_unit if is_serving else "",
        title=person.title if is_serving else "",
        public_phone=person.public_phone,
        stations=[_station(s) for s in current],
    )


def _nearest_active(station: Station) -> Station | None:
    """The station itself when active, else its nearest active ancestor."""
    if station.is_active:
        return station
    ancestors = station.ancestor_ids()
    return (
        Station.objects.filter(pk__in=ancestors, is_active=True).order_by("-depth").first()
        if ancestors
        else None
    )


def station_page(key: str) -> StationPage:
    """A station's public page with its wall of deputies (ORG-4, ORG-7). Unknown key: 404."""
    station = Station.objects.filter(public_key=key).first()
    if station is None:
        raise Http404
    sitting = (
        StationMembership.objects.filter(station=station)
        .filter(_open())
        .filter(person__mandates__status=Mandate.Status.SERVING)
        .select_related("person")
        .distinct()
        .order_by("person__name", "person__pk")
    )
    people = [m.person for m in sitting]
    levels: dict[int, list[str]] = {}
    for person_id, level, kind in (
        Mandate.objects.filter(person__in=people, status=Mandate.Status.SERVING)
        .order_by("term__congress__level")
        .values_list("person_id", "term__congress__level", "kind")
    ):
        label = (
            _("%(level)s人大代表") % {"level": Congress.Level(level).label}
            if kind == Mandate.Kind.DEPUTY
            else str(Mandate.Kind.PARTICIPANT.label)
        )
        levels.setdefault(person_id, [])
        if label not in levels[person_id]:
            levels[person_id].append(label)
    cards = [
        PublicDeputyCard(
            key=p.public_key,
            name=p.name,
            work_unit=p.work_unit,
            title=p.title,
            public_phone=p.public_phone,
            levels=levels.get(p.pk, []),
        )
        for p in people
    ]
    parent = Station.objects.filter(children=station, is_active=True).first()
    return StationPage(
        station=_station(station),
        industry=station.industry,
        introduction=station.introduction,
        parent=_station(parent) if parent is not None else None,
        deputies=cards,
        plans_congress_id=(
            station.congress_id
            if station.congress_id and published_plans(station.congress_id).exists()
            else None
        ),
    )


def person_for_qr(key: str) -> Person:
    person = _public_persons().only("pk", "public_key").filter(public_key=key).first()
    if person is None:
        raise Http404
    return person


def station_for_qr(key: str) -> Station:
    station = Station.objects.only("pk", "public_key").filter(public_key=key).first()
    if station is None:
        raise Http404
    return station


def published_plans(congress_id: int) -> QuerySet[WorkPlan]:
    """The annual deputy-work plans a congress has published (ORG-2, 代表法 §43)."""
    return WorkPlan.objects.filter(
        congress_id=congress_id, status=WorkPlan.Status.PUBLISHED
    ).order_by("-year")


def plans_page(congress_id: int) -> tuple[Congress, list[WorkPlan]]:
    congress = Congress.objects.filter(pk=congress_id).first()
    plans = list(published_plans(congress_id).only("year", "title", "published_at"))
    if congress is None or not plans:
        raise Http404
    return congress, plans


def plan_page(congress_id: int, year: int) -> WorkPlan:
    plan = published_plans(congress_id).select_related("congress").filter(year=year).first()
    if plan is None:
        raise Http404
    return plan
