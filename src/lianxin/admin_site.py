"""The Django admin, for the roles holding ``Perm.USE_ADMIN`` (SEC-1).

The congress office edits its directory here as on the staff pages, the system administrator
sees accounts read only; the security and audit administrators have their own pages.

Installed in place of ``django.contrib.admin`` (settings.INSTALLED_APPS) so every app's
``admin.register`` lands here. Access is decided by the acting role, not by Django's
``is_staff``/``is_superuser``; a logged-in account of any other role gets 404. Logging in goes
through the throttled login page. Model admins derive from
``lianxin.accounts.admin.ScopedModelAdmin`` so their querysets are scoped by the permission
module.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class LianxinAdminSite(admin.AdminSite):
    site_header = _("连心桥 系统管理")
    site_title = _("连心桥 系统管理")
    index_title = _("系统管理")

    def has_permission(self, request: HttpRequest) -> bool:
        from lianxin.accounts.permissions import Perm  # not at import: this module loads early

        actor = getattr(request, "actor", None)
        return bool(actor is not None and actor.has(Perm.USE_ADMIN))

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if request.user.is_authenticated and not self.has_permission(request):
                raise Http404
            try:
                return inner(request, *args, **kwargs)
            except PermissionDenied as exc:  # out of reach looks missing, as on every page
                raise Http404 from exc

        guarded.admin_site = self  # type: ignore[attr-defined]
        return guarded

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """The admin has no login of its own: the throttled login page is the only one."""
        from django.contrib.auth.views import redirect_to_login  # loads models: not at import

        if request.user.is_authenticated and not self.has_permission(request):
            raise Http404
        return redirect_to_login(
            request.GET.get("next") or reverse("admin:index"), reverse("accounts:login")
        )


class LianxinAdminConfig(AdminConfig):
    default_site = "lianxin.admin_site.LianxinAdminSite"
