"""Similar open cases nearby shown as the citizen types on step 1 (htmx, debounced), with the
附议 choice carried to step 2; masked texts only; step 2 still lists them without JavaScript
(CASE-2, SEC-2, SEC-5)."""

from __future__ import annotations

import re

import pytest

from lianxin.cases.models import Case, CaseCitizen
from tests.cases.conftest import file
from tests.portal.conftest import open_form, receipt_of, step_one

pytestmark = pytest.mark.django_db
LAMP = "村口的路灯坏了三个月，晚上出行很不便，希望尽快修好。"


def deputy_url(world) -> str:
    return f"/p/d/{world.a.deputy.public_key}/opinion/"


def live(client, url, **data):
    return client.post(url, {"check": "1", "step": "1", **data}, HTTP_HX_REQUEST="true")


def test_step_one_asks_for_similar_cases_as_the_citizen_types(client, world, roads):
    html = client.get(deputy_url(world)).content.decode()
    found = re.search(r'<div id="lx-similar"[^>]*>', html)
    assert found, "step 1 carries the live check"
    tag = found.group(0)
    assert 'hx-post="' in tag and "delay:800ms" in tag and "check" in tag


def test_it_answers_with_the_similar_open_cases_masked(client, world, roads):
    existing = file(
        world.a, text="我叫王小明，电话13812345678，村口的路灯坏了三个月，晚上出行很不便。",
        category=roads,
    ).case  # fmt: skip
    response = live(client, deputy_url(world), category=roads.pk, text="村口路灯坏了，晚上很黑")
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert 'data-testid="similar-cases"' in html and existing.number in html
    assert "王小明" not in html and "13812345678" not in html
    assert 'name="join"' in html and "<html" not in html  # a fragment, not a page
    assert Case.objects.count() == 1 and CaseCitizen.objects.count() == 1  # nothing written


def test_it_answers_nothing_for_unrelated_or_incomplete_input(client, world, roads):
    file(world.a, text="村口的路灯坏了三个月，晚上出行很不便。", category=roads)
    url = deputy_url(world)
    for data in (
        {"category": roads.pk, "text": "小学门口的下水道堵塞，污水横流"},
        {"category": "", "text": "村口路灯坏了"},
        {"category": "9999999", "text": "村口路灯坏了"},
        {"category": "abc", "text": "村口路灯坏了"},
        {"category": roads.pk, "text": ""},
    ):
        response = live(client, url, **data)
        assert response.status_code == 200
        assert 'data-testid="similar-cases"' not in response.content.decode()


def test_closed_sensitive_and_faraway_cases_are_never_suggested(client, world, roads):
    from lianxin.cases.services import decline
    from tests.cases.conftest import Personas

    p = Personas(world.a)
    closed = file(world.a, text="村口的路灯坏了三个月，晚上出行很不便。", category=roads).case
    decline(who=p.office, case=closed, explanation="不属于人大职责")
    sensitive = file(world.a, text="村口的路灯坏了三个月，晚上出行很不便。", category=roads).case
    Case.objects.filter(pk=sensitive.pk).update(sensitive=True)
    far = file(world.b, text="村口的路灯坏了三个月，晚上出行很不便。").case
    html = live(client, deputy_url(world), category=roads.pk, text=LAMP).content.decode()
    for case in (closed, sensitive, far):
        assert case.number not in html


def test_the_choice_made_while_typing_is_carried_to_step_two_and_files_a_second(
    client, world, roads
):
    existing = file(world.a, text="村口的路灯坏了三个月，晚上出行很不便。", category=roads).case
    url = deputy_url(world)
    key = open_form(client, url)
    second = step_one(client, url, key, category=roads.pk, text=LAMP, join=existing.number)
    html = second.content.decode()
    assert re.search(rf'value="{re.escape(existing.number)}" checked', html)
    response = client.post(url, {"step": "2", "key": key, "category": roads.pk, "text": LAMP,
                                 "join": existing.number})  # fmt: skip
    number, _pin, _link = receipt_of(response)
    assert number == existing.number and Case.objects.count() == 1
    # A number that is not among the similar cases is not carried.
    other = step_one(client, url, open_form(client, url), category=roads.pk, text=LAMP,
                     join="410000-2026-99999")  # fmt: skip
    assert "410000-2026-99999" not in other.content.decode()


def test_the_live_check_is_limited_per_address_without_stopping_the_form(
    client, world, roads, settings
):
    settings.LIANXIN_PORTAL_LIMITS = {"SIMILAR_CHECKS_PER_MINUTE": 2}
    existing = file(world.a, text="村口的路灯坏了三个月，晚上出行很不便。", category=roads).case
    url = deputy_url(world)
    for _ in range(2):
        assert existing.number in live(client, url, category=roads.pk, text=LAMP).content.decode()
    quiet = live(client, url, category=roads.pk, text=LAMP)
    assert quiet.status_code == 200 and existing.number not in quiet.content.decode()
    # Step 2 (the path without JavaScript) still lists it.
    second = step_one(client, url, open_form(client, url), category=roads.pk, text=LAMP)
    assert existing.number in second.content.decode()
