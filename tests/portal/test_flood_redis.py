"""The citizens' flood limits counted in Redis, as production counts them (SEC-5). A filing
counts its two windows in one round trip (issue 7); the counts read back as the limits expect.

Other tests use a local cache; these need Redis: REDIS_URL (CI sets it), skipped without it
outside CI."""

from __future__ import annotations

import os
import uuid

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from lianxin.portal import flood

REDIS_URL = os.environ.get("REDIS_URL", "")
IN_CI = os.environ.get("CI", "").lower() == "true"

pytestmark = pytest.mark.skipif(
    not REDIS_URL and not IN_CI, reason="needs Redis: set REDIS_URL (CI does)"
)


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "lianxin.common.cache.RedisCache",  # as production configures it
            "LOCATION": REDIS_URL or "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"test-flood-{uuid.uuid4().hex}",  # this test's keys only
        }
    }
    return caches["default"]


def request_from(address: str):
    return RequestFactory().post("/p/opinion/", REMOTE_ADDR=address)


def test_an_address_files_up_to_its_burst_then_waits(redis_cache, settings):
    settings.LIANXIN_PORTAL_LIMITS = {"BURST": 3, "HOURLY": 5}
    citizen, neighbour = request_from("10.9.0.1"), request_from("10.9.0.2")
    now = 1_800_000_000.0
    for _ in range(3):
        assert flood.take_filing(citizen, now)
    assert not flood.take_filing(citizen, now)  # the burst is used up
    assert not flood.take_filing(citizen, now)  # and refused filings are not counted:
    assert flood.take_filing(neighbour, now)  # another address is not held back
    later = now + 61  # the next minute: the burst is back, the hour still counts
    assert flood.take_filing(citizen, later)
    flood.give_back_filing(citizen, later)  # a retry of a filed form gives its count back
    assert flood.take_filing(citizen, later)
    assert flood.take_filing(citizen, later)
    assert not flood.take_filing(citizen, later)  # five in the hour


def test_the_counts_expire_with_their_window(redis_cache, settings):
    citizen = request_from("10.9.0.3")
    now = 1_800_000_000.0
    flood.take_filing(citizen, now)
    flood.take_filing(citizen, now)
    client = redis_cache._cache.get_client()
    keys = [
        (redis_cache.make_and_validate_key(key), window)
        for key, window, _cap in flood._filing_keys(citizen, now)
    ]
    for name, window in keys:
        assert int(client.get(name)) == 2
        assert 0 < client.ttl(name) <= window + 5


def test_wrong_pins_are_counted_per_address_and_per_case(redis_cache, settings):
    settings.LIANXIN_PORTAL_LIMITS = {
        "LOOKUP_FAILURES_PER_ADDRESS": 20,
        "LOOKUP_FAILURES_PER_CASE": 2,
    }
    caller = request_from("10.9.0.4")
    assert flood.may_look_up(caller, "410425-2026-00001")
    flood.count_lookup_failure(caller, "410425-2026-00001")
    flood.count_lookup_failure(caller, "410425-2026-00001")
    assert not flood.may_look_up(caller, "410425-2026-00001")
    assert flood.may_look_up(caller, "410425-2026-00002")
