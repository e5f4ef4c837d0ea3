"""The permission matrix's machinery (SEC-1, SPEC section 0): which URLs exist, which model
each URL's parameter names, the objects inside (township a) and outside (township b) reach,
the personas, and what the permission module says each persona may do.

A new URL is mapped automatically when its view declares ``model`` (Django class-based views)
or a queryset (DRF viewsets) and its name follows the ``_list``/``_detail``/``_edit``/
``_create`` convention; anything else must be added to ``EXPLICIT`` below, or the matrix
fails and says so.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authtoken.models import Token

from lianxin.accounts.models import Role, RoleAssignment, User
from lianxin.accounts.permissions import (
    ANONYMOUS,
    Actor,
    Perm,
    actor_for,
    can_edit,
    can_edit_model,
    can_view_model,
    in_reach,
    scope,
)
from lianxin.activities.models import (
    Activity,
    ActivityPhoto,
    ActivityPlan,
    AllowanceLine,
    AllowanceRate,
    AllowanceRecipient,
    AllowanceStatement,
    Assignment,
    DutyLeave,
    DutyPattern,
    Participant,
    PlanItem,
    PoolMember,
    Requirement,
    Roster,
    Shift,
    SwapRequest,
    TrainingPlan,
)
from lianxin.activities.models.voters import CallbackCall, CallbackSample, FixedVoter
from lianxin.audit.models import AuditEntry
from lianxin.cases.models import (
    Case,
    CasePhoto,
    Category,
    DeadlineRule,
    Procedure,
    ReplyTemplate,
)
from lianxin.cases.services import _secrets_for
from lianxin.directory.models import (
    Body,
    BodyMembership,
    Checklist,
    ChecklistItem,
    CommitteeLink,
    Congress,
    Delegation,
    DeputyGroup,
    Expert,
    ExpertAssignment,
    ExpertContribution,
    Grid,
    GridMember,
    GroupMembership,
    HandlingUnit,
    ImportJob,
    Inspection,
    InspectionScore,
    Mandate,
    Person,
    Session,
    Station,
    StationMembership,
    StationStaff,
    Term,
    UnitContact,
    WorkPlan,
)
from lianxin.holidays.models import CalendarDay, HolidayYear
from lianxin.notifications.models import Notification, Preference
from lianxin.regions.models import Region
from tests.security import matrix_duty_setup, matrix_events, matrix_plans, matrix_voters

# --- Route kinds ---------------------------------------------------------------------------

READ = "read"  # GET shows one object
EDIT = "edit"  # GET shows an edit form of one object, POST saves it
ACTION = "action"  # a form about one object (GET shows it, POST acts)
POST_ONLY = "post-only"  # an action on one object, POST only
LIST = "list"  # GET lists records of one model
CREATE = "create"  # GET shows a blank form, POST creates a record
PAGE = "page"  # a page without an object (import, preferences, token, ...)
PUBLIC = "public"  # no login needed; decides by itself (portal, login, health)
OWN = "own"  # any logged-in account, about its own account only (second factor)


@dataclass(frozen=True)
class Explicit:
    kind: str
    model: type[models.Model] | None = None
    param: str = "pk"  # the URL keyword naming the object
    attr: str = "pk"  # the object's attribute that fills it
    data: dict[str, Any] = field(default_factory=dict)  # what a POST sends
    # Several URL keywords naming one object: keyword -> the object's attribute.
    attrs: dict[str, str] = field(default_factory=dict)
    # URL keywords that name no object (``kind``): the fixed value the matrix walks with.
    fixed: dict[str, Any] = field(default_factory=dict)
    # A condition the view adds to its declared capability (the permission module's words).
    when: Callable[[Actor], bool] | None = None


# A citizen's case in each township, filed through the services with a known form key, so that
# its secret tracking link is known here (build() files them).
TRACKING_KEYS = {"a": "matrix-tracking-key-township-a", "b": "matrix-tracking-key-township-b"}
TRACKING_TOKEN = _secrets_for(TRACKING_KEYS["a"])[0]
MISSING_PK = 987654321


def _may_import_something(actor: Actor) -> bool:
    from lianxin.directory.exchange.kinds import KINDS

    return any(kind.may_import(actor) for kind in KINDS.values())


def _takes_in_cases(actor: Actor) -> bool:
    """In-person intake (CASE-1): the office, station staff and deputies."""
    return actor.role in (Role.OFFICE, Role.STATION, Role.DEPUTY)


def _reads_figures(actor: Actor) -> bool:
    """The figures page (CASE-10): the office, leadership and station staff."""
    return actor.role in (Role.OFFICE, Role.LEADERSHIP, Role.STATION)


def _checks_callers(actor: Actor) -> bool:
    """来电核验 (CASE-1): the office, station staff and unit staff verify callers."""
    return actor.role in (Role.OFFICE, Role.STATION, Role.UNIT)


def _is_unit(actor: Actor) -> bool:
    """A unit's own figures (CASE-10): its unit contacts."""
    return actor.role == Role.UNIT


def _reads_unit_report(actor: Actor) -> bool:
    """The window units' duty attendance (DUTY-3): the office, leadership, stations, units."""
    return actor.role in (Role.OFFICE, Role.LEADERSHIP, Role.STATION, Role.UNIT)


