"""What the citizens' pages read of cases (CASE-1, CASE-2, CASE-7, CASE-9, SEC-2).

Where an opinion goes (a deputy's or a station's QR page, or a place picked on the general
form), the categories offered there, the tracking page of one citizen's case and a station's
recent cases and figures. Pages receive plain records built here: public text (redacted),
labels and dates — never a citizen's name, phone, ID number or address.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.cases import workflow
from lianxin.cases.figures import Figures, case_figures
from lianxin.cases.models import Case, CaseCitizen, CaseEvent, CaseFigure, Category, Procedure
from lianxin.cases.redaction import redact
from lianxin.cases.services import congress_for
from lianxin.cases.similarity import similar_open_cases
from lianxin.directory.models import Congress, Mandate, Person, Station, StationMembership
from lianxin.regions.models import Region

# Steps of the tracking page that are not actions of the table.
EXTRA_LABELS: dict[str, Any] = {
    "submit": gettext_lazy("群众点单"),
    "second": gettext_lazy("附议"),
}


@dataclass
class Place:
    """Where an opinion is addressed: the channel, region, station and deputy of the case."""

    channel: str
    region: Region
    subject: str  # whom the citizen addresses: a deputy's or station's name, or the place
    back_url: str
    station: Station | None = None
    deputy: Person | None = None
    village_regions: list[Region] = field(default_factory=list)  # the region's villages
    congress: Congress | None = None  # the congress of ``region``, when read already

    @property
    def villages(self) -> list[tuple[int, str]]:
        """The villages the citizen may pick: (id, name)."""
        return [(village.pk, village.name) for village in self.village_regions]

    def congress_of(self, region: Region) -> Congress | None:
        """The congress receiving a case of ``region``, if known without a query: the place's
        own, for the place's region and its villages (no congress sits at a village)."""
        if region.pk == self.region.pk or any(v.pk == region.pk for v in self.village_regions):
            return self.congress
        return None

    def categories(self) -> QuerySet[Category]:
        return categories_for(self.region)

    def region_for(self, village_id: int | None) -> Region:
        """The village the citizen picked among this place's, else the place's region."""
        for village in self.village_regions:
            if village.pk == village_id:
                return village
        return self.region


def categories_for(region: Region) -> QuerySet[Category]:
    """Active categories of the region and of every region above it."""
    ids = [int(p) for p in region.path.strip("/").split("/") if p]
    return Category.objects.filter(region_id__in=ids, is_active=True).order_by(
        "order", "name", "pk"
    )


def _villages(region: Region) -> list[Region]:
    if region.level >= Region.Level.VILLAGE:
        return []
    return list(Region.objects.filter(parent=region, level=Region.Level.VILLAGE).order_by("code"))


def _serving(person: Person) -> bool:
    return Mandate.objects.filter(person=person, status=Mandate.Status.SERVING).exists()


