"""Project-level pages: the home page each role lands on, health, and friendly errors."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Model, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import Actor, Perm, scope
from lianxin.common.qr import public_url, qr_svg_inline
from lianxin.directory.models import HandlingUnit, Mandate, Person, Station, StationMembership

# The workbench's figures: (label, model, list URL name). Counted within the actor's reach.
WORKBENCH_FIGURES: list[tuple[Any, type[Model], str]] = [
    (_("代表与人员"), Person, "directory:person_list"),
    (_("联络站"), Station, "directory:station_list"),
    (_("承办单位"), HandlingUnit, "directory:unit_list"),
]


def home(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if not actor.is_authenticated:
        return redirect("accounts:login")
    if actor.role == Role.DEPUTY:
        return render(request, "mobile/home.html", _deputy_home(actor))
    return render(request, "staff/home.html", _workbench(actor))


home.public = True  # type: ignore[attr-defined]  # decides by itself: login page or the role's home


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _deputy_home(actor: Actor) -> dict[str, Any]:
    """A deputy's phone home: his profile and QR, his stations, his mandates (UI.md)."""
    person = Person.objects.filter(pk=actor.person_id).first() if actor.person_id else None
    if person is None:
        return {"tab": "home", "person": None}
    today = timezone.localdate()
    memberships = (
        StationMembership.objects.filter(person=person, station__is_active=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("station")
        .order_by("station__path")
    )
    mandates = (
        Mandate.objects.filter(person=person)
        .select_related("term__congress", "delegation")
        .order_by("status", "term__congress__level", "-started_on")
    )
    url = public_url(person)
    return {
        "tab": "home",
        "person": person,
        "stations": [m.station for m in memberships],
        "mandates": list(mandates),
        "public_url": url,
        # segno's own SVG markup for a URL we built: no user text inside.
        "qr_svg": mark_safe(qr_svg_inline(url)),  # noqa: S308
        "person_url": _url("directory:person_detail", person.pk),
    }


def _workbench(actor: Actor) -> dict[str, Any]:
    """The staff workbench: what the acting role reaches, and where to go next."""
    figures = []
    if actor.has(Perm.VIEW_DIRECTORY):
        for label, model, url_name in WORKBENCH_FIGURES:
            figures.append(
                {
                    "label": label,
                    "count": scope(actor, model._default_manager.all()).count(),
                    "url": _url(url_name),
                }
            )
    return {"figures": figures}


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


healthz.public = True  # type: ignore[attr-defined]


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