# Function views and views whose model the resolver cannot tell: name -> what it is.
EXPLICIT: dict[str, Explicit] = {
    # public
    "home": Explicit(PUBLIC),
    "healthz": Explicit(PUBLIC),
    "set_language": Explicit(PUBLIC),
    "accounts:login": Explicit(PUBLIC),
    "accounts:logout": Explicit(PUBLIC),
    "accounts:switch_role": Explicit(PUBLIC),
    "accounts:login_verify": Explicit(PUBLIC),
    "portal:deputy": Explicit(PUBLIC, Person, "key", "public_key"),
    "portal:deputy_opinion": Explicit(PUBLIC, Person, "key", "public_key"),
    "portal:deputy_qr_svg": Explicit(PUBLIC, Person, "key", "public_key"),
    "portal:deputy_qr_png": Explicit(PUBLIC, Person, "key", "public_key"),
    "portal:station": Explicit(PUBLIC, Station, "key", "public_key"),
    "portal:station_opinion": Explicit(PUBLIC, Station, "key", "public_key"),
    "portal:station_qr_svg": Explicit(PUBLIC, Station, "key", "public_key"),
    "portal:station_qr_png": Explicit(PUBLIC, Station, "key", "public_key"),
    "portal:track": Explicit(PUBLIC),
    "portal:opinion": Explicit(PUBLIC),
    # The citizen's own case by its secret link: the same page for whoever holds the link.
    "portal:tracking": Explicit(PUBLIC, fixed={"token": TRACKING_TOKEN}),
    # A photo by the link: 404 for a photo of another case (tests/portal/test_tracking.py).
    # The link's QR code (the receipt's image): draws the link it is given, reads nothing.
    "portal:tracking_qr": Explicit(PUBLIC, fixed={"token": TRACKING_TOKEN}),
    "portal:tracking_photo": Explicit(PUBLIC, fixed={"token": TRACKING_TOKEN, "pk": MISSING_PK}),
    # A photo for staff: whoever reaches its case (cases.reach).
    "portal:photo": Explicit(READ, CasePhoto),
    "portal:plans": Explicit(PUBLIC, Congress, "congress_id", "pk"),
    "portal:plan": Explicit(PUBLIC, WorkPlan, attrs={"congress_id": "congress_id", "year": "year"}),
    "api-schema": Explicit(PUBLIC),
    # Open311 GeoReport v2 (API-2): public reads of redacted fields; posting needs a key.
    "open311:services": Explicit(PUBLIC),
    "open311:service": Explicit(PUBLIC, fixed={"code": "roads"}),
    "open311:requests": Explicit(PUBLIC),
    "open311:request": Explicit(PUBLIC, fixed={"number": "410425-2026-00001"}),
    "api-docs": Explicit(PUBLIC),
    "api-root": Explicit(PUBLIC),
    "auth-token-list": Explicit(PUBLIC),
    # pages without an object
    "accounts:api_token": Explicit(PAGE),
    "accounts:user_create": Explicit(CREATE, User),
    "accounts:assignment_create": Explicit(CREATE, RoleAssignment),
    "regions:import": Explicit(PAGE),
    "holidays:year_list": Explicit(LIST, HolidayYear),
    "holidays:import": Explicit(PAGE),
    "notifications:inbox": Explicit(LIST, Notification),
    "notifications:mark_all_read": Explicit(PAGE),
    "notifications:preferences": Explicit(PAGE),
    "mobile:me": Explicit(PAGE),
    "mobile:qr_print": Explicit(PAGE),
    "mobile:cases": Explicit(PAGE),
    "mobile:case_detail": Explicit(READ, Case),
    "mobile:case_new": Explicit(PAGE, when=_takes_in_cases),
    "mobile:case_receipts": Explicit(PAGE, when=_takes_in_cases),
    # the closed loop's staff pages (CASE)
    "cases:case_detail": Explicit(READ, Case),
    # Archiving a dispatched case: each role that reaches it is told "already handled".
    "cases:case_act": Explicit(POST_ONLY, Case, fixed={"action": "archive"}),
    "cases:case_reveal": Explicit(POST_ONLY, Case, data={"field": "phone"}),
    "cases:inbox": Explicit(LIST, Case),
    "cases:overdue": Explicit(LIST, Case),
    "cases:intake": Explicit(PAGE, when=_takes_in_cases),
    "cases:intake_receipts": Explicit(PAGE, when=_takes_in_cases),
    "cases:figures": Explicit(PAGE, when=_reads_figures),
    "cases:figures_export": Explicit(PAGE, when=_reads_figures),
    "cases:procedure_list": Explicit(PAGE),
    # 来电核验: a page of its own; the case shows only after the caller's PIN (CASE-1, CASE-7)
    "cases:phone_check": Explicit(PAGE, when=_checks_callers),
    "cases:unit_figures": Explicit(PAGE, when=_is_unit),
    "mobile:case_figures": Explicit(PAGE),
    # Reply templates per category (CASE-5), kept by the office
    "cases:replytemplate_list": Explicit(LIST, ReplyTemplate),
    "cases:replytemplate_create": Explicit(CREATE, ReplyTemplate),
    "cases:replytemplate_edit": Explicit(EDIT, ReplyTemplate),
    "cases:replytemplate_delete": Explicit(POST_ONLY, ReplyTemplate),
    "cases:procedure_start": Explicit(POST_ONLY, Congress),
    "mobile:duty": Explicit(PAGE),
    "mobile:record": Explicit(PAGE),
    "accounts:second_factor": Explicit(OWN),
    "accounts:second_factor_totp": Explicit(OWN),
    "accounts:second_factor_sms": Explicit(OWN),
    "accounts:second_factor_codes": Explicit(OWN),
    "accounts:second_factor_remove": Explicit(OWN),
    "accounts:password_change": Explicit(OWN),
    "directory:exchange:import": Explicit(PAGE, when=_may_import_something),
    "directory:exchange:template": Explicit(PAGE, fixed={"kind": "mandates"}),
    # Every kind's export is opened by test_it_exports_only_records_in_reach.
    "directory:exchange:export": Explicit(PAGE, fixed={"kind": "mandates"}),
    # QR posters and cards to print (ORG-13)
    "directory:print_codes": Explicit(PAGE),
    # pages about one object
    "regions:create": Explicit(CREATE, Region),
    "regions:edit": Explicit(EDIT, Region),
    "holidays:year_detail": Explicit(READ, HolidayYear, "year", "year"),
    "holidays:year_edit": Explicit(
        EDIT, HolidayYear, "year", "year", {"notice": "国办发明电〔2025〕7号", "arrangement": ""}
    ),
    "directory:workplan_publish": Explicit(POST_ONLY, WorkPlan),
    "directory:person_reveal": Explicit(POST_ONLY, Person, data={"field": "phone"}),
    # Ending a membership writes its last day; nothing is deleted (ORG-8, ORG-9, ORG-10, ORG-12).
    "directory:groupmember_end": Explicit(POST_ONLY, GroupMembership),
    "directory:gridmember_end": Explicit(POST_ONLY, GridMember),
    "directory:link_end": Explicit(POST_ONLY, CommitteeLink),
    "directory:expertassignment_end": Explicit(POST_ONLY, ExpertAssignment),
    "directory:link_coverage": Explicit(READ, Congress),
    "directory:mandate_end": Explicit(
        ACTION, Mandate, data={"ended_on": "2024-05-01", "reason": "resignation", "note": "辞职"}
    ),
    "accounts:user_password": Explicit(
        ACTION, User, data={"password1": "Matrix-pass-2026!x", "password2": "Matrix-pass-2026!x"}
    ),
    "accounts:user_person": Explicit(ACTION, User, data={"person": ""}),
    "accounts:user_disable": Explicit(POST_ONLY, User),
    "accounts:user_enable": Explicit(POST_ONLY, User),
    "accounts:user_second_factor_reset": Explicit(POST_ONLY, User),
    "directory:person_poster": Explicit(READ, Person),
    "directory:person_card": Explicit(READ, Person),
    "directory:station_poster": Explicit(READ, Station),
    "directory:station_card": Explicit(READ, Station),
    "directory:exchange:job": Explicit(READ, ImportJob),
    "directory:exchange:job_confirm": Explicit(POST_ONLY, ImportJob),
    "accounts:assignment_revoke": Explicit(ACTION, RoleAssignment),
    "notifications:mark_read": Explicit(POST_ONLY, Notification),
    # API actions (DRF router names)
    "mandate-end": Explicit(
        POST_ONLY, Mandate, data={"ended_on": "2024-05-01", "end_reason": "resignation"}
    ),
    "workplan-publish": Explicit(POST_ONLY, WorkPlan),
    "calendar-year-detail": Explicit(READ, HolidayYear, "year", "year"),
    "notification-read": Explicit(POST_ONLY, Notification),
    "notification-read-all": Explicit(PAGE),
    # Station standards and inspections (ORG-6), handover (CASE-12)
    "directory:checklist_templates": Explicit(PAGE),
    "directory:checklistitem_delete": Explicit(POST_ONLY, ChecklistItem),
    "directory:inspection_create": Explicit(CREATE, Inspection),
    "directory:inspection_edit": Explicit(EDIT, Inspection),
    "directory:inspection_missing": Explicit(PAGE),
    "directory:person_handover": Explicit(ACTION, Person, data={"ended_on": "2024-05-01"}),
    "directory:vacancies": Explicit(PAGE),
    # The closed loop: the step tried is the unit's 签收 of a dispatched case (CASE-3, CASE-5);
    # the other roles are refused by the transition table.
    "case-transition": Explicit(
        POST_ONLY, Case, data={"action": "accept"}, when=lambda actor: actor.role == Role.UNIT
    ),
    "case_slips:slip": Explicit(READ, Case, fixed={"kind": "dispatch"}),
    "case-events": Explicit(READ, Case),
    "case-actions": Explicit(READ, Case),
    # --- Duty attendance and allowances (DUTY-3, DUTY-4; engineer ATTEND) ---
    # The deputy's phone: his check-in page, and a scan of a station's code (an unknown
    # station's here: every role holding VIEW_DUTY gets the page saying so).
    "mobile:duty_checkin_home": Explicit(PAGE),
    "mobile:duty_checkin": Explicit(PAGE, fixed={"key": "nosuchstation", "code": "abcdefghijkl"}),
    "duty:attendance_home": Explicit(PAGE),
    "duty:station_today": Explicit(READ, Station),
    "duty:checkin_screen": Explicit(READ, Station),
    "duty:checkin_screen_code": Explicit(READ, Station),
    "duty:checkin_printed": Explicit(READ, Station),
    "duty:assignment_confirm": Explicit(POST_ONLY, Assignment),
    "duty:assignment_excuse": Explicit(POST_ONLY, Assignment, data={"note": "矩阵请假"}),
    "duty:person_absences": Explicit(READ, Person),
    "duty:unit_report": Explicit(PAGE, when=_reads_unit_report),
    "duty:unit_report_export": Explicit(PAGE, when=_reads_unit_report),
    # Activities (ACT-1, ACT-2, PERF-3; engineer EVENTS)
    "activities:event_list": Explicit(LIST, Activity),
    "activities:event_create": Explicit(CREATE, Activity),
    "activities:event_pending": Explicit(PAGE),
    "activities:group_minimums": Explicit(PAGE),
    "activities:event_detail": Explicit(READ, Activity),
    "activities:event_edit": Explicit(EDIT, Activity),
    "activities:event_outcome": Explicit(EDIT, Activity),
    "activities:event_cancel": Explicit(POST_ONLY, Activity),
    "activities:event_held": Explicit(POST_ONLY, Activity),
    "activities:event_invite": Explicit(POST_ONLY, Activity, data={"station_deputies": "on"}),
    "activities:event_signin_screen": Explicit(READ, Activity),
    # GET shows the opinions' formset to whoever may organise the activity; its POST (cases
    # filed through cases.services) is covered by tests/activities/test_events_pages.py.
    "activities:event_opinions": Explicit(READ, Activity),
    "activities:event_photo_add": Explicit(POST_ONLY, Activity),
    "activities:event_decide": Explicit(POST_ONLY, Activity, data={"approve": "1"}),
    "activities:event_photo": Explicit(READ, ActivityPhoto),
    "activities:participant_mark": Explicit(POST_ONLY, Participant, data={"attendance": "present"}),
    # Plans (ACT-1, ACT-3; engineer PLANS): the congress's training plans (its office's) and
    # each station's annual activity plan with its items.
    "activities:training_list": Explicit(LIST, TrainingPlan),
    "activities:training_create": Explicit(CREATE, TrainingPlan),
    "activities:training_detail": Explicit(READ, TrainingPlan),
    "activities:training_edit": Explicit(EDIT, TrainingPlan),
    "activities:training_export": Explicit(READ, TrainingPlan),
    "activities:plan_list": Explicit(LIST, ActivityPlan),
    "activities:plan_create": Explicit(CREATE, ActivityPlan),
    "activities:plan_detail": Explicit(READ, ActivityPlan),
    "activities:plan_edit": Explicit(EDIT, ActivityPlan),
    "activities:plan_item_add": Explicit(
        ACTION, ActivityPlan, data={"month": "5", "kind": "stool", "title": "矩阵新增计划"}
    ),
    "activities:plan_item_edit": Explicit(EDIT, PlanItem),
    "activities:plan_item_delete": Explicit(POST_ONLY, PlanItem),
    "mobile:activities": Explicit(PAGE),
    "mobile:activity_report": Explicit(PAGE),
    # One activity he takes part in, as evidence on his record (PERF-1; engineer API6).
    "mobile:activity_detail": Explicit(READ, Activity),
    "mobile:activity_groups": Explicit(PAGE),
    "mobile:activity_signin": Explicit(
        PAGE, fixed={"key": "nosuchactivity", "code": "abcdefghijkl"}
    ),
    "duty:allowance_home": Explicit(PAGE),
    "duty:allowance_congress": Explicit(READ, Congress),
    "duty:allowance_rate": Explicit(ACTION, Congress, data={"daily_rate": "120", "note": ""}),
    "duty:allowance_compute": Explicit(POST_ONLY, Congress, data={"month": "2025-02"}),
    "duty:allowance_statement": Explicit(READ, AllowanceStatement),
    "duty:allowance_recompute": Explicit(POST_ONLY, AllowanceStatement),
    "duty:allowance_confirm": Explicit(POST_ONLY, AllowanceStatement),
    "duty:allowance_export": Explicit(READ, AllowanceStatement),
    # The payment sheet with bank details: answers the file (a reveal, audited).
    "duty:allowance_export_bank": Explicit(POST_ONLY, AllowanceStatement),
    "duty:recipient_reveal": Explicit(
        POST_ONLY, AllowanceRecipient, data={"field": "bank_account"}
    ),
    # Duty rosters (DUTY-2, engineer SOLVER): the roster, its solve, its publishing (a draft
    # roster is published by staff who accept its empty posts), one shift's edit.
    "duty:roster_create": Explicit(CREATE, Roster),
    "duty:roster_detail": Explicit(READ, Roster),
    "duty:roster_edit": Explicit(EDIT, Roster),
    "duty:roster_export": Explicit(READ, Roster),
    "duty:roster_generate": Explicit(POST_ONLY, Roster),
    "duty:roster_solve": Explicit(POST_ONLY, Roster),
    "duty:roster_publish": Explicit(ACTION, Roster, data={"accept": "on"}),
    "duty:shift_edit": Explicit(ACTION, Shift, data={"op": "remove", "assignment": MISSING_PK}),
    # --- Duty set-up (DUTY-1, DUTY-2; engineer SETUP): patterns, pool, leave, swaps ---------
    "duty:pattern_list": Explicit(LIST, DutyPattern),
    "duty:pattern_create": Explicit(CREATE, DutyPattern),
    "duty:pattern_detail": Explicit(READ, DutyPattern),
    "duty:pattern_edit": Explicit(EDIT, DutyPattern),
    "duty:pattern_active": Explicit(POST_ONLY, DutyPattern, data={"active": "0"}),
    "duty:pool_list": Explicit(LIST, PoolMember),
    "duty:pool_create": Explicit(CREATE, PoolMember),
    "duty:pool_bulk": Explicit(PAGE),
    "duty:pool_edit": Explicit(EDIT, PoolMember),
    "duty:leave_list": Explicit(LIST, DutyLeave),
    "duty:leave_create": Explicit(CREATE, DutyLeave),
    "duty:leave_detail": Explicit(READ, DutyLeave),
    "duty:leave_cancel": Explicit(POST_ONLY, DutyLeave),
    "duty:swap_list": Explicit(LIST, SwapRequest),
    "duty:swap_detail": Explicit(READ, SwapRequest),
    # The station approves the deputy's agreed request: the shift moves (rolled back).
    "duty:swap_decide": Explicit(POST_ONLY, SwapRequest, data={"decision": "approve"}),
    # The deputy's phone: his shifts, one of his shifts (with the swap form), swaps, leave.
    "mobile:duty_shift": Explicit(READ, Assignment),
    "mobile:duty_swaps": Explicit(PAGE),
    "mobile:duty_leave": Explicit(PAGE),
    # The caller's own assignments through the API (a list within reach).
    "duty-assignment-mine": Explicit(LIST, Assignment),
    # --- The deputy's record (PERF-1; engineer RECORD): one person's timeline and its export
    # for the office, leadership and stations, persons within reach (a deputy reaches only
    # himself; his phone's record is mobile:record above).
    "activities:record_person": Explicit(READ, Person),
    "activities:record_export": Explicit(READ, Person),
    # Voters (VOT-1, VOT-4; engineer VOTERS): the deputy's phone pages (his list, a voter of
    # his list, 记录联系, good deeds); staff pages (contacts with voters masked, good-deed
    # confirmation, the office's callback samples and one calling sheet).
    "mobile:voters": Explicit(PAGE),
    "mobile:voter_new": Explicit(PAGE),
    "mobile:voter_edit": Explicit(EDIT, FixedVoter),
    "mobile:voter_contact_new": Explicit(PAGE),
    "mobile:voter_deeds": Explicit(PAGE),
    "activities:voter_contacts": Explicit(PAGE),
    "activities:voter_deeds": Explicit(PAGE),
    "activities:voter_callbacks": Explicit(PAGE),
    "activities:voter_callback": Explicit(READ, CallbackSample),
    "mobile:voter_grid": Explicit(PAGE),
    "activities:voter_grid": Explicit(PAGE),
    "mobile:voter_reports": Explicit(PAGE),
    "activities:voter_reports": Explicit(PAGE),
    "mobile:voter_committee": Explicit(PAGE),
    "activities:voter_committee": Explicit(PAGE, when=lambda a: a.role in ("office", "leadership")),
    # Issue 6 through the API (engineer API6): the office records a callback answer (VOT-1);
    # a deputy reports an activity of his own, pending approval (PERF-3; the view declares
    # RECORD_OWN_WORK, everyone else gets 404).
    "callback-call-answer": Explicit(
        POST_ONLY, CallbackCall, data={"outcome": "confirmed", "satisfaction": "satisfied"}
    ),
    # A deputy signs in with an activity's QR code (ACT-1): the matrix has no current code,
    # so the allowed persona is refused by the view's own check (400), the others get 404.
    "activity-sign-in-list": Explicit(PAGE, data={"key": "matrix", "code": "000000"}),
    "activity-self-report-list": Explicit(
        PAGE,
        data={
            "kind": "constituency",
            "title": "矩阵补报",
            "day": "2026-03-02",
            "place": "一村",
            "content": "矩阵",
        },
    ),
}


