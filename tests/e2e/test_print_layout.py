"""Printed QR posters and cards (ORG-13) in a real browser: one A4 sheet per poster, ten
cards to a sheet, nothing loaded from elsewhere, and the print page usable at 375 px."""

import importlib
import re

import pytest
from django.apps import apps

from lianxin.accounts.models import User
from lianxin.common.demo import load_demo
from lianxin.regions.models import Region
from tests.e2e.test_layout import PHONE_WIDTH, _assert_fits, _log_in, _watch_external

pytestmark = pytest.mark.django_db(transaction=True)

A4_POINTS = (595, 842)  # 210 × 297 mm
PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]")


@pytest.fixture
def demo(live_server):
    if not Region.objects.filter(code="41").exists():
        importlib.import_module("lianxin.regions.migrations.0002_load_national_divisions").load(
            apps, None
        )
    load_demo()
    return live_server


def pdf_pages(page):
    """(number of pages, their sizes in points) of the page printed as the browser prints."""
    page.emulate_media(media="print")
    data = page.pdf(prefer_css_page_size=True)
    page.emulate_media(media="screen")
    sizes = {(round(float(w)), round(float(h))) for w, h in MEDIA_BOX.findall(data)}
    return len(PAGE.findall(data)), sizes


def test_it_prints_a_township_one_poster_a_sheet_and_ten_cards_a_sheet(demo, phone):
    external = _watch_external(phone, demo)
    _log_in(phone, demo, "anliang_office")
    region = User.objects.get(username="anliang_office").assignments.get().region
    url = f"{demo.url}/staff/directory/print/?region={region.pk}&whom=both"

    phone.goto(f"{url}&layout=poster")
    posters = phone.locator(".lx-sheets .lx-poster").count()
    assert posters > 3
    _assert_fits(phone)
    box = phone.locator(".lx-poster").first.bounding_box()
    assert box is not None and box["width"] <= PHONE_WIDTH  # the sheet scales down
    assert phone.get_by_role("button", name="打印", exact=True).is_visible()
    assert pdf_pages(phone) == (posters, {A4_POINTS})

    phone.goto(f"{url}&layout=card")
    cards = phone.locator(".lx-sheets .lx-card").count()
    assert cards == posters
    _assert_fits(phone)
    sheets = phone.locator(".lx-card-sheet").count()
    assert sheets == -(-cards // 10)
    assert pdf_pages(phone) == (sheets, {A4_POINTS})
    assert external == []
