"""Admin for the closed loop's configuration, narrowed by the permission module (SEC-1).

Cases are read only here: every change of a case goes through the workflow's services
(CASE-3), never through a generic form. Citizens' personal data is not shown (SEC-2).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from lianxin.accounts.admin import ReadOnlyScopedModelAdmin, ScopedModelAdmin
from lianxin.cases import models as m


class ConfigAdmin(ScopedModelAdmin):
    """Configuration is switched off (启用) or edited, not deleted: cases refer to it."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(m.Category)
class CategoryAdmin(ConfigAdmin):
    list_display = ["name", "code", "region", "order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    raw_id_fields = ["region"]


@admin.register(m.Procedure)
class ProcedureAdmin(ConfigAdmin):
    list_display = ["congress", "name", "deputy_confirms", "reply_checked_by", "return_visit"]
    # The labels are edited on the staff page, one "code=name" line each.
    exclude = ["labels"]


@admin.register(m.DeadlineRule)
class DeadlineRuleAdmin(ConfigAdmin):
    list_display = ["congress", "step", "scope", "priority", "amount", "unit"]
    list_filter = ["step"]


@admin.register(m.Case)
class CaseAdmin(ReadOnlyScopedModelAdmin):
    list_display = ["number", "status", "category", "station", "received_at", "due_at"]
    list_filter = ["status", "priority"]
    search_fields = ["number"]
    fields = ["number", "congress", "region", "station", "category", "channel", "status",
              "scope", "priority", "received_at", "due_at", "closed_at", "archived_at"]  # fmt: skip