@dataclass
class Route:
    route: str  # the resolver's pattern text
    name: str  # namespaced URL name
    callback: Any
    params: list[str]
    is_api: bool
    kind: str = ""
    model: type[models.Model] | None = None
    param: str = "pk"
    attr: str = "pk"
    data: dict[str, Any] = field(default_factory=dict)
    attrs: dict[str, str] = field(default_factory=dict)
    when: Callable[[Actor], bool] | None = None
    methods: tuple[str, ...] = ()  # DRF: the HTTP methods the route binds
    problem: str = ""

    @property
    def view_class(self) -> Any:
        return getattr(self.callback, "cls", None) or getattr(self.callback, "view_class", None)

    @property
    def declared_perm(self) -> Perm | None:
        perm = getattr(self.callback, "permission", None)
        if perm is None and self.view_class is not None:
            perm = getattr(self.view_class, "permission", None)
        return perm

    def url(self, obj: Any = None, value: Any = None) -> str:
        """The URL for ``obj`` (or a raw parameter ``value``)."""
        text = self.route
        if self.params:
            if value is not None:
                values = {self.params[0]: value}
            else:
                values = {p: getattr(obj, self.attrs.get(p, self.attr)) for p in self.params}
            text = _fill(text, values)
        return "/" + text.replace("^", "").replace("$", "")

    def __str__(self) -> str:
        return f"{self.name} (/{self.route})"


