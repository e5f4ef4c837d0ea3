"""The API's permission class: the same rules as the pages (SEC-1, API-1)."""

from typing import Any

from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from lianxin.accounts.permissions import (
    ANONYMOUS,
    Actor,
    actor_for,
    can_edit,
    can_edit_model,
    can_view_model,
)


def request_actor(request: Request) -> Actor:
    """The actor of an API request; token clients may name their role with X-Lianxin-Role."""
    cached = getattr(request, "_lianxin_actor", None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    if user is None:  # schema generation runs views with a fake request and no user
        return ANONYMOUS
    django_request = request._request
    actor = getattr(django_request, "actor", None)
    header = request.headers.get("X-Lianxin-Role")
    if user.is_authenticated and (actor is None or not actor.is_authenticated or header):
        actor = actor_for(user, int(header) if header and header.isdigit() else None)
    if actor is None:  # a request that did not pass through ActorMiddleware
        actor = ANONYMOUS
    request._lianxin_actor = actor  # type: ignore[attr-defined]
    if actor is not None and actor.is_authenticated:
        from lianxin.audit.context import set_actor

        set_actor(actor)  # token clients are known only now: the audit trail's actor
    return actor  # type: ignore[return-value]


class ActorPermission(BasePermission):
    """Views declare ``model``; reads need the model's view capability, writes its edit
    capability. An actor who may not even view the model (or lacks the view's declared
    ``permission``) gets 404, like a record out of reach: another administrator's endpoint
    does not show that it exists. Object-level: the object is in the queryset only if in
    reach (404 otherwise), and writes check edit reach again."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if getattr(view, "public", False):
            return True
        actor = request_actor(request)
        if not actor.is_authenticated:
            return False
        model = getattr(view, "model", None) or getattr(
            getattr(view, "queryset", None), "model", None
        )
        if model is None:
            required = getattr(view, "permission", None)
            if required is None:
                return False
            if not actor.has(required):
                raise NotFound
            return True
        if not can_view_model(actor, model):
            raise NotFound
        if request.method in SAFE_METHODS:
            return True
        return can_edit_model(actor, model)

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if getattr(view, "public", False) or request.method in SAFE_METHODS:
            return True
        return can_edit(request_actor(request), obj)
