"""How every page declares what it needs (SEC-1, STYLE 4).

Every view is either ``@public`` (it decides for itself, e.g. the citizens' portal, login) or
declares a capability with ``@requires(Perm.X)`` / ``ActorRequiredMixin.permission``. The URL
walk test (tests/accounts/test_url_walk.py) fails when a view declares neither.

An anonymous visitor is sent to the login page; a logged-in actor without the capability gets
404, the same answer as for a record outside his reach, so nothing leaks.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from lianxin.accounts.permissions import Actor, Perm

F = TypeVar("F", bound=Callable[..., HttpResponse])


def public(view: F) -> F:
    """Marks a view that needs no login and decides access by itself."""
    view.public = True  # type: ignore[attr-defined]
    return view


def _deny(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if not actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404


def requires(perm: Perm) -> Callable[[F], F]:
    """The view needs the acting role to hold ``perm``; reach is checked on each object."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.actor.has(perm):  # type: ignore[attr-defined]
                return _deny(request)
            return view(request, *args, **kwargs)

        wrapper.permission = perm  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


class ActorRequiredMixin:
    """For class-based views: set ``permission``; use ``self.actor`` and the permission
    module's ``scope``/``get_in_reach_or_404`` for objects."""

    permission: Perm | None = None
    request: HttpRequest

    @property
    def actor(self) -> Actor:
        return self.request.actor  # type: ignore[attr-defined, no-any-return]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.permission is None:
            raise Http404
        if not request.actor.has(self.permission):  # type: ignore[attr-defined]
            return _deny(request)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc, no-any-return]