def _fill(route: str, values: dict[str, Any]) -> str:
    import re

    def sub(match: re.Match[str]) -> str:
        name = match.group("name") or match.group("rname")
        return str(values[name]) if name in values else match.group(0)

    text = re.sub(r"<(?:\w+:)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)", sub, route)
    return text.replace("^", "").replace("$", "")


def _params(route: str) -> list[str]:
    import re

    return [m.group(1) or m.group(2) for m in re.finditer(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)]


def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[Route]:
    found: list[Route] = []
    for p in patterns:
        text = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            if text.startswith("admin/") or p.app_name == "admin":
                continue  # the Django admin has its own matrix (test_admin_matrix)
            ns = p.namespace or ""
            found.extend(walk(p.url_patterns, text, f"{namespace}{ns}:" if ns else namespace))
        elif isinstance(p, URLPattern):
            if "(?P<format>" in text or "<drf_format_suffix:" in text:
                continue  # DRF's format-suffix twins answer like the route they mirror
            name = f"{namespace}{p.name}" if p.name else text
            is_api = hasattr(p.callback, "cls")
            found.append(Route(text, name, p.callback, _params(text), is_api))
    return found


def _model_of(callback: Any) -> type[models.Model] | None:
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if cls is None:
        return None
    model = getattr(cls, "model", None)
    if model is None:
        queryset = getattr(cls, "queryset", None)
        model = getattr(queryset, "model", None)
    return model


