"""Filing opinions through the portal's pages, as a citizen's phone would (CASE-1)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from lianxin.cases import services
from lianxin.cases.models import Case, Category
from lianxin.cases.workflow import Who
from tests.cases.conftest import Personas


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def roads(world) -> Category:
    return Category.objects.get_or_create(
        region=world.a.county, code="roads", defaults={"name": "道路交通"}
    )[0]


@pytest.fixture
def a(world) -> Personas:
    return Personas(world.a)


def jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 40, 40)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def form_key(html: str) -> str:
    found = re.search(r'name="key" value="([^"]+)"', html)
    assert found, "the form carries its one-time key"
    return found.group(1)


def open_form(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return form_key(response.content.decode())


def step_one(client: Client, url: str, key: str, **data: Any) -> Any:
    extra = {k: data.pop(k) for k in list(data) if k.isupper()}
    return client.post(url, {"step": "1", "key": key, **data}, **extra)


def file_opinion(client: Client, url: str, *, category: Category, text: str, key: str = "",
                 **data: Any) -> Any:  # fmt: skip
    """Both steps: step 1, then step 2 with the same key (as the page carries it)."""
    extra = {k: data.pop(k) for k in list(data) if k.isupper()}  # REMOTE_ADDR and the like
    key = key or open_form(client, url)
    first = step_one(
        client, url, key, category=category.pk, text=text, place=data.get("place", ""), **extra
    )
    assert first.status_code == 200, first.content.decode()[:2000]
    body = {"step": "2", "key": key, "category": category.pk, "text": text, "place": "", **data}
    return client.post(url, body, **extra)


def receipt_of(response: Any) -> tuple[str, str, str]:
    """The number, PIN and tracking path a receipt page shows."""
    html = response.content.decode()
    number = re.search(r'data-testid="case-number">([^<]+)<', html)
    pin = re.search(r'data-testid="case-pin">(\d{6})<', html)
    link = re.search(r'href="(/p/t/[^"]+/)" rel="noreferrer" data-testid="tracking-link"', html)
    assert number and pin and link, html[:3000]
    return number.group(1), pin.group(1), link.group(1)


def to_awaiting_rating(a: Personas, case: Case) -> Case:
    case = services.confirm(who=a.deputy, case=case)
    case = services.triage(who=a.office, case=case, scope=Case.Scope.TOWNSHIP)
    case = services.dispatch(who=a.office, case=case, lead=a.t.unit)
    case = services.accept(who=a.unit, case=case)
    case = services.reply(who=a.unit, case=case, text="已更换路灯三盏。", solved=True)
    return services.approve_reply(who=a.deputy, case=case)


__all__ = ["Who", "file_opinion", "form_key", "jpeg", "open_form", "receipt_of", "step_one"]
