"""QR codes for public identities: 一人一码、一站一码 (ORG-13, SEC-6).

A code carries ``settings.PUBLIC_BASE_URL`` plus the public path of a person or a station, so
that a poster printed from the intranet still opens the internet-facing portal.
"""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.db import models
from django.urls import reverse

# Error correction "M" survives a scuffed poster; a border of 2 modules is enough on white.
_ERROR = "m"
_BORDER = 2
_DARK = "#000"


def public_path(obj: models.Model) -> str:
    """The portal path of a person's or a station's public page."""
    label = obj._meta.label_lower
    if label == "directory.person":
        return reverse("portal:deputy", kwargs={"key": obj.public_key})  # type: ignore[attr-defined]
    if label == "directory.station":
        return reverse("portal:station", kwargs={"key": obj.public_key})  # type: ignore[attr-defined]
    raise ValueError(f"{label} has no public page")


def public_url(obj: models.Model) -> str:
    """The absolute URL a QR code carries: PUBLIC_BASE_URL + the public path."""
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{public_path(obj)}"


def qr_svg(url: str, *, scale: int = 4, title: str | None = None, mask: int | None = None) -> str:
    """The QR code of ``url`` as a standalone SVG document (text); ``mask`` as below."""
    buffer = io.BytesIO()
    segno.make(url, error=_ERROR, micro=False, mask=mask).save(
        buffer,
        kind="svg",
        scale=scale,
        border=_BORDER,
        dark=_DARK,
        light="#fff",
        title=title,
        xmldecl=False,
        svgns=True,
        unit="",
    )
    return buffer.getvalue().decode("utf-8")


def qr_svg_inline(url: str, *, title: str | None = None, mask: int | None = None) -> str:
    """The SVG element alone, scalable by CSS, for embedding in a page. A fixed ``mask`` (0-7)
    gives a valid code without scoring all eight (most of the drawing's time, issue 7)."""
    buffer = io.BytesIO()
    segno.make(url, error=_ERROR, micro=False, mask=mask).save(
        buffer,
        kind="svg",
        scale=1,
        border=_BORDER,
        dark=_DARK,
        light="#fff",
        title=title,
        xmldecl=False,
        svgns=True,
        omitsize=True,
        svgclass="lx-qr-svg",
    )
    return buffer.getvalue().decode("utf-8")


def qr_png(url: str, *, scale: int = 10) -> bytes:
    """The QR code of ``url`` as PNG bytes, large enough to print on a poster."""
    buffer = io.BytesIO()
    segno.make(url, error=_ERROR, micro=False).save(
        buffer, kind="png", scale=scale, border=_BORDER, dark=_DARK, light="#fff"
    )
    return buffer.getvalue()