def classify(route: Route) -> Route:
    """Fills kind, model, parameter and data, or ``problem`` when the matrix cannot."""
    explicit = EXPLICIT.get(route.name)
    if route.is_api:
        actions = getattr(route.callback, "actions", {}) or {}
        route.methods = tuple(m.upper() for m in actions)
    if explicit is not None:
        route.kind, route.param, route.attr, route.data = (
            explicit.kind,
            explicit.param,
            explicit.attr,
            explicit.data,
        )
        route.attrs, route.when = explicit.attrs, explicit.when
        if explicit.fixed:  # walked as the URL with these values filled in
            route.route = _fill(route.route, explicit.fixed)
            route.params = [p for p in route.params if p not in explicit.fixed]
        route.model = explicit.model or _model_of(route.callback)
    else:
        route.model = _model_of(route.callback)
        short = route.name.rsplit(":", 1)[-1]
        if route.is_api:
            route.kind = READ if route.params else LIST
        elif short.endswith("list") and not route.params:
            route.kind = LIST
        elif short.endswith("create") and not route.params:
            route.kind = CREATE
        elif short.endswith("detail") and route.params == ["pk"]:
            route.kind = READ
        elif short.endswith("edit") and route.params == ["pk"]:
            route.kind = EDIT
    expected = list(route.attrs) or [route.param]
    if not route.kind or (route.kind not in (PUBLIC, PAGE, OWN) and route.model is None):
        route.problem = (
            f"{route}: the permission matrix cannot tell what this URL shows. Give its view a "
            f"`model`, name it *_list/*_detail/*_edit/*_create, or add "
            f"EXPLICIT[{route.name!r}] = Explicit(kind, Model, ...) in tests/security/matrix.py"
        )
    elif route.params and route.params != expected and (route.kind != PUBLIC or route.attrs):
        route.problem = f"{route}: parameters {route.params} are not {expected}; fix EXPLICIT"
    return route


