"""Login throttling (SEC-3), checked BEFORE any password hash is computed.

A password check costs 0.1-0.2 s of CPU, so guessing must be refused cheaply. Failures are
counted in the shared cache per account and per client address. After some free failures
each further attempt must wait a delay that doubles with every failure, up to a cap:

- per address: generous free failures (many citizens and staff share one NAT), long cap;
- per account: few free failures, but a short cap, and it applies only to an address that
  has failed before. A stranger hammering an account therefore slows himself down, while the
  real user logging in from his own (clean) address is not refused, and anybody who waits
  the short delay may try again. Nobody is locked out for long.

A successful login clears the account's counter. The client address comes ONLY from
``settings.TRUSTED_PROXY_HEADER`` when set (behind our own proxy), else ``REMOTE_ADDR``.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

DEFAULTS: dict[str, int] = {
    "ACCOUNT_FREE_FAILURES": 5,
    "ADDRESS_FREE_FAILURES": 30,
    "BASE_DELAY_SECONDS": 2,
    "MAX_DELAY_SECONDS": 300,  # per address
    "ACCOUNT_MAX_DELAY_SECONDS": 60,  # per account: short, so nobody is locked out for long
    "WINDOW_SECONDS": 3600,  # counters are forgotten after this long without a failure
}


def _conf(name: str) -> int:
    return int(getattr(settings, "LOGIN_THROTTLE", {}).get(name, DEFAULTS[name]))


def client_address(request: HttpRequest) -> str:
    """The client's address: the trusted proxy's header if configured, else the socket's."""
    header = getattr(settings, "TRUSTED_PROXY_HEADER", "")
    if header:
        key = "HTTP_" + header.upper().replace("-", "_")
        raw = request.META.get(key, "") or request.META.get(header, "")
        if raw:
            # X-Forwarded-For style lists: the proxy appends the address it saw last.
            return str(raw).split(",")[-1].strip()[:64]
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"lianxin:login:{kind}:{digest}"


def _account_key(username: str) -> str:
    return _key("account", username.strip().lower())


def _address_key(address: str) -> str:
    return _key("address", address)


@dataclass(frozen=True)
class Counter:
    failures: int
    last: float

    def wait(self, free: int, cap: int, now: float) -> int:
        """Seconds still to wait before the next attempt (0: go ahead)."""
        if self.failures < free:
            return 0
        delay = min(cap, _conf("BASE_DELAY_SECONDS") * 2 ** min(self.failures - free, 30))
        return max(0, math.ceil(self.last + delay - now))


def _read(key: str) -> Counter:
    value: Any = cache.get(key)
    if not isinstance(value, dict):
        return Counter(0, 0.0)
    return Counter(int(value.get("n", 0)), float(value.get("t", 0.0)))


def _bump(key: str, now: float) -> None:
    current = _read(key)
    cache.set(key, {"n": current.failures + 1, "t": now}, _conf("WINDOW_SECONDS"))


def seconds_to_wait(username: str, address: str, now: float | None = None) -> int:
    """How long this attempt must wait; 0 when the password may be checked now."""
    now = time.time() if now is None else now
    by_address = _read(_address_key(address))
    wait = by_address.wait(_conf("ADDRESS_FREE_FAILURES"), _conf("MAX_DELAY_SECONDS"), now)
    if username and by_address.failures > 0:
        by_account = _read(_account_key(username))
        wait = max(
            wait,
            by_account.wait(
                _conf("ACCOUNT_FREE_FAILURES"), _conf("ACCOUNT_MAX_DELAY_SECONDS"), now
            ),
        )
    return wait


def register_failure(username: str, address: str, now: float | None = None) -> None:
    now = time.time() if now is None else now
    _bump(_address_key(address), now)
    if username:
        _bump(_account_key(username), now)


def register_success(username: str, address: str) -> None:
    cache.delete(_account_key(username))
