"""The audit administrator's pages: the audit trail, read only (SEC-4, 三员分立)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.permissions import Perm
from lianxin.audit.filters import AuditEntryFilter
from lianxin.audit.models import AuditEntry
from lianxin.common.staff_views import Column, ScopedDetailView, ScopedListView


def _model_for(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label) if label else None
    except (LookupError, ValueError):
        return None


def _field_label(model: type[models.Model] | None, name: str) -> Any:
    """A changed field's name in words (its verbose name), or the stored name as it is."""
    if model is None:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return getattr(field, "verbose_name", name)


def _plain(value: Any) -> Any:
    """Stored values as an auditor reads them: 是/否 rather than True/False."""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return value


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
        model = _model_for(entry.object_type)
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        for name, value in changes.items():
            label = _field_label(model, name)
            if isinstance(value, list) and len(value) == 2:
                rows.append((label, name, _plain(value[0]), _plain(value[1])))
            else:
                rows.append((label, name, "", _plain(value)))
        ctx["change_rows"] = rows
        if model is not None:
            # The object's type in words, its technical name kept for searching.
            at = self.fields.index("object_type")
            label, value = ctx["fields"][at]
            ctx["fields"][at] = (label, f"{model._meta.verbose_name}（{value}）")
        ctx["title"] = _("审计记录 #%(pk)s") % {"pk": entry.pk}
        return ctx
