"""QR posters and cards to print (ORG-13: "codes print on posters and cards").

For every serving deputy and every active station: an A4 poster (one sheet each) and a card
of 85.6 × 54 mm (ten to an A4 sheet, with cut lines); singly from a record's page, or in bulk
for a whole township (or county) within the actor's reach.

What a print shows is built here as plain records (``Printable``) from public facts only —
the same facts the citizens' portal shows (SEC-6): never a phone number or ID number, only a
deputy's ``public_phone`` and a station's own phone. The QR carries ``PUBLIC_BASE_URL`` plus
the public path (``lianxin.common.qr``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import Actor, Perm, get_in_reach_or_404, scope
from lianxin.common.forms import StaffForm
from lianxin.common.qr import public_url, qr_svg_inline
from lianxin.common.views import requires
from lianxin.directory.models import Congress, Mandate, Person, Station, StationMembership
from lianxin.portal.selectors import _mandate as public_mandate
from lianxin.regions.models import Region

L = gettext_lazy

POSTER, CARD = "poster", "card"
CARDS_PER_SHEET = 10  # 2 columns × 5 rows of 85.6 × 54 mm on A4
# A bulk print of a whole county is paged: each page stays a print job a browser handles.
PER_PAGE = {POSTER: 50, CARD: 10 * CARDS_PER_SHEET}


# --- What a print shows -----------------------------------------------------------------------


@dataclass(frozen=True)
class Printable:
    """One QR identity, ready to print: public facts only (SEC-6)."""

    kind: str  # "deputy" or "station"
    name: str
    titles: list[str]  # under the name: a deputy's mandates as his certificate reads them
    facts: list[tuple[str, str]]  # (label, value) lines of the poster
    card_line: str  # the one line under the name on a card
    url: str
    qr_svg: SafeString

    @property
    def is_station(self) -> bool:
        return self.kind == "station"

    @property
    def density(self) -> str:
        """How much the poster must shrink its code to keep everything on one sheet."""
        lines = len(self.titles) + sum(1 + len(value) // 19 for _label, value in self.facts)
        return "" if lines <= 5 else "dense" if lines <= 7 else "denser"


def _open(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": today})


def _serving_mandates() -> QuerySet[Mandate]:
    return (
        Mandate.objects.filter(status=Mandate.Status.SERVING)
        .select_related("term__congress", "delegation")
        .order_by("term__congress__level", "-started_on")
    )


def _current_seats() -> QuerySet[StationMembership]:
    return (
        StationMembership.objects.filter(_open(), station__is_active=True)
        .select_related("station")
        .order_by("station__path")
    )


def _person_prefetch() -> tuple[Prefetch, Prefetch]:  # type: ignore[type-arg]
    """Prefetched once per page, whatever the number of deputies on it (built per call:
    "open today" must mean today)."""
    return (
        Prefetch("mandates", queryset=_serving_mandates(), to_attr="print_mandates"),
        Prefetch("station_memberships", queryset=_current_seats(), to_attr="print_seats"),
    )


def serving_persons() -> QuerySet[Person]:
    """Persons with a serving mandate (deputies and 议政代表): the ones whose code to print;
    a former deputy's posters are not printed anew."""
    serving = Mandate.objects.filter(person=OuterRef("pk"), status=Mandate.Status.SERVING)
    return Person.objects.filter(Exists(serving))


def _qr(url: str, name: str) -> SafeString:
    # segno's own SVG markup of a URL we built; the title is escaped by segno.
    return mark_safe(qr_svg_inline(url, title=name))  # noqa: S308


def _level_label(mandate: Mandate) -> str:
    if mandate.kind == Mandate.Kind.PARTICIPANT:
        return str(Mandate.Kind.PARTICIPANT.label)
    level = Congress.Level(mandate.term.congress.level).label
    return _("%(level)s人大代表") % {"level": level}


