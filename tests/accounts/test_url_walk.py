"""Every view declares a permission decision (SEC-1).

Walks the whole URL resolver (except Django's own /admin/, which the admin site guards for
the system administrator) and fails for any view that declares none of: ``public``, a
``permission`` (``@requires`` / ``ActorRequiredMixin``), or — for DRF views and viewsets — a
permission class from ``lianxin.accounts.api_permissions``. New views of any app are covered
as soon as their URLs are included.
"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

API_PERMISSIONS_MODULE = "lianxin.accounts.api_permissions"
# Framework views that decide nothing about records and need no login.
FRAMEWORK_PUBLIC = {"django.views.i18n.set_language", "django.views.static.serve"}


def walk(patterns: list[Any], prefix: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for p in patterns:
        route = prefix + str(p.pattern).lstrip("^").rstrip("$")
        if isinstance(p, URLResolver):
            if p.app_name == "admin" or route.startswith("admin/"):
                continue
            found.extend(walk(p.url_patterns, route))
        elif isinstance(p, URLPattern):
            found.append((route, p.callback))
    return found


def decision(callback: Any) -> str | None:
    """What the view declares, or None."""
    if getattr(callback, "public", False):
        return "public"
    if getattr(callback, "permission", None) is not None:
        return "permission"
    view_class = getattr(callback, "view_class", None)
    drf_class = getattr(callback, "cls", None)
    for cls in (drf_class, view_class):
        if cls is None:
            continue
        if getattr(cls, "public", False):
            return "public"
        if getattr(cls, "permission", None) is not None:
            return "permission"
        classes = getattr(cls, "permission_classes", None) or []
        if drf_class is not None and any(
            getattr(c, "__module__", "") == API_PERMISSIONS_MODULE for c in classes
        ):
            return "api permission"
    name = f"{getattr(callback, '__module__', '')}.{getattr(callback, '__name__', '')}"
    if name in FRAMEWORK_PUBLIC:
        return "framework"
    return None


def test_it_finds_a_decision_on_every_view():
    views = walk(get_resolver().url_patterns)
    assert len(views) > 20
    undecided = [route for route, callback in views if decision(callback) is None]
    assert undecided == [], f"views without public/permission/API permission: {undecided}"


def test_it_would_catch_a_view_without_a_decision():
    from django.http import HttpResponse
    from django.views import View
    from rest_framework.permissions import AllowAny
    from rest_framework.views import APIView

    def bare(request):
        return HttpResponse()

    class BareView(View):
        pass

    class OpenApi(APIView):
        permission_classes = [AllowAny]

    assert decision(bare) is None
    assert decision(BareView.as_view()) is None
    assert decision(OpenApi.as_view()) is None


def test_it_covers_the_administrators_pages_and_api():
    routes = {route for route, _cb in walk(get_resolver().url_patterns)}
    for expected in ("accounts/users/", "staff/audit/", "api/v1/auth/token/", "accounts/token/"):
        assert any(r.startswith(expected) or r == expected for r in routes), expected
