"""The audit administrator's pages: the audit trail, read only (SEC-4, 三员分立)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from lianxin.accounts.permissions import Perm
from lianxin.audit.filters import AuditEntryFilter
from lianxin.audit.models import AuditEntry
from lianxin.common.staff_views import Column, ScopedDetailView, ScopedListView


class EntryListView(ScopedListView):
    permission = Perm.READ_AUDIT
    model = AuditEntry
    title = _("审计日志")
    columns = [
        Column("at", _("时间"), sort="at"),
        Column("actor_name", _("操作人"), sort="actor_name"),
        Column("role", _("角色")),
        Column("get_action_display", _("操作"), sort="action"),
        Column("object_repr", _("对象")),
        Column("address", _("来源地址")),
    ]
    search_fields = ["actor_name", "object_repr", "note"]
    filterset_class = AuditEntryFilter
    detail_url_name = "audit:entry_detail"
    default_ordering = ["-at", "-pk"]


class EntryDetailView(ScopedDetailView):
    permission = Perm.READ_AUDIT
    model = AuditEntry
    template_name = "audit/entry_detail.html"
    fields = [
        "at",
        "actor_name",
        "role",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "address",
        "note",
    ]
    list_url_name = "audit:entry_list"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        entry: AuditEntry = ctx["object"]
        rows = []
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        for name, value in changes.items():
            if isinstance(value, list) and len(value) == 2:
                rows.append((name, value[0], value[1]))
            else:
                rows.append((name, "", value))
        ctx["change_rows"] = rows
        ctx["title"] = _("审计记录 #%(pk)s") % {"pk": entry.pk}
        return ctx