def deputy_printable(person: Person) -> Printable:
    """A deputy's poster and card; ``person`` best comes with ``_person_prefetch()``."""
    if not hasattr(person, "print_mandates"):
        prefetch_related_objects([person], *_person_prefetch())
    mandates: list[Mandate] = person.print_mandates  # type: ignore[attr-defined]
    seats: list[StationMembership] = person.print_seats  # type: ignore[attr-defined]
    facts: list[tuple[str, str]] = []
    unit = " ".join(v for v in (person.work_unit, person.title) if v)
    if unit:
        facts.append((_("工作单位"), unit))
    stations = list(dict.fromkeys(s.station.name for s in seats))
    if stations:
        # Translators: the separator between the items of a list, "、" in Chinese.
        facts.append((_("所在联络站"), _("、").join(stations)))
    if person.public_phone:
        facts.append((_("联系方式"), person.public_phone))
    levels = list(dict.fromkeys(_level_label(m) for m in mandates))
    url = public_url(person)
    return Printable(
        kind="deputy",
        name=person.name,
        titles=list(dict.fromkeys(public_mandate(m).title for m in mandates)),
        facts=facts,
        card_line=_("、").join(levels),
        url=url,
        qr_svg=_qr(url, person.name),
    )


def station_printable(station: Station) -> Printable:
    facts = [
        (label, value)
        for label, value in (
            (_("地址"), station.address),
            (_("开放时间"), station.opening_hours),
            (_("电话"), station.phone),
        )
        if value
    ]
    url = public_url(station)
    return Printable(
        kind="station",
        name=station.name,
        titles=[station.get_kind_display()],
        facts=facts,
        card_line=station.get_kind_display(),
        url=url,
        qr_svg=_qr(url, station.name),
    )


def printables(objects: list[Person | Station]) -> list[Printable]:
    """The prints of ``objects`` in their order, with a flat number of queries."""
    persons = [o for o in objects if isinstance(o, Person)]
    prefetch_related_objects(persons, *_person_prefetch())
    return [deputy_printable(o) if isinstance(o, Person) else station_printable(o) for o in objects]


def sheets_of_cards(items: list[Printable]) -> list[list[Printable]]:
    return [items[i : i + CARDS_PER_SHEET] for i in range(0, len(items), CARDS_PER_SHEET)]


# --- Selectors --------------------------------------------------------------------------------


@dataclass
class RegionSelection:
    """Who is printed for a region, in print order: each station followed by the deputies
    sitting in it (station path, then name), a deputy once, where he sits first."""

    objects: list[Person | Station]
    stations: int
    deputies: int


def region_selection(
    actor: Actor, region: Region, *, stations: bool, deputies: bool
) -> RegionSelection:
    """Active stations of ``region`` (and below) and the serving deputies sitting in them
    (an open StationMembership), all within the actor's reach (ORG-7, ORG-13)."""
    in_region = scope(
        actor, Station.objects.filter(is_active=True, region__path__startswith=region.path)
    ).order_by("path", "pk")
    station_list = list(in_region)
    sitting: dict[int, list[Person]] = {}
    seen: set[int] = set()
    if deputies and station_list:
        persons_in_reach = scope(actor, serving_persons()).values("pk")
        seats = (
            StationMembership.objects.filter(_open())
            .filter(station__in=in_region.values("pk"), person__in=persons_in_reach)
            .select_related("person")
            .order_by("station__path", "person__name", "person__pk")
        )
        for seat in seats:
            if seat.person_id in seen:
                continue
            seen.add(seat.person_id)
            sitting.setdefault(seat.station_id, []).append(seat.person)
    objects: list[Person | Station] = []
    for station in station_list:
        if stations:
            objects.append(station)
        objects.extend(sitting.get(station.pk, []))
    return RegionSelection(
        objects=objects,
        stations=len(station_list) if stations else 0,
        deputies=len(seen),
    )


def home_region(actor: Actor) -> Region | None:
    """The region an actor's work covers: the office's region, the station's region."""
    a = actor.assignment
    if a is None:
        return None
    if a.role in (Role.OFFICE, Role.LEADERSHIP):
        return a.region
    if a.role == Role.STATION and a.station is not None:
        return a.station.region
    return None


def print_links(actor: Actor, obj: Any) -> dict[str, str] | None:
    """打印海报 / 打印卡片 for a record page: a serving deputy or an active station."""
    if not actor.has(Perm.PRINT_CODES):
        return None
    if isinstance(obj, Station) and obj.is_active:
        prefix = "station"
    elif isinstance(obj, Person) and obj.serving_mandates().exists():
        prefix = "person"
    else:
        return None
    return {
        "poster": reverse(f"directory:{prefix}_poster", args=[obj.pk]),
        "card": reverse(f"directory:{prefix}_card", args=[obj.pk]),
    }


# --- Pages ------------------------------------------------------------------------------------


