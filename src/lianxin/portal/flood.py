"""Flood limits of the citizens' forms (SEC-5), counted in the shared cache.

Many citizens share one address behind a carrier's NAT or a market stall's Wi-Fi, so the
limits per address are generous: a burst allowance (so a family filing three problems in a
row is never stopped) and an hourly cap. What is strict is per form: a form's one-time key
files one case (``cases.services.file_case``), and a retry of an already filed key is never
counted or refused. No captcha, nothing loaded from the internet.

Lookups by case number and PIN count failures per address and per case number, so a PIN
cannot be guessed (10⁶ values, a few tries an hour) without slowing down a real caller.

Settings (``LIANXIN_PORTAL_LIMITS``), with the defaults below. The client address comes from
``accounts.throttle.client_address`` (the trusted proxy's header only when configured).
"""

from __future__ import annotations

import contextlib
import hashlib
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest

from lianxin.accounts.throttle import client_address

DEFAULTS: dict[str, int] = {
    "BURST": 10,  # filings per address within BURST_SECONDS
    "BURST_SECONDS": 60,
    "HOURLY": 60,  # filings per address per hour
    "LOOKUP_FAILURES_PER_ADDRESS": 20,  # wrong number/PIN pairs per address per hour
    "LOOKUP_FAILURES_PER_CASE": 8,  # wrong PINs for one case number per hour
    # 来电核验 by staff (CASE-1): wrong PINs or phone numbers read out for one case number,
    # and wrong pairs entered by one staff account, per hour.
    "PHONE_CHECK_FAILURES_PER_CASE": 5,
    "PHONE_CHECK_FAILURES_PER_ACCOUNT": 20,
    # The similar-case check as a citizen types (CASE-2): requests per address per minute.
    "SIMILAR_CHECKS_PER_MINUTE": 60,
}


def limit(name: str) -> int:
    return int(getattr(settings, "LIANXIN_PORTAL_LIMITS", {}).get(name, DEFAULTS[name]))


def _key(kind: str, value: str, window: int, now: float) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"lianxin:portal:{kind}:{digest}:{int(now // window)}"


def _count(value: object) -> int:
    return int(value) if isinstance(value, int) else 0


def _read(key: str) -> int:
    return _count(cache.get(key))


def _bump(*keys: tuple[str, int]) -> list[int]:
    """Counts one more in each (key, window) and returns the new counts: on Redis in one round
    trip (issue 7: a filing counts two windows), elsewhere (the database cache of the embedded
    default, tests) one key after the other."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        client = backend._cache.get_client(write=True)
        with client.pipeline(transaction=False) as pipe:
            for key, window in keys:
                name = backend.make_and_validate_key(key)
                pipe.set(name, 0, ex=window + 5, nx=True)  # starts the window's count
                pipe.incr(name)
            replies = pipe.execute()
        return [int(count) for count in replies[1::2]]
    counts = []
    for key, window in keys:
        if cache.add(key, 1, window + 5):
            counts.append(1)
            continue
        try:
            counts.append(cache.incr(key))
        except ValueError:  # expired between add and incr
            cache.add(key, 1, window + 5)
            counts.append(1)
    return counts


def _filing_keys(request: HttpRequest, now: float) -> list[tuple[str, int, int]]:
    address = client_address(request)
    burst = limit("BURST_SECONDS")
    return [
        (_key("burst", address, burst, now), burst, limit("BURST")),
        (_key("hour", address, 3600, now), 3600, limit("HOURLY")),
    ]


def take_filing(request: HttpRequest, now: float | None = None) -> bool:
    """Counts one filing of this address and says whether it is within the limits (one round
    trip on Redis). A filing over them is given back at once: refused filings are not counted.
    The caller gives back a filing that turns out to be a retry (``give_back_filing``)."""
    now = time.time() if now is None else now
    keys = _filing_keys(request, now)
    counts = _bump(*((key, window) for key, window, _cap in keys))
    if all(count <= cap for count, (_key, _window, cap) in zip(counts, keys, strict=True)):
        return True
    give_back_filing(request, now)
    return False


def give_back_filing(request: HttpRequest, now: float) -> None:
    """Takes back the count of ``take_filing`` at ``now`` (a retry of a filed form)."""
    for key, _window, _cap in _filing_keys(request, now):
        with contextlib.suppress(ValueError):  # expired meanwhile: nothing to give back
            cache.decr(key)


def _lookup_keys(request: HttpRequest, number: str, now: float) -> list[tuple[str, int]]:
    return [
        (_key("lookup-addr", client_address(request), 3600, now),
         limit("LOOKUP_FAILURES_PER_ADDRESS")),
        (_key("lookup-case", number.strip(), 3600, now), limit("LOOKUP_FAILURES_PER_CASE")),
    ]  # fmt: skip


def may_look_up(request: HttpRequest, number: str, now: float | None = None) -> bool:
    now = time.time() if now is None else now
    return all(_read(key) < cap for key, cap in _lookup_keys(request, number, now))


def count_lookup_failure(request: HttpRequest, number: str, now: float | None = None) -> None:
    now = time.time() if now is None else now
    _bump(*((key, 3600) for key, _cap in _lookup_keys(request, number, now)))


# --- 来电核验: staff verifying a caller by case number and PIN or phone (CASE-1) ----------------


def _phone_check_keys(user_id: int, number: str, now: float) -> list[tuple[str, int]]:
    return [
        (_key("phone-case", number.strip(), 3600, now), limit("PHONE_CHECK_FAILURES_PER_CASE")),
        (_key("phone-user", str(user_id), 3600, now), limit("PHONE_CHECK_FAILURES_PER_ACCOUNT")),
    ]


def may_check_caller(user_id: int, number: str, now: float | None = None) -> bool:
    """Whether this account may try one more number and PIN (or phone) for this case now."""
    now = time.time() if now is None else now
    return all(_read(key) < cap for key, cap in _phone_check_keys(user_id, number, now))


def count_caller_failure(user_id: int, number: str, now: float | None = None) -> None:
    now = time.time() if now is None else now
    _bump(*((key, 3600) for key, _cap in _phone_check_keys(user_id, number, now)))


# --- The similar-case check while typing (CASE-2) ---------------------------------------------


def may_check_similar(request: HttpRequest, now: float | None = None) -> bool:
    """Counts one similar-case check of this address and says whether it may run: past the
    limit the page simply shows no suggestions (the citizen still files as usual)."""
    now = time.time() if now is None else now
    key = _key("similar", client_address(request), 60, now)
    if _read(key) >= limit("SIMILAR_CHECKS_PER_MINUTE"):
        return False
    _bump((key, 60))
    return True
