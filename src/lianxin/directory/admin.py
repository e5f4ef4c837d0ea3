"""Admin for the directory, narrowed by the permission module (SEC-1).

Personal fields are never shown in the admin (SEC-2).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from lianxin.accounts.admin import ScopedModelAdmin
from lianxin.directory import models as m


class ScopedAdmin(ScopedModelAdmin):
    """Directory records are ended (mandates, memberships), never deleted from the admin."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(m.Congress)
class CongressAdmin(ScopedAdmin):
    list_display = ["name", "level", "region"]
    list_filter = ["level"]
    search_fields = ["name"]
    raw_id_fields = ["region"]


@admin.register(m.Term)
class TermAdmin(ScopedAdmin):
    list_display = ["congress", "number", "starts_on", "is_current"]


@admin.register(m.Session)
class SessionAdmin(ScopedAdmin):
    list_display = ["term", "number", "starts_on", "place"]


@admin.register(m.Body)
class BodyAdmin(ScopedAdmin):
    list_display = ["name", "kind", "congress"]
    list_filter = ["kind"]


@admin.register(m.BodyMembership)
class BodyMembershipAdmin(ScopedAdmin):
    list_display = ["body", "person", "position"]
    raw_id_fields = ["person"]


@admin.register(m.WorkPlan)
class WorkPlanAdmin(ScopedAdmin):
    list_display = ["title", "year", "congress", "status"]


@admin.register(m.Person)
class PersonAdmin(ScopedAdmin):
    list_display = ["name", "gender", "work_unit", "region"]
    search_fields = ["name", "work_unit"]
    exclude = ["phone", "id_number"]  # personal data: reveal on the person page only
    raw_id_fields = ["region"]
    # Linking an account to a person is the system administrator's work (accounts pages).
    readonly_fields = ["account"]


@admin.register(m.Delegation)
class DelegationAdmin(ScopedAdmin):
    list_display = ["name", "term", "region"]


@admin.register(m.Mandate)
class MandateAdmin(ScopedAdmin):
    list_display = ["person", "term", "kind", "status", "started_on", "ended_on"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["person"]


@admin.register(m.Station)
class StationAdmin(ScopedAdmin):
    list_display = ["name", "kind", "region", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    raw_id_fields = ["region", "parent"]


@admin.register(m.StationStaff)
class StationStaffAdmin(ScopedAdmin):
    list_display = ["station", "person", "role"]
    raw_id_fields = ["person"]


@admin.register(m.StationMembership)
class StationMembershipAdmin(ScopedAdmin):
    list_display = ["station", "person", "starts_on", "ends_on"]
    raw_id_fields = ["person"]


@admin.register(m.HandlingUnit)
class HandlingUnitAdmin(ScopedAdmin):
    list_display = ["name", "kind", "region", "parent", "is_active"]
    list_filter = ["kind"]
    search_fields = ["name"]
    raw_id_fields = ["region", "parent"]


@admin.register(m.UnitContact)
class UnitContactAdmin(ScopedAdmin):
    list_display = ["unit", "person", "position", "is_primary"]
    raw_id_fields = ["person"]


# --- Station standards and inspections (ORG-6) ------------------------------------------------


@admin.register(m.Checklist)
class ChecklistAdmin(ScopedAdmin):
    """Items are edited on the checklist's page (an item in use cannot be deleted)."""

    list_display = ["name", "region", "pass_score", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    raw_id_fields = ["region"]
    readonly_fields = ["station_kinds"]


@admin.register(m.Inspection)
class InspectionAdmin(ScopedAdmin):
    """Read only: inspections are recorded and corrected through the scoring page, which
    checks every score and computes the total (``services.inspection_record``)."""

    list_display = ["station", "checklist", "inspected_on", "score", "max_score", "passed"]
    list_filter = ["passed"]
    search_fields = ["station__name", "inspectors"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- Groups, grids, standing committee links, the expert pool (ORG-8..10, ORG-12) -----------


@admin.register(m.DeputyGroup)
class DeputyGroupAdmin(ScopedAdmin):
    list_display = ["name", "kind", "region", "congress", "mixed_levels", "is_active"]
    list_filter = ["kind", "mixed_levels", "is_active"]
    search_fields = ["name", "field"]
    raw_id_fields = ["region", "station"]


@admin.register(m.GroupMembership)
class GroupMembershipAdmin(ScopedAdmin):
    list_display = ["group", "person", "position", "starts_on", "ends_on"]
    list_filter = ["position"]
    raw_id_fields = ["person", "group"]


@admin.register(m.Grid)
class GridAdmin(ScopedAdmin):
    list_display = ["name", "region", "station", "households", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    raw_id_fields = ["region", "station"]


@admin.register(m.GridMember)
class GridMemberAdmin(ScopedAdmin):
    list_display = ["grid", "person", "role", "starts_on", "ends_on"]
    list_filter = ["role"]
    raw_id_fields = ["person", "grid"]


@admin.register(m.CommitteeLink)
class CommitteeLinkAdmin(ScopedAdmin):
    list_display = ["member", "deputy", "congress", "starts_on", "ends_on"]
    raw_id_fields = ["member", "deputy"]


@admin.register(m.Expert)
class ExpertAdmin(ScopedAdmin):
    """The expert's phone is the person's protected field: not in the admin (SEC-2)."""

    list_display = ["person", "field", "organisation", "region", "is_active"]
    list_filter = ["field", "is_active"]
    search_fields = ["person__name", "organisation"]
    raw_id_fields = ["person", "region"]


@admin.register(m.ExpertAssignment)
class ExpertAssignmentAdmin(ScopedAdmin):
    list_display = ["expert", "station", "starts_on", "ends_on"]
    raw_id_fields = ["expert", "station"]


@admin.register(m.ExpertContribution)
class ExpertContributionAdmin(ScopedAdmin):
    list_display = ["expert", "kind", "happened_on", "station", "people_served"]
    list_filter = ["kind"]
    raw_id_fields = ["expert", "station"]