def all_routes() -> list[Route]:
    return [classify(r) for r in walk(get_resolver().url_patterns)]


# --- Personas ------------------------------------------------------------------------------

PERSONAS = [
    "office",
    "station",
    "unit",
    "deputy",
    "leadership",
    "sysadmin",
    "secadmin",
    "auditadmin",
    "anonymous",
]
# The personas of township a: none of them may ever see township b.
TOWNSHIP_PERSONAS = ["office", "station", "unit", "deputy", "leadership"]


def persona_login(world: Any, persona: str) -> tuple[User | None, str | None]:
    t = world.a
    return {
        "office": (t.office, Role.OFFICE),
        "station": (t.station_staff, Role.STATION),
        "unit": (t.unit_staff, Role.UNIT),
        "deputy": (t.deputy_user, Role.DEPUTY),
        "leadership": (t.leadership, Role.LEADERSHIP),
        "sysadmin": (world.sysadmin, Role.SYSTEM_ADMIN),
        "secadmin": (world.secadmin, Role.SECURITY_ADMIN),
        "auditadmin": (world.auditadmin, Role.AUDIT_ADMIN),
        "anonymous": (None, None),
    }[persona]


# --- The objects inside and outside reach --------------------------------------------------


@dataclass
class Matrix:
    world: Any
    inside: dict[type[models.Model], models.Model]
    outside: dict[type[models.Model], models.Model | None]  # None: one global table
    clients: dict[str, Client]
    actors: dict[str, Actor]
    routes: list[Route]
    secrets: list[str]  # every person's phone and ID number in clear
    b_markers: list[str]  # strings only township b's records contain
    published: list[WorkPlan]  # a published work plan of township a's and b's congress
    cache: dict[Any, Any] = field(default_factory=dict)  # form data read once per module

    def client(self, persona: str) -> Client:
        return self.clients[persona]

    def actor(self, persona: str) -> Actor:
        return self.actors[persona]


