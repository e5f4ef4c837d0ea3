from django.contrib import admin

from lianxin.accounts.admin import ReadOnlyScopedModelAdmin
from lianxin.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyScopedModelAdmin):
    """Read only; reach gives it to the audit administrator alone (SEC-4)."""

    list_display = ["at", "actor_name", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "object_repr"]
