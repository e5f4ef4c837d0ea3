"""Sets ``request.actor``: the account acting now, in the role chosen in the header (SEC-1),
and makes it the actor of the automatic audit trail for the whole request (SEC-4).

Where the account's role must use a second factor it has not set up yet (SEC-3,
``settings.MFA_REQUIRED_ROLES``), every page but the set-up pages and logout sends it to
the set-up page."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import ANONYMOUS, actor_for
from lianxin.accounts.throttle import client_address
from lianxin.audit.context import acting_as

SESSION_KEY = "lianxin_assignment_id"

# What an account that must still set up its second factor may open.
ENROLMENT_URL_NAMES = frozenset(
    {
        "accounts:second_factor",
        "accounts:second_factor_totp",
        "accounts:second_factor_sms",
        "accounts:second_factor_codes",
        "accounts:logout",
    }
)
# What an account whose password was reset may open until it sets its own.
PASSWORD_URL_NAMES = frozenset({"accounts:password_change", "accounts:logout"})


def _allows(request: HttpRequest, names: frozenset[str]) -> bool:
    path = request.path_info
    if path.startswith((settings.STATIC_URL or "/static/", "/i18n/")):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return True  # a 404 shows nothing
    return match.view_name in names


def _blocked(request: HttpRequest, code: str, message: str, to: str) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        return JsonResponse({"error": {"code": code, "message": message, "fields": {}}}, status=403)
    return redirect(to)


class ActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from lianxin.accounts import mfa

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = actor_for(user, request.session.get(SESSION_KEY))
            if (
                actor.assignment is not None
                and request.session.get(SESSION_KEY) != actor.assignment.pk
            ):
                request.session[SESSION_KEY] = actor.assignment.pk
            if user.must_change_password and not _allows(request, PASSWORD_URL_NAMES):
                return _blocked(
                    request,
                    "password_change_required",
                    str(_("须先修改密码。")),
                    "accounts:password_change",
                )
            if mfa.must_enrol(request) and not _allows(request, ENROLMENT_URL_NAMES):
                return _blocked(
                    request,
                    "second_factor_required",
                    str(_("须先设置双因素认证。")),
                    "accounts:second_factor",
                )
        else:
            actor = ANONYMOUS
        request.actor = actor  # type: ignore[attr-defined]
        with acting_as(actor if actor.is_authenticated else None, client_address(request)):
            return self.get_response(request)
