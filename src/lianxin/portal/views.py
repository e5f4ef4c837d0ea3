"""The citizens' public pages: a deputy's and a station's page, their QR codes, and the
entry points for opinions and tracking (ORG-13, SEC-6, UI.md "Citizens").

All views are ``@public``: no login, nothing personal, the same answer for everybody.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from lianxin.common.qr import public_url, qr_png, qr_svg
from lianxin.common.views import public
from lianxin.portal import selectors

# Pages load only the project's own CSS/JS; images may be data: URIs (inline QR codes).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def _public_headers(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Security headers for pages that face the internet (SEC-6)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response["X-Content-Type-Options"] = "nosniff"
        response["Referrer-Policy"] = "no-referrer"
        response["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        # Unguessable keys: a deputy's page is for those who hold his code, not for crawlers.
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


def _portal_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    return public(require_safe(_public_headers(view)))


@_portal_view
def deputy(request: HttpRequest, key: str) -> HttpResponse:
    page = selectors.deputy_page(key)
    return render(request, "portal/deputy.html", {"page": page})


@_portal_view
def deputy_opinion(request: HttpRequest, key: str) -> HttpResponse:
    page = selectors.deputy_page(key)
    return render(
        request,
        "portal/opinion_soon.html",
        {
            "subject": page.name,
            "back_url": reverse("portal:deputy", kwargs={"key": page.key}),
            "stations": page.stations,
        },
    )


@_portal_view
def station(request: HttpRequest, key: str) -> HttpResponse:
    page = selectors.station_page(key)
    return render(request, "portal/station.html", {"page": page})


@_portal_view
def station_opinion(request: HttpRequest, key: str) -> HttpResponse:
    page = selectors.station_page(key)
    return render(
        request,
        "portal/opinion_soon.html",
        {
            "subject": page.station.name,
            "back_url": reverse("portal:station", kwargs={"key": page.station.key}),
            "stations": [page.station],
        },
    )


@_portal_view
def plans(request: HttpRequest, congress_id: int) -> HttpResponse:
    """A congress's published annual deputy-work plans (ORG-2, 代表法 §43)."""
    congress, plan_list = selectors.plans_page(congress_id)
    return render(request, "portal/plans.html", {"congress": congress, "plans": plan_list})


@_portal_view
def plan(request: HttpRequest, congress_id: int, year: int) -> HttpResponse:
    return render(request, "portal/plan.html", {"plan": selectors.plan_page(congress_id, year)})


_KEY = re.compile(r"^[A-Za-z0-9_-]{16,32}$")


@_portal_view
def track(request: HttpRequest) -> HttpResponse:
    """How to follow an opinion: the tracking code is given at submission (CASE)."""
    back_url = ""
    for param, name in (("d", "portal:deputy"), ("s", "portal:station")):
        key = request.GET.get(param, "")
        if _KEY.match(key):
            back_url = reverse(name, kwargs={"key": key})
    return render(request, "portal/track.html", {"back_url": back_url})


def _svg(url: str) -> HttpResponse:
    response = HttpResponse(qr_svg(url, scale=8), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _png(url: str, filename: str) -> HttpResponse:
    response = HttpResponse(qr_png(url), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@_portal_view
def deputy_qr_svg(request: HttpRequest, key: str) -> HttpResponse:
    return _svg(public_url(selectors.person_for_qr(key)))


@_portal_view
def deputy_qr_png(request: HttpRequest, key: str) -> HttpResponse:
    return _png(public_url(selectors.person_for_qr(key)), "deputy-qr.png")


@_portal_view
def station_qr_svg(request: HttpRequest, key: str) -> HttpResponse:
    return _svg(public_url(selectors.station_for_qr(key)))


@_portal_view
def station_qr_png(request: HttpRequest, key: str) -> HttpResponse:
    return _png(public_url(selectors.station_for_qr(key)), "station-qr.png")
