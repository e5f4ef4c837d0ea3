"""The login page works on a 375-px phone with nothing loaded from the internet."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_shows_the_login_form_on_a_phone_without_external_requests(live_server, phone):
    external = []
    phone.on(
        "request",
        lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    phone.goto(f"{live_server.url}/accounts/login/")
    assert phone.get_by_role("button", name="登录").is_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    assert external == []
    # The vendored stylesheet is served: the primary button carries the congress red.
    colour = phone.evaluate(
        "getComputedStyle(document.querySelector('button[type=submit]')).backgroundColor"
    )
    assert colour == "rgb(164, 22, 26)"
