"""A citizen files an opinion from a deputy's or a station's QR page or the general form, joins
a similar case instead (附议), and gets the number, link and PIN (CASE-1, CASE-2, SEC-5)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from lianxin.cases.models import Case, CaseCitizen, CasePhoto
from lianxin.common.qr import qr_svg
from tests.cases.conftest import file
from tests.portal.conftest import file_opinion, jpeg, open_form, receipt_of, step_one

pytestmark = pytest.mark.django_db

LAMP = "村口的路灯坏了三个月，晚上出行不便。"


def deputy_url(world) -> str:
    return f"/p/d/{world.a.deputy.public_key}/opinion/"


def station_url(world) -> str:
    return f"/p/s/{world.a.room.public_key}/opinion/"


def test_it_files_an_opinion_from_a_deputys_qr_page(client, world, roads):
    response = file_opinion(client, deputy_url(world), category=roads, text=LAMP,
                            name="张三", phone="138 1234 5678", photos=[jpeg()])  # fmt: skip
    assert response.status_code == 200
    number, _pin, link = receipt_of(response)
    case = Case.objects.get()
    assert case.number == number
    assert case.channel == Case.Channel.QR_DEPUTY
    assert case.deputy == world.a.deputy and case.station == world.a.room
    assert case.region == world.a.village and case.category == roads
    assert case.photos.count() == 1
    citizen = case.citizens.get()
    assert citizen.phone == "13812345678" and citizen.name == "张三"
    html = response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert client.get(link).status_code == 200
    # The link's QR code: an image of the receipt, the tracking link drawn (CASE-1).
    qr = re.search(r'<img src="([^"]+)"[^>]*data-testid="tracking-qr"', html)
    assert qr and qr.group(1) == f"{link}qr.svg"
    image = client.get(qr.group(1))
    assert image.status_code == 200 and image["Content-Type"] == "image/svg+xml"
    assert "private" in image["Cache-Control"]
    url = f"{settings.PUBLIC_BASE_URL.rstrip('/')}{link}"
    assert image.content.decode() == qr_svg(url, scale=8, title="查询二维码", mask=0)
    assert image["Referrer-Policy"] == "no-referrer"
    assert len(link.split("/")[3]) >= 32  # ≥ 128 bits


def test_it_files_an_opinion_from_a_stations_qr_page(client, world, roads):
    station = world.a.station  # the township station: the citizen may name his village
    url = f"/p/s/{station.public_key}/opinion/"
    key = open_form(client, url)
    assert world.a.village.name in client.get(url).content.decode()
    response = file_opinion(client, url, key=key, category=roads, text=LAMP,
                            village=world.a.village.pk, anonymous="on")  # fmt: skip
    receipt_of(response)
    case = Case.objects.get()
    assert case.channel == Case.Channel.QR_STATION and case.station == station
    assert case.deputy is None
    assert case.region == world.a.village
    citizen = case.citizens.get()
    assert citizen.anonymous and citizen.name == "" and citizen.phone == ""


def test_it_keeps_the_village_picked_at_a_township_station(client, world, roads):
    station = world.a.station
    url = f"/p/s/{station.public_key}/opinion/"
    key = open_form(client, url)
    step_one(client, url, key, category=roads.pk, text=LAMP, village=world.a.village.pk)
    client.post(url, {"step": "2", "key": key, "category": roads.pk, "text": LAMP,
                      "village": world.a.village.pk})  # fmt: skip
    assert Case.objects.get().region == world.a.village


def test_it_files_through_the_general_form_after_picking_the_village(client, world, roads):
    start = client.get("/p/opinion/").content.decode()
    assert world.a.county.name in start
    county = client.get(f"/p/opinion/?r={world.a.county.pk}").content.decode()
    assert world.a.region.name in county
    township = client.get(f"/p/opinion/?r={world.a.region.pk}").content.decode()
    assert world.a.village.name in township
    url = f"/p/opinion/?r={world.a.village.pk}"
    response = file_opinion(client, url, category=roads, text=LAMP)
    receipt_of(response)
    case = Case.objects.get()
    assert case.channel == Case.Channel.WEB and case.region == world.a.village
    assert case.station is None and case.congress == world.a.congress


def test_it_offers_only_categories_of_the_place_and_above(client, world, roads):
    from lianxin.cases.models import Category

    Category.objects.create(region=world.b.county, code="water", name="乙县供水")
    html = client.get(deputy_url(world)).content.decode()
    assert "道路交通" in html and "乙县供水" not in html
    key = open_form(client, deputy_url(world))
    other = Category.objects.get(code="water")
    response = step_one(client, deputy_url(world), key, category=other.pk, text=LAMP)
    assert (
        "请选择" in response.content.decode() or "选择一个有效的选项" in response.content.decode()
    )
    assert Case.objects.count() == 0


def test_a_retry_and_a_double_click_file_one_case_with_the_same_answer(client, world, roads):
    url = deputy_url(world)
    key = open_form(client, url)
    first = receipt_of(file_opinion(client, url, key=key, category=roads, text=LAMP))
    again = receipt_of(file_opinion(client, url, key=key, category=roads, text=LAMP))
    assert first == again
    assert Case.objects.count() == 1
    # Two citizens with the same complaint (two forms, two keys) file two cases.
    other = receipt_of(file_opinion(client, url, category=roads, text=LAMP))
    assert other[0] != first[0]
    assert Case.objects.count() == 2


def test_it_shows_similar_open_cases_before_filing_and_lets_the_citizen_join_one(
    client, world, roads
):
    existing = file(
        world.a, text="我叫王小明，村口的路灯坏了三个月，晚上出行很不便。", category=roads
    ).case
    url = deputy_url(world)
    key = open_form(client, url)
    second_step = step_one(client, url, key, category=roads.pk, text=LAMP)
    html = second_step.content.decode()
    assert 'data-testid="similar-cases"' in html
    assert existing.number in html
    assert "王小明" not in html  # the public text only
    response = client.post(url, {"step": "2", "key": key, "category": roads.pk, "text": LAMP,
                                 "join": existing.number, "phone": "13900001111"})  # fmt: skip
    number, _pin, link = receipt_of(response)
    assert number == existing.number
    assert Case.objects.count() == 1
    joined = CaseCitizen.objects.get(joined=CaseCitizen.Joined.SECONDED)
    assert joined.case == existing and joined.phone == "13900001111"
    assert "附议成功" in response.content.decode()
    assert client.get(link).status_code == 200


def test_it_refuses_to_join_a_case_that_is_not_among_the_similar_ones(client, world, roads):
    other = file(world.a, text="小学门口的下水道堵塞，污水横流，气味难闻。", category=roads).case
    url = deputy_url(world)
    key = open_form(client, url)
    response = client.post(url, {"step": "2", "key": key, "category": roads.pk, "text": LAMP,
                                 "join": other.number})  # fmt: skip
    assert response.status_code == 200
    assert "您要附议的意见已办结或不在附近" in response.content.decode()
    assert CaseCitizen.objects.filter(joined=CaseCitizen.Joined.SECONDED).count() == 0
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"text": ""}, "请填写反映的问题。"),
        ({"category": ""}, "请选择问题的类别。"),
        ({"text": "长" * 2001}, "内容不能超过2000字。"),
    ],
)
def test_it_refuses_missing_fields_in_step_one_and_keeps_what_was_typed(
    client, world, roads, data, field_message
):
    url = deputy_url(world)
    key = open_form(client, url)
    body = {"category": roads.pk, "text": LAMP, "place": "幸福路口", **data}
    response = step_one(client, url, key, **body)
    html = response.content.decode()
    assert field_message in html
    assert "幸福路口" in html
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"phone": "12345"}, "请填写正确的11位手机号码。"),
        ({"phone": "138123456789"}, "请填写正确的11位手机号码。"),
        ({"notify_by_sms": "on"}, "选择短信告知进度时，请留下手机号码。"),
        ({"latitude": "34.5"}, "经度和纬度要一起填写。"),
        ({"latitude": "abc", "longitude": "113"}, "纬度应为数字"),
        ({"latitude": "95", "longitude": "113"}, "90"),
    ],
)
def test_it_refuses_bad_contact_details_and_map_points(client, world, roads, data, message):
    response = file_opinion(client, deputy_url(world), category=roads, text=LAMP, **data)
    html = response.content.decode()
    assert message in html
    assert LAMP in html  # kept
    assert Case.objects.count() == 0


def test_it_refuses_a_form_without_a_valid_key(client, world, roads):
    url = deputy_url(world)
    response = client.post(url, {"step": "2", "key": "short", "category": roads.pk, "text": LAMP})
    assert "页面已过期" in response.content.decode()
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg"),
        SimpleUploadedFile(
            "x.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            content_type="image/svg+xml",
        ),
        SimpleUploadedFile(
            "x.html", b"<html><script>alert(1)</script></html>", content_type="text/html"
        ),
    ],
    ids=["fake-jpeg", "svg", "html"],
)
def test_it_refuses_uploads_that_are_not_photos(client, world, roads, upload):
    response = file_opinion(client, deputy_url(world), category=roads, text=LAMP, photos=[upload])
    html = response.content.decode()
    assert "只能上传照片" in html
    assert LAMP in html
    assert Case.objects.count() == 0 and CasePhoto.objects.count() == 0


def test_it_refuses_more_than_four_photos(client, world, roads):
    photos = [jpeg(f"p{i}.jpg") for i in range(5)]
    response = file_opinion(client, deputy_url(world), category=roads, text=LAMP, photos=photos)
    assert "最多上传4张照片" in response.content.decode()
    assert Case.objects.count() == 0


@pytest.mark.parametrize("script", ["<script>alert(1)</script>", "＜script＞alert(1)＜/script＞"])
def test_it_shows_html_in_the_text_escaped_on_every_page(client, world, roads, script):
    text = f"路灯坏了{script}<b>粗</b>"
    url = deputy_url(world)
    key = open_form(client, url)
    step2 = step_one(client, url, key, category=roads.pk, text=text).content.decode()
    assert "<script>alert(1)" not in step2 and "<b>粗</b>" not in step2
    response = file_opinion(client, url, key=key, category=roads, text=text)
    _number, _pin, link = receipt_of(response)
    tracking = client.get(link).content.decode()
    station = client.get(f"/p/s/{world.a.room.public_key}/").content.decode()
    for html in (tracking, station):
        assert "<script>alert(1)" not in html
        assert "<b>粗</b>" not in html
        assert "&lt;b&gt;粗&lt;/b&gt;" in html


def test_it_limits_a_flood_from_one_address_but_keeps_the_text(client, world, roads, settings):
    settings.LIANXIN_PORTAL_LIMITS = {"BURST": 2, "HOURLY": 100}
    url = deputy_url(world)
    keys = []
    for i in range(2):
        key = open_form(client, url)
        keys.append(key)
        receipt_of(file_opinion(client, url, key=key, category=roads, text=f"{LAMP}{i}"))
    response = file_opinion(client, url, category=roads, text="第三件：垃圾没人清运")
    assert response.status_code == 429
    html = response.content.decode()
    assert "提交太频繁了" in html and "第三件：垃圾没人清运" in html
    assert "captcha" not in html.lower()
    assert Case.objects.count() == 2
    # A retry of a form already filed is never refused: it files nothing new.
    again = file_opinion(client, url, key=keys[0], category=roads, text=f"{LAMP}0")
    assert again.status_code == 200
    receipt_of(again)
    # Another address is not affected.
    other = file_opinion(client, url, category=roads, text="另一个地址", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200
    assert Case.objects.count() == 3


def test_it_keeps_csrf_protection_on_the_form(world, roads):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(deputy_url(world), {"step": "1", "key": "k" * 32,
                                                "category": roads.pk, "text": LAMP})  # fmt: skip
    assert response.status_code == 403
    assert Case.objects.count() == 0


def test_a_former_deputys_form_leads_to_his_station(client, world):
    import datetime

    from lianxin.directory.models import Mandate

    Mandate.objects.filter(person=world.a.deputy).update(
        status=Mandate.Status.TERMINATED,
        ended_on=datetime.date(2024, 3, 1),
        end_reason=Mandate.EndReason.MOVED,
    )
    response = client.get(deputy_url(world))
    assert response.status_code == 302
    assert response["Location"] == f"/p/s/{world.a.room.public_key}/opinion/"


def test_it_refuses_an_oversize_photo_with_a_message(client, world, roads):
    from lianxin.cases.photos import MAX_BYTES

    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * MAX_BYTES, content_type="image/jpeg")
    response = file_opinion(client, deputy_url(world), category=roads, text=LAMP, photos=[big])
    assert "照片不能超过10MB" in response.content.decode()
    assert Case.objects.count() == 0


def test_step_two_shown_again_for_a_bad_phone_still_offers_the_similar_cases(client, world, roads):
    """Step 2 scores similar cases only when needed (issue 7); shown again, it lists them."""
    existing = file(world.a, text="村口的路灯坏了三个月，晚上出行很不便。", category=roads).case
    url = deputy_url(world)
    key = open_form(client, url)
    response = client.post(url, {"step": "2", "key": key, "category": roads.pk, "text": LAMP,
                                 "phone": "12345"})  # fmt: skip
    html = response.content.decode()
    assert "请填写正确的11位手机号码。" in html
    assert 'data-testid="similar-cases"' in html and existing.number in html
    assert Case.objects.count() == 1


def test_similar_cases_are_read_without_queries_per_case(
    client, world, roads, django_assert_max_num_queries
):
    """Five similar cases on step 1 cost no more statements than one (no N+1, issue 7)."""
    url = deputy_url(world)
    file(world.a, text="村口的路灯坏了三个月，晚上出行很不便。", category=roads)
    key = open_form(client, url)
    with django_assert_max_num_queries(100) as one:
        step_one(client, url, key, category=roads.pk, text=LAMP)
    for i in range(4):
        file(world.a, text=f"村口的路灯坏了三个月，晚上出行很不便。{i}", category=roads)
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = step_one(client, url, key, category=roads.pk, text=LAMP).content.decode()
    assert html.count('name="join"') == 6  # five cases and "a new opinion"


def test_a_station_closed_takes_its_form_down_at_once(client, world, roads):
    """The form's place is kept ten minutes in the cache (issue 7); saving the station drops it."""
    url = station_url(world)
    assert client.get(url).status_code == 200
    station = world.a.room
    station.is_active = False
    station.save()
    assert client.get(url).status_code == 404
    station.is_active = True
    station.save()
    receipt_of(file_opinion(client, url, category=roads, text=LAMP))
    assert Case.objects.get().station == station
