"""A citizen without his link rates on the public lookup by number and PIN, checked again with
the rating and under the same limits (CASE-1, CASE-7, SEC-5)."""

from __future__ import annotations

import pytest

from lianxin.cases.models import Case, CaseCitizen, CaseEvent
from tests.cases.conftest import file
from tests.portal.conftest import to_awaiting_rating

pytestmark = pytest.mark.django_db
URL = "/p/track/"


def test_the_lookup_offers_the_rating_when_the_case_awaits_it(client, world, a):
    receipt = file(world.a)
    html = client.post(URL, {"number": receipt.case.number, "pin": receipt.pin}).content.decode()
    assert 'data-testid="rating"' not in html  # not yet time to rate
    to_awaiting_rating(a, receipt.case)
    html = client.post(URL, {"number": receipt.case.number, "pin": receipt.pin}).content.decode()
    assert 'data-testid="rating"' in html and "已更换路灯三盏。" in html
    assert f'name="pin" value="{receipt.pin}"' in html and 'name="rate" value="1"' in html


def test_the_citizen_rates_by_number_and_pin(client, world, a):
    receipt = file(world.a)
    case = to_awaiting_rating(a, receipt.case)
    body = {"number": case.number, "pin": receipt.pin, "rate": "1"}
    refused = client.post(URL, {**body, "rating": "dissatisfied", "reason": ""})
    assert refused.status_code == 400 and "请说明不满意的原因" in refused.content.decode()
    assert Case.objects.get(pk=case.pk).status == Case.Status.AWAITING_RATING
    done = client.post(URL, {**body, "rating": "satisfied"})
    html = done.content.decode()
    assert done.status_code == 200 and "感谢您的评价" in html and "您的评价：满意" in html
    assert "no-store" in done["Cache-Control"]
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.rating == Case.Rating.SATISFIED
    assert CaseCitizen.objects.get(pk=receipt.citizen.pk).rating == Case.Rating.SATISFIED
    event = CaseEvent.objects.get(case=case, action="rate")
    assert event.actor is None and event.actor_label == "群众"
    again = client.post(URL, {**body, "rating": "dissatisfied", "reason": "再评一次"})
    assert again.status_code == 409 and "不在评价阶段" in again.content.decode()
    assert Case.objects.get(pk=case.pk).rating == Case.Rating.SATISFIED


def test_a_rating_with_a_wrong_pin_rates_nothing_and_counts_as_a_failure(
    client, world, a, settings
):
    settings.LIANXIN_PORTAL_LIMITS = {"LOOKUP_FAILURES_PER_CASE": 2}
    receipt = file(world.a)
    case = to_awaiting_rating(a, receipt.case)
    bad = "000000" if receipt.pin != "000000" else "111111"
    for _ in range(2):
        response = client.post(URL, {"number": case.number, "pin": bad, "rate": "1",
                                     "rating": "satisfied"})  # fmt: skip
        assert response.status_code == 400 and "编号或查询密码不正确" in response.content.decode()
    blocked = client.post(URL, {"number": case.number, "pin": receipt.pin, "rate": "1",
                                "rating": "satisfied"})  # fmt: skip
    assert blocked.status_code == 429
    assert Case.objects.get(pk=case.pk).status == Case.Status.AWAITING_RATING
