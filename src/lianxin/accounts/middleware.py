"""Sets ``request.actor``: the account acting now, in the role chosen in the header (SEC-1)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from lianxin.accounts.permissions import ANONYMOUS, actor_for

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
        return self.get_response(request)
