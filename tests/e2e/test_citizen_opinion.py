"""Browser, 375 px (issue 4): open a deputy's QR page → submit with a photo → see the tracking
page → (staff steps through the services) → rate 不满意 → see the case reopened (CASE-1,
CASE-7, CASE-9). Nothing is loaded from elsewhere."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image

from lianxin.cases.models import Case, Category
from tests.cases.conftest import Personas
from tests.factories import make_world
from tests.portal.conftest import to_awaiting_rating

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("LIANXIN_SCREENSHOTS", "")  # a directory: screenshots are kept there


# The image's width once the browser has fetched it (it may still be loading when asked).
_LOADED_WIDTH = """img => img.complete ? img.naturalWidth : new Promise(done => {
    img.addEventListener("load", () => done(img.naturalWidth));
    img.addEventListener("error", () => done(0));
})"""


def _shot(page, name: str) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _no_overflow(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page is {width}px wide"


def test_a_citizen_files_with_a_photo_tracks_rates_dissatisfied_and_sees_it_reopened(
    live_server, phone, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = make_world()
    Category.objects.create(region=world.a.county, code="roads", name="道路交通")
    photo = tmp_path / "lamp.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 90, 160)).save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())
    external: list[str] = []
    phone.on("request", lambda r: None if r.url.startswith((live_server.url, "data:"))
             else external.append(r.url))  # fmt: skip

    phone.goto(f"{live_server.url}/p/d/{world.a.deputy.public_key}/")
    phone.get_by_role("link", name="提意见建议").click()
    phone.get_by_label("问题类别").select_option(label="道路交通")
    phone.get_by_label("您反映的问题").fill(
        "村口的路灯坏了三个月，晚上出行不便。<script>alert(1)</script>"
    )
    phone.get_by_label("问题地点").fill("甲镇一村村口")
    _no_overflow(phone)
    _shot(phone, "1-form-step1")
    phone.get_by_role("button", name="下一步").click()

    phone.get_by_label("照片（可选，最多4张）").set_input_files(str(photo))
    phone.get_by_label("姓名（可选）").fill("张三")
    phone.get_by_label("手机号码（可选）").fill("13812345678")
    _no_overflow(phone)
    _shot(phone, "2-form-step2")
    phone.get_by_role("button", name="提交", exact=True).click()

    number = phone.get_by_test_id("case-number").inner_text()
    case = Case.objects.get(number=number)
    assert case.photos.count() == 1 and case.channel == Case.Channel.QR_DEPUTY
    assert len(phone.get_by_test_id("case-pin").inner_text()) == 6
    _no_overflow(phone)
    _shot(phone, "3-receipt")
    phone.get_by_role("link", name="打开查询页面（可收藏）").click()
    assert phone.get_by_test_id("case-number").inner_text() == number
    assert phone.get_by_text("群众点单").is_visible()
    assert "13812345678" not in phone.content()
    photo = phone.locator(".lx-pub-photos img")
    photo.scroll_into_view_if_needed()
    assert photo.evaluate(_LOADED_WIDTH) > 0

    to_awaiting_rating(Personas(world.a), case)  # the staff's steps
    phone.reload()
    assert phone.get_by_test_id("reply").is_visible()
    _no_overflow(phone)
    _shot(phone, "4-tracking-rating")
    phone.get_by_role("radio", name="不满意").check()
    phone.get_by_role("button", name="提交评价").click()
    assert phone.get_by_text("请说明不满意的原因").is_visible()
    phone.get_by_role("radio", name="不满意").check()
    phone.get_by_label("理由（选“不满意”时必填）").fill("只修好了一盏，另外两盏还是不亮。")
    phone.get_by_role("button", name="提交评价").click()

    assert phone.get_by_test_id("reopened").is_visible()
    assert phone.get_by_test_id("case-status").inner_text() == "办理中"
    assert phone.get_by_text("您的评价为不满意，已重新交办办理。").is_visible()
    _shot(phone, "5-tracking-reopened")
    case.refresh_from_db()
    assert case.status == Case.Status.HANDLING and case.reopen_count == 1
    assert external == []
