"""Sets ``request.actor``: the account acting now, in the role chosen in the header (SEC-1),
and makes it the actor of the automatic audit trail for the whole request (SEC-4)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from lianxin.accounts.permissions import ANONYMOUS, actor_for
from lianxin.accounts.throttle import client_address
from lianxin.audit.context import acting_as

SESSION_KEY = "lianxin_assignment_id"


class ActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = actor_for(user, request.session.get(SESSION_KEY))
            if (
                actor.assignment is not None
                and request.session.get(SESSION_KEY) != actor.assignment.pk
            ):
                request.session[SESSION_KEY] = actor.assignment.pk
        else:
            actor = ANONYMOUS
        request.actor = actor  # type: ignore[attr-defined]
        with acting_as(actor if actor.is_authenticated else None, client_address(request)):
            return self.get_response(request)