def _render_single(
    request: HttpRequest, item: Printable, layout: str, back_url: str
) -> HttpResponse:
    items = [item] if layout == POSTER else [item] * CARDS_PER_SHEET
    return render(
        request,
        "directory/print/single.html",
        {
            "title": (_("%(name)s二维码海报") if layout == POSTER else _("%(name)s二维码卡片"))
            % {"name": item.name},
            "layout": layout,
            "items": items,
            "sheets": sheets_of_cards(items) if layout == CARD else [],
            "back_url": back_url,
        },
    )


def _person(request: HttpRequest, pk: int, layout: str) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    person = get_in_reach_or_404(actor, serving_persons(), pk=pk)
    back = reverse("directory:person_detail", args=[person.pk])
    return _render_single(request, printables([person])[0], layout, back)


def _station(request: HttpRequest, pk: int, layout: str) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    station = get_in_reach_or_404(actor, Station.objects.filter(is_active=True), pk=pk)
    back = reverse("directory:station_detail", args=[station.pk])
    return _render_single(request, station_printable(station), layout, back)


@requires(Perm.PRINT_CODES)
def person_poster(request: HttpRequest, pk: int) -> HttpResponse:
    return _person(request, pk, POSTER)


@requires(Perm.PRINT_CODES)
def person_card(request: HttpRequest, pk: int) -> HttpResponse:
    return _person(request, pk, CARD)


@requires(Perm.PRINT_CODES)
def station_poster(request: HttpRequest, pk: int) -> HttpResponse:
    return _station(request, pk, POSTER)


@requires(Perm.PRINT_CODES)
def station_card(request: HttpRequest, pk: int) -> HttpResponse:
    return _station(request, pk, CARD)


class RegionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        # Indented by level so that a county's townships read as its own.
        return "\u3000" * max(0, obj.level - Region.Level.COUNTY) + obj.name


class BulkPrintForm(StaffForm):
    """打印二维码: a region within reach, posters or cards, stations and/or deputies."""

    WHOM = (("both", L("联络站和代表")), ("stations", L("只印联络站")), ("deputies", L("只印代表")))

    region = RegionChoiceField(
        label=L("区域"),
        queryset=Region.objects.none(),
        help_text=L("乡镇（街道）或县；包括其下各村（社区）的联络站和在这些站里的代表。"),
    )
    layout = forms.ChoiceField(
        label=L("印什么"),
        choices=((POSTER, L("海报（A4，每张一人或一站）")), (CARD, L("卡片（A4，每张10张卡片）"))),
        initial=POSTER,
        widget=forms.RadioSelect,
    )
    whom = forms.ChoiceField(
        label=L("为谁印"), choices=WHOM, initial="both", widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        home = home_region(actor)
        condition = Q(level__in=(Region.Level.COUNTY, Region.Level.TOWNSHIP))
        if home is not None:
            condition |= Q(pk=home.pk)
        self.base_fields["region"].queryset = Region.objects.filter(condition).order_by("path")  # type: ignore[attr-defined]
        super().__init__(*args, actor=actor, **kwargs)
        for name in ("layout", "whom"):
            self.fields[name].widget.attrs["class"] = "form-check-input"


@requires(Perm.PRINT_CODES)
def bulk_print(request: HttpRequest) -> HttpResponse:
    """打印二维码: every poster or card of a township in one print page, with page breaks."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    home = home_region(actor)
    bound = request.GET if "region" in request.GET else None
    raw = request.GET.get("region", "")
    if raw.isdigit() and not scope(actor, Region.objects.filter(pk=int(raw))).exists():
        raise Http404  # a region outside reach looks like no region at all
    form = BulkPrintForm(bound, actor=actor, initial={"region": home.pk if home else None})
    ctx: dict[str, Any] = {"form": form, "title": _("打印二维码"), "selection": None}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        layout = data["layout"]
        selection = region_selection(
            actor,
            data["region"],
            stations=data["whom"] in ("both", "stations"),
            deputies=data["whom"] in ("both", "deputies"),
        )
        page: Page[Any] = Paginator(selection.objects, PER_PAGE[layout]).get_page(
            request.GET.get("page")
        )
        items = printables(list(page.object_list))
        params = request.GET.copy()
        params.pop("page", None)
        ctx.update(
            region=data["region"],
            layout=layout,
            selection=selection,
            page_obj=page,
            items=items,
            sheets=sheets_of_cards(items) if layout == CARD else [],
            querystring=params.urlencode(),
        )
    return render(request, "directory/print/bulk.html", ctx)