def build(world: Any) -> Matrix:
    from tests.directory.conftest import make_extras

    xa, xb = make_extras(world.a), make_extras(world.b)
    from lianxin.audit.services import record
    from lianxin.notifications.services import notify

    def entry(t: Any) -> AuditEntry:
        return record(actor=None, action=AuditEntry.Action.UPDATE, obj=t.congress, note="matrix")

    def job(t: Any) -> ImportJob:
        """A sheet the township's office uploaded and whose dry run passed."""
        return ImportJob.objects.create(
            kind="mandates",
            status=ImportJob.Status.CHECKED,
            created_by=t.office,
            assignment_id_used=t.office.assignments.get().pk,
            filename=f"{t.region.name}代表名册.xlsx",
            content="",
            total_rows=1,
        )

    def published(t: Any) -> WorkPlan:
        return WorkPlan.objects.create(
            congress=t.congress,
            year=2025,
            title=f"{t.region.name}2025年代表工作计划",
            content="联系选民",
            status=WorkPlan.Status.PUBLISHED,
            published_at=datetime.datetime(2025, 1, 20, tzinfo=datetime.UTC),
        )

    def case(t: Any, phone: str) -> Case:
        """A citizen's case of the township, dispatched to its government (CASE-3)."""
        from lianxin.cases import services
        from lianxin.cases.workflow import Who

        category = Category.objects.get_or_create(
            region=t.county, code="roads", defaults={"name": "道路交通"}
        )[0]
        filed = services.file_case(
            intake=services.Intake(
                channel=Case.Channel.QR_DEPUTY, region=t.village, category=category,
                text=f"{t.region.name}村口的路灯坏了。", station=t.room, deputy=t.deputy,
                name="王五", phone=phone,
            )
        ).case  # fmt: skip
        office = Who.staff(actor_for(t.office))
        filed = services.confirm(who=Who.staff(actor_for(t.deputy_user)), case=filed)
        filed = services.triage(who=office, case=filed, scope=Case.Scope.TOWNSHIP)
        return services.dispatch(who=office, case=filed, lead=t.unit)

    def note(user: User) -> Notification:
        n = notify(recipient=user, kind="matrix", title=f"{user.username}的消息", body="矩阵")
        assert n is not None
        return n

    def photo_of_a_citizens_case(t: Any, tag: str) -> CasePhoto:
        """A citizen's case from the deputy's QR code, with a photo and personal data."""
        import io

        from django.core.files.uploadedfile import SimpleUploadedFile
        from PIL import Image

        from lianxin.cases import services

        category = Category.objects.get_or_create(
            region=t.county, code="roads", defaults={"name": "道路交通"}
        )[0]
        out = io.BytesIO()
        Image.new("RGB", (8, 8)).save(out, format="JPEG")
        phone = {"a": "13900001111", "b": "13900002222"}[tag]
        receipt = services.file_case(
            intake=services.Intake(
                channel="qr_deputy",
                region=t.village,
                category=category,
                text=f"{t.region.name}村口路灯坏了，我叫{tag}赵明，电话{phone}",
                station=t.room,
                deputy=t.deputy,
                name=f"{tag}赵明",
                phone=phone,
                submission_key=TRACKING_KEYS[tag],
                photos=[SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")],
            )
        )
        return receipt.case.photos.get()

    def duty(t: Any) -> dict[type[models.Model], models.Model]:
        """The township deputy's post on a published roster at the contact room, and the
        congress's allowance recipient and statement (DUTY-3, DUTY-4; engineer ATTEND)."""
        from lianxin.activities.models import DutyPattern, Roster, Shift

        day = datetime.date(2025, 1, 8)
        pattern = DutyPattern.objects.create(
            station=t.room, name="代表周三见", kind="weekly", weekdays=[2], valid_from=day
        )
        roster = Roster.objects.create(station=t.room, pattern=pattern, name="矩阵排班表",
                                       starts_on=day, ends_on=day, status="published")  # fmt: skip
        shift = Shift.objects.create(roster=roster, station=t.room, date=day,
                                     starts_at=datetime.time(9), ends_at=datetime.time(12))  # fmt: skip
        post = Assignment.objects.create(shift=shift, person=t.deputy, role="deputy")
        recipient = AllowanceRecipient.objects.create(
            congress=t.congress, person=t.deputy, bank_name="农商银行",
            account_holder=t.deputy.name, bank_account="6230081234567890",
        )  # fmt: skip
        statement = AllowanceStatement.objects.create(
            congress=t.congress, month=datetime.date(2025, 1, 1), daily_rate=100
        )
        return {Assignment: post, AllowanceRecipient: recipient, AllowanceStatement: statement}

    photos = {
        "a": photo_of_a_citizens_case(world.a, "a"),
        "b": photo_of_a_citizens_case(world.b, "b"),
    }
    year = HolidayYear.objects.order_by("-year").first()
    assert year is not None, "the holiday calendar ships seeded years"
    day = CalendarDay.objects.filter(date__year=year.year).order_by("date").first()
    inside: dict[type[models.Model], models.Model] = {}
    outside: dict[type[models.Model], models.Model | None] = {}
    for t, x, target in ((world.a, xa, inside), (world.b, xb, outside)):
        target.update(
            {
                Region: t.village,
                Congress: t.congress,
                Term: t.term,
                Session: x.session,
                Body: x.body,
                BodyMembership: x.seat,
                WorkPlan: x.plan,
                Delegation: x.delegation,
                Person: t.deputy,
                Mandate: x.mandate,
                Station: t.room,
                StationStaff: x.staff,
                StationMembership: x.membership,
                HandlingUnit: t.sub_unit,
                UnitContact: x.contact,
                DeputyGroup: x.group,
                GroupMembership: x.group_member,
                Grid: x.grid,
                GridMember: x.grid_member,
                CommitteeLink: x.link,
                Expert: x.expert,
                ExpertAssignment: x.expert_assignment,
                ExpertContribution: x.contribution,
                User: t.deputy_user,
                RoleAssignment: t.office.assignments.get(),
                AuditEntry: entry(t),
                Notification: note(t.office),
                ImportJob: job(t),
                Checklist: x.checklist,
                ChecklistItem: x.item,
                Inspection: x.inspection,
                CasePhoto: photos["a" if t is world.a else "b"],
                Case: case(t, "1395550000" + ("1" if t is world.a else "2")),
                Category: Category.objects.create(region=t.region, code="matrix", name="矩阵类别"),
                Procedure: Procedure.objects.create(congress=t.congress),
                ReplyTemplate: ReplyTemplate.objects.create(
                    region=t.region, title="矩阵模板", text="您反映的问题（编号{编号}）已办理。"
                ),
                DeadlineRule: DeadlineRule.objects.create(
                    congress=t.congress, step="reply", amount=1, unit="months"
                ),
                **duty(t),
            }
        )
        # Duty set-up (SETUP): its pattern, pool entry, leave and swap request.
        setup = matrix_duty_setup.duty_setup_objects(t)
        target.update({k: v for k, v in setup.items() if k not in (Assignment, Roster, Shift)})
        # Activities (ACT-1, engineer EVENTS): a station's activity, its invitee and a photo.
        target.update(matrix_events.event_objects(t))
        # Plans (ACT-1, ACT-3; engineer PLANS): training plan, station plan and its item.
        target.update(matrix_plans.plan_objects(t))
        # Voters (VOT-1, VOT-4; engineer VOTERS): fixed voter, contact, good deed, sample.
        target.update(matrix_voters.voter_objects(t))
    # Duty rosters (DUTY-2, engineer SOLVER): the inside roster is a draft of each township's
    # station with one shift (the set-up area's pattern, pool, leave and swap stay inside;
    # the attendance area's post on a published roster is the inside assignment).
    for t, target in ((world.a, inside), (world.b, outside)):
        pattern = DutyPattern.objects.create(
            station=t.station, name="代表周三见", kind="weekly", weekdays=[2],
            valid_from=datetime.date(2026, 1, 1),
        )  # fmt: skip
        Requirement.objects.create(pattern=pattern, role="deputy", count=2)
        roster = Roster.objects.create(
            station=t.station, pattern=pattern, name=f"{t.region.name}代表周三见排班",
            starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 3, 31),
        )  # fmt: skip
        shift = Shift.objects.create(
            roster=roster, station=t.station, date=datetime.date(2026, 3, 4),
            starts_at=datetime.time(9, 0), ends_at=datetime.time(11, 30), needs={"deputy": 2},
        )  # fmt: skip
        target.update({Roster: roster, Shift: shift})
    inside[HolidayYear], outside[HolidayYear] = year, None
    inside[CalendarDay], outside[CalendarDay] = day, None  # type: ignore[assignment]
    for persona in PERSONAS:  # everybody has a message of his own
        user, _role = persona_login(world, persona)
        if user is not None and user != world.a.office:
            note(user)

    clients: dict[str, Client] = {}
    actors: dict[str, Actor] = {}
    for persona in PERSONAS:
        user, role = persona_login(world, persona)
        if user is None:
            clients[persona], actors[persona] = Client(), ANONYMOUS
            continue
        clients[persona] = world.client_for(user, role)
        actors[persona] = actor_for(user, user.assignments.get(role=role).pk)
    persons = list(Person.objects.all())
    secrets = [v for p in persons for v in (p.phone, p.id_number) if v]
    secrets += ["13900001111", "13900002222", "a赵明", "b赵明"]  # the citizens' own
    secrets += ["13955500001", "13955500002"]  # the citizens' phones of the two cases
    secrets += ["6230081234567890"]  # the allowance recipients' bank account (DUTY-4)
    b = world.b
    b_markers = [b.region.name, *(p.name for p in Person.objects.filter(region=b.region))]
    return Matrix(
        world=world,
        inside=inside,
        outside=outside,
        clients=clients,
        actors=actors,
        routes=all_routes(),
        secrets=secrets,
        b_markers=b_markers,
        published=[published(world.a), published(world.b)],
    )


