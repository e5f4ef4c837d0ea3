"""Who is acting now, for the automatic audit trail (SEC-4).

The actor middleware sets it for every request (the API's token clients set it when their
actor is known); services may wrap their writes in ``acting_as(actor)``. Code running outside
a request (sweeps, commands, imports) without ``acting_as`` is recorded as the system.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_actor: ContextVar[Any] = ContextVar("lianxin_audit_actor", default=None)
_address: ContextVar[str] = ContextVar("lianxin_audit_address", default="")


def current_actor() -> Any:
    """The acting ``Actor`` (or ``User``), or None for the system."""
    return _actor.get()


def current_address() -> str:
    return _address.get()


def set_actor(actor: Any, address: str | None = None) -> None:
    """Sets the actor for the rest of the current context (the API, once it knows it)."""
    _actor.set(actor)
    if address is not None:
        _address.set(address)


@contextmanager
def acting_as(actor: Any, address: str | None = None) -> Iterator[None]:
    actor_token = _actor.set(actor)
    address_token = _address.set(address) if address is not None else None
    try:
        yield
    finally:
        _actor.reset(actor_token)
        if address_token is not None:
            _address.reset(address_token)
