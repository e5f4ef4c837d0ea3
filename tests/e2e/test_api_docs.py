"""The interactive API page works on an intranet: everything it loads comes from us (API-1)."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_renders_the_api_docs_without_the_internet(live_server, desktop):
    external: list[str] = []
    desktop.on(
        "request",
        lambda r: None if r.url.startswith((live_server.url, "data:")) else external.append(r.url),
    )
    desktop.goto(f"{live_server.url}/api/v1/docs/")
    desktop.wait_for_selector(".swagger-ui .info .title", timeout=15000)
    assert "Lianxin API" in desktop.inner_text(".swagger-ui .info .title")
    # A large schema is rendered as it scrolls into view: collect the tags while scrolling.
    seen: set[str] = set()
    for _ in range(40):
        seen |= set(desktop.locator(".opblock-tag").all_inner_texts())
        desktop.mouse.wheel(0, 1500)
        desktop.wait_for_timeout(50)
    assert len(seen) > 5, seen
    assert external == []