# --- What the permission module says -------------------------------------------------------


def refresh(obj: models.Model) -> models.Model:
    return type(obj)._default_manager.get(pk=obj.pk)


def may_read(actor: Actor, route: Route, obj: models.Model) -> bool:
    assert route.model is not None
    perm = route.declared_perm
    return (
        (perm is None or actor.has(perm))
        and can_view_model(actor, route.model)
        and in_reach(actor, obj)
    )


def may_open(actor: Actor, route: Route) -> bool:
    """A page without an object: the declared capability and the view's own condition."""
    perm = route.declared_perm
    return perm is not None and actor.has(perm) and (route.when is None or route.when(actor))


def may_write(actor: Actor, route: Route, obj: models.Model) -> bool:
    perm = route.declared_perm
    return (
        (perm is None or actor.has(perm))
        and can_edit(actor, obj)
        and (route.when is None or route.when(actor))
    )


def may_create(actor: Actor, route: Route) -> bool:
    assert route.model is not None
    perm = route.declared_perm
    return (perm is None or actor.has(perm)) and can_edit_model(actor, route.model)


def in_scope_ids(actor: Actor, model: type[models.Model]) -> set[Any]:
    return set(scope(actor, model._default_manager.all()).values_list("pk", flat=True))


# --- Snapshots -----------------------------------------------------------------------------


def snapshot(obj: models.Model) -> dict[str, Any] | None:
    """The stored row of ``obj`` (decrypted fields compare by value)."""
    row = type(obj)._default_manager.filter(pk=obj.pk).values().first()
    if row is None:
        return None
    return {k: v for k, v in row.items() if k not in ("last_login", "entered_at")}


def counts() -> dict[str, int]:
    """Row counts of every model the matrix touches."""
    tracked = [
        Region,
        Congress,
        Term,
        Session,
        Body,
        BodyMembership,
        WorkPlan,
        Delegation,
        Person,
        Mandate,
        Station,
        StationStaff,
        StationMembership,
        HandlingUnit,
        UnitContact,
        DeputyGroup,
        GroupMembership,
        Grid,
        GridMember,
        CommitteeLink,
        Expert,
        ExpertAssignment,
        ExpertContribution,
        User,
        RoleAssignment,
        HolidayYear,
        CalendarDay,
        Notification,
        Token,
        Preference,
        AuditEntry,
        ImportJob,
        Checklist,
        ChecklistItem,
        Inspection,
        InspectionScore,
        Case,
        Category,
        Procedure,
        DeadlineRule,
        ReplyTemplate,
        # Duty (DUTY-1..4)
        *matrix_duty_setup.TRACKED,
        # Activities (ACT-1, engineer EVENTS)
        *matrix_events.TRACKED,
        *matrix_plans.TRACKED,
        *matrix_voters.TRACKED,
        AllowanceRate,
        AllowanceRecipient,
        AllowanceStatement,
        AllowanceLine,
    ]
    return {m._meta.label: m._default_manager.count() for m in tracked}


# --- Form data -----------------------------------------------------------------------------


def _post_value(value: Any) -> Any:
    from django.db.models.fields.files import FieldFile

    if isinstance(value, FieldFile):
        return None  # no upload: the stored file stays
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "on" if value else ""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [_post_value(v) for v in value]
    return value


def mutate(name: str, value: Any, formfield: Any = None) -> Any:
    """A different valid value for one field."""
    if isinstance(value, str):
        return (value + "改")[: getattr(formfield, "max_length", None) or 1000]
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, datetime.date) or value is None:
        return datetime.date(2024, 3, 4) if value != datetime.date(2024, 3, 4) else None
    return value


MUTABLE_FORM_FIELDS = ("name", "title", "position", "place", "display_name", "electoral_district")


def form_data(form: Any) -> tuple[dict[str, Any], str | None]:
    """POST data that re-submits ``form`` with one field changed, and that field's name."""
    from django import forms as dj_forms

    data: dict[str, Any] = {}
    for name, bound in form.fields.items():
        value = form.initial.get(name, bound.initial)
        if callable(value):
            value = value()
        data[name] = _post_value(value)
    changed = None
    for name in MUTABLE_FORM_FIELDS:
        if name in form.fields and isinstance(form.fields[name], dj_forms.CharField):
            data[name] = mutate(name, data[name] or "", form.fields[name])
            changed = name
            break
    else:
        for name, bound in form.fields.items():
            if isinstance(bound, dj_forms.IntegerField) and data[name] != "":
                data[name] = int(data[name]) + 1
                changed = name
                break
            if isinstance(bound, dj_forms.DateField) and not bound.required:
                data[name] = "2030-03-04" if data[name] != "2030-03-04" else ""
                changed = name
                break
    return {k: v for k, v in data.items() if v is not None}, changed


# Text fields the payload leaves alone when they hold a choice (a group member's 组长/组员).
CHOICE_VALUES = frozenset(GroupMembership.Position.values)


def api_payload(row: dict[str, Any]) -> dict[str, Any]:
    """A PUT/POST body from an API representation, with one text field changed."""
    body = {k: v for k, v in row.items() if k not in ("id", "path", "depth", "public_key")}
    for name in ("name", "title", "position", "place", "electoral_district", "display_name"):
        if isinstance(body.get(name), str) and body[name] not in CHOICE_VALUES:
            body[name] = body[name] + "改"
            break
    else:
        for name in ("number", "starts_on", "ends_on"):
            if name in body:
                body[name] = body[name] + 1 if isinstance(body[name], int) else "2024-03-04"
                break
    # Personal values read back masked: never send the mask as a new value.
    for name in ("phone", "id_number"):
        if isinstance(body.get(name), str) and "*" in body[name]:
            body.pop(name)
    return body


def as_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)
