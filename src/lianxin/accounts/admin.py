"""Admin classes: ``ScopedModelAdmin`` (every app's admin derives from it) and the accounts
models, read only here — accounts and roles are changed through their pages' services, which
validate passwords and grants and end sessions (SEC-1, SEC-3)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.permissions import (
    ANONYMOUS,
    Actor,
    can_edit,
    can_edit_model,
    can_view_model,
    in_reach,
    scope,
)


def _actor(request: HttpRequest) -> Actor:
    return getattr(request, "actor", ANONYMOUS)


class ScopedModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The admin asks the permission module: the queryset is the actor's reach, viewing and
    editing need the model's capabilities, editing an object needs it within reach."""

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return scope(_actor(request), super().get_queryset(request))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_view_model(_actor(request), self.model)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        actor = _actor(request)
        if not can_view_model(actor, self.model):
            return False
        return obj is None or in_reach(actor, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return can_edit_model(_actor(request), self.model)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        actor = _actor(request)
        if obj is None:
            return can_edit_model(actor, self.model)
        return can_edit(actor, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        queryset = getattr(field, "queryset", None)
        if field is not None and queryset is not None:
            field.queryset = scope(_actor(request), queryset)
        return field


class ReadOnlyScopedModelAdmin(ScopedModelAdmin):
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(ReadOnlyScopedModelAdmin):
    list_display = ["username", "display_name", "email", "is_active", "last_login"]
    list_filter = ["is_active"]
    search_fields = ["username", "display_name", "email"]
    fields = ["username", "display_name", "email", "is_active", "last_login", "date_joined"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyScopedModelAdmin):
    list_display = ["user", "role", "region", "station", "unit", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "title"]


# Django's groups and DRF's tokens come with admins that ask ``is_superuser`` instead of the
# permission module: a superuser system administrator would read every account's API token
# (and act as the security administrator through it). Tokens are each account's own business
# (accounts:api_token); groups are unused.
def _unregister_unscoped() -> None:
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import TokenProxy

    for model in (Group, TokenProxy):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_unregister_unscoped()
