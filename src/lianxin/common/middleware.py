from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class StaffNoStoreMiddleware:
    """``Cache-Control: no-store`` on every page for a logged-in account (SEC-3): a shared
    office computer's browser must not keep staff pages or personal data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith(
            ("/staff/", "/api/")
        ):
            response["Cache-Control"] = "no-store"
        return response