def place_for_deputy(key: str) -> Place | None:
    """A serving deputy's QR form: the case goes to him and the station where he sits.
    None when he no longer serves (his page leads to his station instead)."""
    person = Person.objects.filter(public_key=key, mandates__isnull=False).distinct().first()
    if person is None:
        raise Http404
    if not _serving(person):
        return None
    today = timezone.localdate()
    membership = (
        StationMembership.objects.filter(person=person, station__is_active=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("station__region")
        .order_by("station__path")
        .first()
    )
    station = membership.station if membership is not None else None
    region = station.region if station is not None else person.region
    congress = congress_for(region) if region is not None else None
    if region is None or congress is None:
        raise Http404
    return Place(
        channel=Case.Channel.QR_DEPUTY,
        region=region,
        subject=person.name
        if person.name.endswith("代表")
        else _("%(name)s代表") % {"name": person.name},
        back_url=reverse("portal:deputy", kwargs={"key": person.public_key}),
        station=station,
        deputy=person,
        village_regions=_villages(region),
        congress=congress,
    )


# A station's form is read for every opinion filed there: its place (station, region,
# congress, villages) is kept ten minutes in the shared cache (issue 7: the filing's cost; a
# province's 13,000 stations each see a filing every few minutes at most). Saving the station
# drops it at once; a change of its congress or villages shows within the ten minutes.
PLACE_CACHE_SECONDS = 600


def _station_place_key(key: str) -> str:
    return f"lianxin:portal:place:station:{key}"


def place_for_station(key: str) -> Place:
    cached = cache.get(_station_place_key(key))
    if isinstance(cached, Place):
        return cached
    station = Station.objects.select_related("region").filter(public_key=key).first()
    congress = congress_for(station.region) if station is not None else None
    if station is None or not station.is_active or congress is None:
        raise Http404
    place = Place(
        channel=Case.Channel.QR_STATION,
        region=station.region,
        subject=station.name,
        back_url=reverse("portal:station", kwargs={"key": station.public_key}),
        station=station,
        village_regions=_villages(station.region),
        congress=congress,
    )
    cache.set(_station_place_key(key), place, PLACE_CACHE_SECONDS)
    return place


def forget_station_place(station: Station) -> None:
    """Drops the cached place of ``station``'s form (its save signal calls it)."""
    cache.delete(_station_place_key(station.public_key))


# --- The general form's place picker ---------------------------------------------------------


def _congress_paths() -> list[str]:
    return list(
        Region.objects.filter(congresses__isnull=False).distinct().values_list("path", flat=True)
    )


def pickable_children(parent: Region | None) -> list[Region]:
    """The regions under ``parent`` (or the counties and above when None) where a case can be
    filed: covered by a congress at or above them, or leading down to one."""
    paths = _congress_paths()
    if parent is None:
        # Start at the counties that have a congress or contain one.
        county_ids = set()
        for path in paths:
            ids = [int(p) for p in path.strip("/").split("/") if p]
            if len(ids) >= 3:
                county_ids.add(ids[2])
        return list(Region.objects.filter(pk__in=county_ids).order_by("code"))
    covered = any(parent.path.startswith(p) for p in paths)
    children = Region.objects.filter(parent=parent).order_by("code")
    if covered:
        return list(children)
    return [c for c in children if any(p.startswith(c.path) for p in paths)]


def pickable(region_id: Any) -> Region | None:
    """A region of the picker: covered by a congress, or leading down to one."""
    try:
        region = Region.objects.get(pk=int(region_id))
    except (TypeError, ValueError, Region.DoesNotExist):
        return None
    paths = _congress_paths()
    if any(region.path.startswith(p) or p.startswith(region.path) for p in paths):
        return region
    return None


def can_file_in(region: Region) -> bool:
    """Whether a congress receives cases of ``region`` (CASE-1)."""
    return congress_for(region) is not None


def region_trail(region: Region) -> list[Region]:
    ids = [int(p) for p in region.path.strip("/").split("/") if p]
    found = {r.pk: r for r in Region.objects.filter(pk__in=ids)}
    return [found[i] for i in ids if i in found and found[i].level >= Region.Level.COUNTY]


def place_for_region(region: Region) -> Place:
    return Place(
        channel=Case.Channel.WEB,
        region=region,
        subject="".join(r.name for r in region_trail(region)),
        back_url=reverse("portal:opinion"),
    )


# --- Similar cases (CASE-2) -----------------------------------------------------------------


@dataclass(frozen=True)
class SimilarCase:
    number: str
    text: str
    status: str
    received: dt.datetime
    people: int


def similar(place: Place, region: Region, category: Category, text: str) -> list[Case]:
    return [m.case for m in similar_open_cases(
        region=region, category=category, text=text, station=place.station
    )]  # fmt: skip


def similar_records(cases: list[Case]) -> list[SimilarCase]:
    """What the 附议 list shows of each similar case: its public (redacted) text only."""
    people = dict(
        CaseCitizen.objects.filter(case__in=cases)
        .values("case_id")
        .annotate(n=Count("pk"))
        .values_list("case_id", "n")
    )
    out = []
    procedures: dict[int, Procedure] = {}  # one read per congress, not two per case
    for case in cases:
        if case.congress_id not in procedures:
            procedures[case.congress_id] = workflow.procedure_for(case)
        procedure = procedures[case.congress_id]
        out.append(
            SimilarCase(
                number=case.number,
                text=case.public_text,
                status=workflow.label(procedure, case.status, case.get_status_display()),
                received=case.received_at,
                people=people.get(case.pk, 0),
            )
        )
    return out


# --- Tracking (CASE-9, CASE-7) -----------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    at: dt.datetime
    label: str
    note: str


@dataclass(frozen=True)
class PublicPhoto:
    pk: int


@dataclass
class Tracking:
    """One citizen's view of his case: public steps, the reply once approved, his rating."""

    number: str
    status: str
    is_open: bool
    category: str
    text: str
    place: str
    received: dt.datetime
    citizen: str  # masked name, or 匿名
    joined: str
    joined_kind: str
    steps: list[Step]
    reply: str
    replied: dt.datetime | None
    solved: bool | None
    reply_due: dt.datetime | None
    can_rate: bool
    my_rating: str
    my_rating_reason: str
    reopened: bool
    photos: list[PublicPhoto]
    citizen_id: int = 0
    case_id: int = 0


def mask_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


HANDLED = {Case.Status.DISPATCHED, Case.Status.HANDLING, Case.Status.REPLIED}
REPLY_SHOWN = {Case.Status.AWAITING_RATING, Case.Status.CLOSED, Case.Status.ARCHIVED}


def tracking(citizen: CaseCitizen) -> Tracking:
    case = Case.objects.select_related("category").get(pk=citizen.case_id)
    procedure: Procedure = workflow.procedure_for(case)
    names = [c.name for c in case.citizens.all() if c.name]
    events = CaseEvent.objects.filter(case=case).order_by("-seq")
    steps = []
    for event in events:
        if not (event.data or {}).get("public"):
            continue
        default = workflow.ACTION_LABELS.get(event.action) or EXTRA_LABELS.get(event.action)
        if default is None:
            continue
        steps.append(
            Step(
                at=event.at,
                label=workflow.label(procedure, event.action, default),
                note=redact(event.public_note, names),
            )
        )
    approved = case.status in REPLY_SHOWN and bool(case.reply)
    who = workflow.Who.citizen(citizen.pk)
    can_rate = workflow.Action.RATE in workflow.available_actions(who, case, procedure)
    return Tracking(
        number=case.number,
        status=workflow.label(procedure, case.status, case.get_status_display()),
        is_open=case.is_open,
        category=case.category.name,
        text=case.public_text or redact(case.text, names),
        place=redact(case.place, names),
        received=case.received_at,
        citizen=_("匿名") if citizen.anonymous or not citizen.name else mask_name(citizen.name),
        joined=citizen.get_joined_display(),
        joined_kind=citizen.joined,
        steps=steps,
        reply=redact(case.reply, names) if approved else "",
        replied=case.replied_at if approved else None,
        solved=case.solved if approved else None,
        reply_due=case.reply_due_at if case.status in HANDLED else None,
        can_rate=can_rate,
        my_rating=citizen.get_rating_display() if citizen.rating else "",
        my_rating_reason=citizen.rating_reason,
        reopened=case.reopen_count > 0 and case.is_open,
        photos=[PublicPhoto(pk) for pk in case.photos.values_list("pk", flat=True)],
        citizen_id=citizen.pk,
        case_id=case.pk,
    )


# --- A station's public record (CASE-9) ------------------------------------------------------


@dataclass(frozen=True)
class PublicCase:
    number: str
    text: str
    category: str
    status: str
    received: dt.datetime
    closed: dt.datetime | None


@dataclass(frozen=True)
class StationRecord:
    cases: Page[Any]
    figures: Figures
    since: dt.date


PER_PAGE = 10


def station_record(station_key: str, page: Any) -> StationRecord:
    station = Station.objects.filter(public_key=station_key).first()
    if station is None:
        raise Http404
    subtree = Station.objects.filter(path__startswith=station.path).values("pk")
    cases = (
        Case.objects.filter(station_id__in=subtree, sensitive=False)
        .exclude(status=Case.Status.MERGED)
        .select_related("category")
        .order_by("-received_at", "-pk")
    )
    paginator = Paginator(cases, PER_PAGE)
    current = paginator.get_page(page)
    procedures: dict[int, Procedure] = {}
    records = []
    for case in current.object_list:
        if case.congress_id not in procedures:
            procedures[case.congress_id] = workflow.procedure_for(case)
        records.append(
            PublicCase(
                number=case.number,
                text=case.public_text or _("（内容不公开）"),
                category=case.category.name,
                status=workflow.label(
                    procedures[case.congress_id], case.status, case.get_status_display()
                ),
                received=case.received_at,
                closed=case.closed_at,
            )
        )
    current.object_list = records  # type: ignore[assignment]
    today = timezone.localdate()
    since = dt.date(today.year, 1, 1)
    rows = CaseFigure.objects.filter(station_id__in=subtree)
    return StationRecord(cases=current, figures=case_figures(rows, since, today), since=since)
