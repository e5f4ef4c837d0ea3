"""The permission matrix (SEC-1, SPEC section 0, issue 2 "Tests that must exist").

Every page URL and every API endpoint the resolver knows (the Django admin has its own
matrix in test_admin_matrix.py), read and written by every persona — the office, station
staff, unit staff, a deputy and leadership of township a, the three administrators and an
anonymous visitor — against an object inside reach (township a) and one outside (township
b). What each persona gets must be what the permission module decides, and the module's
decisions must be what SPEC section 0 says (the hand-written table below). A URL the matrix
cannot map fails ``test_it_maps_every_url``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import models, transaction
from django.http import HttpResponse

from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.permissions import (
    Perm,
    can_edit,
    can_reveal_personal,
    can_view_model,
    in_reach,
    scope,
)
from lianxin.activities.models import (
    Activity,
    ActivityPhoto,
    ActivityPlan,
    AllowanceRecipient,
    AllowanceStatement,
    Assignment,
    DutyLeave,
    DutyPattern,
    Participant,
    PlanItem,
    PoolMember,
    Roster,
    Shift,
    SwapRequest,
    TrainingPlan,
)
from lianxin.activities.models.voters import (
    CallbackCall,
    CallbackSample,
    CommitteeContact,
    FixedVoter,
    GoodDeed,
    VoterContact,
    VoterReport,
)
from lianxin.audit.models import AuditEntry
from lianxin.cases.models import (
    Case,
    CasePhoto,
    Category,
    DeadlineRule,
    Procedure,
    ReplyTemplate,
)
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
from lianxin.notifications.models import Notification
from lianxin.regions.models import Region
from tests.security.matrix import (
    ACTION,
    CREATE,
    EDIT,
    LIST,
    OWN,
    PAGE,
    PERSONAS,
    POST_ONLY,
    PUBLIC,
    READ,
    TOWNSHIP_PERSONAS,
    Matrix,
    Route,
    all_routes,
    api_payload,
    as_json,
    classify,
    counts,
    form_data,
    in_scope_ids,
    may_create,
    may_open,
    may_read,
    may_write,
    snapshot,
)

ROUTES = all_routes()
PAGE_ROUTES = [r for r in ROUTES if not r.is_api and r.kind not in (PUBLIC, OWN) and not r.problem]
OWN_ROUTES = [r for r in ROUTES if r.kind == OWN]
API_ROUTES = [r for r in ROUTES if r.is_api and r.kind != PUBLIC and not r.problem]
PUBLIC_ROUTES = [r for r in ROUTES if r.kind == PUBLIC]
MISSING = 987654321  # a primary key nobody has

REVEALS = (  # answer 200 with the value
    "directory:person_reveal",
    "cases:case_reveal",
    "duty:recipient_reveal",
    "duty:allowance_export_bank",
)

# Every persona acts in township a unless it is an administrator.
STAFF_PERSONAS = [p for p in PERSONAS if p != "anonymous"]


# --- Shared checks -------------------------------------------------------------------------


def is_login_redirect(response: HttpResponse) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def check_body(
    m: Matrix, persona: str, response: HttpResponse, where: str, *, public: bool = False
) -> None:
    """What no response may carry: clear personal data; for township a's personas anything of
    township b; for a logged-in account a cacheable staff page."""
    if persona != "anonymous":
        assert "no-store" in response.get("Cache-Control", ""), f"{where}: not no-store"
    if response.status_code != 200 or response.get("Content-Type", "").startswith("image/"):
        return
    body = response.content.decode("utf-8", errors="replace")
    for secret in m.secrets:
        assert secret not in body, f"{where}: personal data in clear for {persona}"
    if persona in TOWNSHIP_PERSONAS and not public:
        for marker in m.b_markers:
            assert marker not in body, f"{where}: {persona} of township a sees {marker!r}"


def expect_denied(m: Matrix, persona: str, response: HttpResponse, where: str) -> None:
    if persona == "anonymous":
        assert is_login_redirect(response), f"{where}: anonymous got {response.status_code}"
    else:
        assert response.status_code == 404, f"{where}: {persona} got {response.status_code}"


def post_and_roll_back(client: Any, url: str, data: Any, obj: models.Model | None, **kw: Any):
    """POSTs inside a transaction that is rolled back; returns the response and the row of
    ``obj`` and the table counts as they were just after the request."""
    with transaction.atomic():
        response = client.post(url, data, **kw)
        after = snapshot(obj) if obj is not None else None
        tally = counts()
        transaction.set_rollback(True)
    return response, after, tally


def write(client: Any, method: str, url: str, body: Any, obj: models.Model | None):
    with transaction.atomic():
        call = getattr(client, method.lower())
        if body is None:
            response = call(url)
        else:
            response = call(url, as_json(body), content_type="application/json")
        after = snapshot(obj) if obj is not None else None
        tally = counts()
        transaction.set_rollback(True)
    return response, after, tally


def objects_for(m: Matrix, route: Route) -> list[tuple[str, models.Model]]:
    assert route.model is not None
    found = [("inside", m.inside[route.model])]
    outside = m.outside[route.model]
    if outside is not None:
        found.append(("outside", outside))
    return found


# --- The URL walk --------------------------------------------------------------------------


def test_it_maps_every_url():
    problems = [r.problem for r in ROUTES if r.problem]
    assert problems == [], "\n".join(problems)
    assert len(PAGE_ROUTES) > 60 and len(API_ROUTES) > 30


def test_it_has_an_inside_and_outside_object_for_every_model(matrix, db):
    models_used = {r.model for r in ROUTES if r.model is not None}
    missing = [m.__name__ for m in models_used if m not in matrix.inside]
    assert missing == [], f"add inside/outside objects for {missing} in tests/security/matrix.py"
    for model, obj in matrix.outside.items():
        if obj is not None:
            assert obj.pk != matrix.inside[model].pk


def test_it_would_fail_for_a_url_it_cannot_map():
    from django.http import HttpResponse as Response

    def gadget(request, pk):
        return Response()

    route = classify(Route("staff/gadgets/<int:pk>/frob/", "gadgets:frob", gadget, ["pk"], False))
    assert "cannot tell what this URL shows" in route.problem
    assert "EXPLICIT['gadgets:frob']" in route.problem


# --- SPEC section 0, by hand ---------------------------------------------------------------

DIRECTORY = {
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
    # ORG-8, ORG-9, ORG-10, ORG-12
    DeputyGroup,
    GroupMembership,
    Grid,
    GridMember,
    CommitteeLink,
    Expert,
    ExpertAssignment,
    ExpertContribution,
}
STATION_TREE = {Station, StationStaff, StationMembership}
# ORG-6: the township's checklist and the inspections of its stations. The office edits them;
# station staff read them (no self-grading); leadership reads.
STANDARDS = {Checklist, ChecklistItem, Inspection}
# Station staff: the group meeting at their station, the grid their contact room serves, the
# expert assigned there; they run grids and record what experts do at their stations.
STATION_ORG_READS = {
    DeputyGroup,
    GroupMembership,
    Grid,
    GridMember,
    Expert,
    ExpertAssignment,
    ExpertContribution,
}
STATION_ORG_EDITS = {Grid, GridMember, ExpertAssignment, ExpertContribution}
# A deputy: his groups, his grids, the standing committee member who links him.
DEPUTY_ORG_READS = {DeputyGroup, GroupMembership, Grid, GridMember, CommitteeLink}
# Which of township a's records each persona reads (pages and API), straight from SPEC
# section 0. The inside objects: the village, the congress and its records, the deputy (who
# sits in the village contact room under the station), the contact room, the sub-unit of the
# township government, the deputy's account, the office's role assignment, an audit entry,
# the office's message, the current holiday year.
# Citizens' cases (CASE): the inside case was raised in the village through the deputy, at
# the contact room under the station, and is dispatched to the township government; the
# categories of a region are read by everybody working there; a congress's procedure and
# deadlines by its office and leadership.
CASE_CONFIG = {Procedure, DeadlineRule}
# Reply templates (CASE-5) are read wherever the categories they serve are read, and kept by
# the office like the categories.
CATEGORIES = {Category, ReplyTemplate}
# Duty (DUTY-1..4). The inside records: the set-up area's pattern, pool entry, leave and swap
# request at township a's station; a draft roster with one shift there (the solver's); the
# township deputy's post on a published roster at the contact room (attendance). The office
# and station staff run them, leadership reads them; a deputy reads his own pool entry, leave,
# swaps and post (changing them only through the services' own steps on his phone), never a
# draft roster. Allowances are the office's alone.
DUTY = {DutyPattern, PoolMember, DutyLeave, Roster, Shift, Assignment, SwapRequest}
DUTY_OWN = {PoolMember, DutyLeave, Assignment, SwapRequest}
ALLOWANCES = {AllowanceRecipient, AllowanceStatement}
# Activities (ACT-1, engineer EVENTS): the inside activity is organised by township a's
# station with the township deputy invited. The office and station staff run it, leadership
# reads it, the deputy reads the activities he is invited to.
EVENTS = {Activity, Participant, ActivityPhoto}
# Voters (VOT-1, VOT-4; engineer VOTERS): a deputy's voters list is his and the office's (which
# calls them back), not the station's; his contacts and good deeds are read by the staff of his
# stations, the office and leadership; he alone records them; the callback samples are the
# office's alone.
# Plans (ACT-1, ACT-3; engineer PLANS): the inside training plan is township a's congress's,
# kept by its office and read by leadership; the inside station plan (and its item) is township
# a's station's, kept by its staff and the office, read by leadership. Deputies see neither.
TRAINING = {TrainingPlan}
STATION_PLANS = {ActivityPlan, PlanItem}
VOTER_LIST = {FixedVoter}
VOTER_WORK = {VoterContact, GoodDeed, VoterReport}
# ORG-10: a member's contacts with the deputies he links: the office and leadership of the
# congress read them, the member (and the deputy he contacted) too; the member records them.
COMMITTEE_WORK = {CommitteeContact}
CALLBACKS = {CallbackSample, CallbackCall}
READS: dict[str, set[type[models.Model]]] = {
    # the office: the records of its region and everything below it
    # (and the citizens' cases of its region, with their photos)
    "office": DIRECTORY
    | STANDARDS
    | {Region, Notification, Case, CasePhoto}
    | CATEGORIES
    | CASE_CONFIG
    | DUTY
    | ALLOWANCES
    | EVENTS
    | TRAINING
    | STATION_PLANS
    | VOTER_LIST
    | VOTER_WORK
    | COMMITTEE_WORK
    | CALLBACKS,
    # station staff: their station subtree and the deputies sitting there (and their mandates)
    "station": STATION_TREE
    | STANDARDS
    | {Person, Mandate, Region, Case, CasePhoto}
    | CATEGORIES
    | STATION_ORG_READS
    | DUTY
    | EVENTS
    | STATION_PLANS
    | VOTER_WORK,
    # unit staff: their unit and its sub-units, and their contacts — and the cases dispatched
    # to them (the photo of township a's other, undispatched case stays out of reach)
    "unit": {HandlingUnit, UnitContact, Case} | CATEGORIES,
    # a deputy: himself, his mandates, his stations, the cases he received (and their photos)
    "deputy": {Person, Mandate, Station, StationMembership, Case, CasePhoto}
    | CATEGORIES
    | DEPUTY_ORG_READS
    | DUTY_OWN
    | EVENTS
    | VOTER_LIST
    | VOTER_WORK
    | COMMITTEE_WORK,
    # leadership: read access to the congress's region
    "leadership": DIRECTORY
    | STANDARDS
    | {Region, Case, CasePhoto}
    | CATEGORIES
    | CASE_CONFIG
    | DUTY
    | EVENTS
    | TRAINING
    | STATION_PLANS
    | VOTER_LIST
    | VOTER_WORK
    | COMMITTEE_WORK,
    # 三员分立: accounts (and the calendar, regions as configuration) / roles / audit trail
    "sysadmin": {User, Region},
    "secadmin": {RoleAssignment, Region},
    "auditadmin": {AuditEntry},
    "anonymous": set(),
}
# What each persona may change among the same records.
EDITS: dict[str, set[type[models.Model]]] = {
    "office": DIRECTORY
    | STANDARDS
    | {Region, Case}
    | CATEGORIES
    | CASE_CONFIG
    | DUTY
    | ALLOWANCES
    | EVENTS
    | TRAINING
    | STATION_PLANS
    | CALLBACKS,
    "station": STATION_TREE
    | STATION_ORG_EDITS
    | {Case}
    | DUTY
    | EVENTS
    | STATION_PLANS,  # cases: as the table allows (CASE-3)
    "unit": {Case},
    "deputy": {Case} | VOTER_LIST | VOTER_WORK | COMMITTEE_WORK,
    "leadership": set(),
    "sysadmin": {User, Region, HolidayYear, CalendarDay},
    "secadmin": {RoleAssignment},
    "auditadmin": set(),
    "anonymous": set(),
}
# Everybody reads the official calendar (deadlines are shown everywhere), and his own inbox.
EVERYBODY_READS = {HolidayYear, CalendarDay}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_decides_reach_as_spec_section_0_says(matrix, db, persona):
    actor = matrix.actor(persona)
    for model, obj in matrix.inside.items():
        expected = model in READS[persona] or (model in EVERYBODY_READS and persona != "anonymous")
        own = model in (Notification, ImportJob)  # the office's own message and upload
        if own:
            expected = persona == "office"
        reads = can_view_model(actor, model) and in_reach(actor, obj)
        assert reads == expected, f"{persona} reading {model.__name__}: {reads}"
        assert can_edit(actor, obj) == (model in EDITS[persona] or (own and persona == "office")), (
            f"{persona} editing {model.__name__}"
        )


@pytest.mark.parametrize("persona", TOWNSHIP_PERSONAS)
def test_it_keeps_every_record_of_township_b_out_of_township_a(matrix, db, persona):
    actor = matrix.actor(persona)
    for model, obj in matrix.outside.items():
        if obj is not None:
            assert not in_reach(actor, obj), f"{persona} reaches {model.__name__} of township b"


def test_it_lets_only_the_office_reveal_personal_data(matrix, db):
    deputy = matrix.inside[Person]
    allowed = {p for p in PERSONAS if can_reveal_personal(matrix.actor(p), deputy)}
    assert allowed == {"office"}
    for persona in PERSONAS:
        assert not can_reveal_personal(matrix.actor(persona), matrix.outside[Person])


def test_it_lets_the_unit_reach_only_its_unit_tree(matrix, db):
    w = matrix.world
    actor = matrix.actor("unit")
    assert set(scope(actor, HandlingUnit.objects.all())) == {w.a.unit, w.a.sub_unit}
    assert set(scope(actor, Station.objects.all())) == set()
    assert set(scope(actor, Person.objects.all())) == {w.a.unit_staff.person}


def test_it_lets_a_deputy_reach_only_himself(matrix, db):
    w = matrix.world
    actor = matrix.actor("deputy")
    assert set(scope(actor, Person.objects.all())) == {w.a.deputy}
    assert set(scope(actor, Station.objects.all())) == {w.a.room}


def test_it_lets_station_staff_reach_their_subtree_and_its_deputies(matrix, db):
    w = matrix.world
    actor = matrix.actor("station")
    assert set(scope(actor, Station.objects.all())) == {w.a.station, w.a.room}
    assert w.a.deputy in set(scope(actor, Person.objects.all()))
    assert w.b.deputy not in set(scope(actor, Person.objects.all()))


# --- Pages ---------------------------------------------------------------------------------


def _edit_form_data(m: Matrix, route: Route, obj: models.Model, persona: str):
    """Re-submittable data of the edit form of ``obj`` as ``persona`` (or anybody allowed)
    sees it, with one field changed."""
    key = (route.name, obj.pk, persona if may_write(m.actor(persona), route, obj) else None)
    if key not in m.cache:
        m.cache[key] = _edit_form_data_uncached(m, route, obj, key[2])
    data, changed = m.cache[key]
    return dict(data), changed


def _edit_form_data_uncached(m: Matrix, route: Route, obj: models.Model, persona: str | None):
    candidates = [persona] if persona else []
    candidates += [p for p in STAFF_PERSONAS if p != persona]
    for who in candidates:
        if may_write(m.actor(who), route, obj):
            response = m.client(who).get(route.url(obj))
            assert response.status_code == 200, f"{route}: {who} cannot open the form"
            return form_data(response.context["form"])
    return dict(route.data), None


@pytest.mark.parametrize("route", [r for r in PAGE_ROUTES if r.params], ids=str)
def test_it_answers_object_pages_as_the_module_decides(matrix, db, route):
    m = matrix
    for persona in PERSONAS:
        client, actor = m.client(persona), m.actor(persona)
        for which, obj in objects_for(m, route):
            url = route.url(obj)
            where = f"GET {url} ({which} {route.model.__name__})"
            response = client.get(url)
            check_body(m, persona, response, where)
            if route.kind == POST_ONLY:
                assert response.status_code in (302, 404, 405), where
                assert response.status_code != 302 or is_login_redirect(response), where
                continue
            allowed = (
                may_read(actor, route, obj) if route.kind == READ else may_write(actor, route, obj)
            )
            if route.name == "directory:mandate_end":
                allowed = allowed and obj.status == Mandate.Status.SERVING
            if allowed:
                assert response.status_code == 200, f"{where}: {persona} {response.status_code}"
            else:
                expect_denied(m, persona, response, where)


@pytest.mark.parametrize(
    "route", [r for r in PAGE_ROUTES if r.kind in (EDIT, ACTION, POST_ONLY)], ids=str
)
def test_it_writes_through_object_pages_only_as_the_module_allows(matrix, db, route):
    m = matrix
    inside = m.inside[route.model]
    for persona in PERSONAS:
        client, actor = m.client(persona), m.actor(persona)
        for which, obj in objects_for(m, route):
            allowed = may_write(actor, route, obj)
            data, changed = dict(route.data), None
            if route.kind == EDIT:
                # What the persona's own form holds; the inside record's data is thrown at a
                # record he may not write (it would move it into his reach).
                data, changed = _edit_form_data(m, route, obj if allowed else inside, persona)
            if route.name == "accounts:user_person":
                data = {"person": getattr(getattr(obj, "person", None), "pk", "")}
            url = route.url(obj)
            where = f"POST {url} ({which} {route.model.__name__})"
            before, before_counts = snapshot(obj), counts()
            response, after, tally = post_and_roll_back(client, url, data, obj)
            revealed = route.name in REVEALS and allowed
            if not revealed:
                check_body(m, persona, response, where)
            if route.name == "directory:mandate_end":
                allowed = allowed and obj.status == Mandate.Status.SERVING
            if route.name == "directory:workplan_publish":
                allowed = allowed and obj.status == WorkPlan.Status.DRAFT
            if not allowed:
                expect_denied(m, persona, response, where)
                assert after == before, f"{where}: {persona} changed the record"
                assert tally == before_counts, f"{where}: {persona} created or deleted rows"
                continue
            errors = getattr(response.context or {}, "get", lambda k: None)("form")
            assert response.status_code in (200, 302), f"{where}: {persona}"
            if route.kind != POST_ONLY or route.name not in REVEALS:
                assert response.status_code == 302, (
                    f"{where}: {persona} allowed but got {response.status_code}: "
                    f"{errors.errors if errors is not None else ''}"
                )
            if changed:
                assert after != before, f"{where}: {persona}'s allowed edit saved nothing"
            if route.model is ImportJob:
                assert after and after["status"] == ImportJob.Status.QUEUED, where


# Create forms: data copied from the inside object (one field changed), or given here.
def _create_data(m: Matrix, route: Route, persona: str) -> dict[str, Any]:
    w = m.world
    if route.name == "regions:create":
        return {"parent": w.a.region.pk, "name": "矩阵村", "level": Region.Level.VILLAGE,
                "code": "", "kind": "村"}  # fmt: skip
    if route.name == "accounts:user_create":
        return {"username": "matrix_new", "display_name": "矩阵", "email": "",
                "password1": "Matrix-pass-2026!x", "password2": "Matrix-pass-2026!x"}  # fmt: skip
    if route.name == "accounts:assignment_create":
        return {"user": w.a.deputy_user.pk, "role": "leadership", "region": w.a.region.pk,
                "station": "", "unit": "", "title": "矩阵"}  # fmt: skip
    if route.name == "duty:leave_create":  # a person of the station's pool (DUTY-2)
        return {"member": m.inside[PoolMember].pk, "starts_on": "2030-02-01",
                "ends_on": "2030-02-02", "reason": "矩阵"}  # fmt: skip
    edit = next(r for r in PAGE_ROUTES if r.name == route.name.replace("create", "edit"))
    data, _changed = _edit_form_data(m, edit, m.inside[route.model], persona)
    if route.model is Mandate:  # one mandate per person and term: a new person's
        data["person"] = w.a.station_staff.person.pk
    if route.model is StationMembership:  # a past sitting: the head holds no mandate (ORG-7)
        data["person"] = w.a.station_staff.person.pk
        data["ends_on"] = data["starts_on"]
    if route.model is StationStaff:  # one open head per station and side (ORG-5)
        data["role"] = StationStaff.Role.LIAISON
    if route.model is UnitContact:
        data["person"] = w.a.deputy.pk
    if route.model is Term:
        data["is_current"] = ""
    if route.model is Inspection:  # the correction form keeps them; a new one chooses them
        inside = m.inside[Inspection]
        data.update(station=inside.station_id, checklist=inside.checklist_id)
    if route.model in ENDED_ON_CREATE:  # a past membership: one open one per person
        data["ends_on"] = data["starts_on"]
    if route.model is Expert:  # one pool entry per person and region
        data["person"] = w.a.station_staff.person.pk
    if route.model is PoolMember:  # the deputy joins the pool of the room he sits in (DUTY-2)
        data.update(station=w.a.room.pk, person=w.a.deputy.pk, role="deputy")
    data.update(_unique_overrides(m, route.model))
    return data


# Memberships the matrix creates as past ones: the inside record holds the one open seat.
ENDED_ON_CREATE = {GroupMembership, GridMember, CommitteeLink, ExpertAssignment}


def _unique_overrides(m: Matrix, model: type[models.Model]) -> dict[str, Any]:
    """A copy of the inside record, moved off the keys that must stay unique."""
    if model is Congress:
        return {"region": m.world.a.village.pk}
    if model is Session:
        return {"number": 2}
    if model is WorkPlan:
        return {"year": 2027}
    if model is Category:
        return {"code": "matrix-new"}
    if model is DeadlineRule:
        return {"step": "check"}
    if model is AllowanceRecipient:  # one entry per congress and person (DUTY-4)
        return {"person": m.world.a.station_staff.person.pk}
    if model is ActivityPlan:  # one plan a station and year (ACT-1)
        return {"year": 2027}
    return {}


@pytest.mark.parametrize("route", [r for r in PAGE_ROUTES if not r.params], ids=str)
def test_it_answers_pages_without_an_object_as_the_module_decides(matrix, db, route):
    m = matrix
    for persona in PERSONAS:
        client, actor = m.client(persona), m.actor(persona)
        where = f"GET /{route.route}"
        response = client.get("/" + route.route)
        check_body(m, persona, response, where)
        allowed = may_open(actor, route)
        if route.kind == CREATE:
            allowed = allowed and may_create(actor, route)
        if route.name == "notifications:mark_all_read":
            assert response.status_code in (302, 404, 405), where  # POST only
        elif allowed:
            assert response.status_code == 200, f"{where}: {persona} got {response.status_code}"
            if route.kind == LIST and route.model is not None:
                _check_list_page(m, persona, route, response)
        else:
            expect_denied(m, persona, response, where)


def _check_list_page(m: Matrix, persona: str, route: Route, response: HttpResponse) -> None:
    """A list never shows a row outside reach (its detail link would be on the page)."""
    actor = m.actor(persona)
    body = response.content.decode()
    detail = next((r for r in PAGE_ROUTES if r.model is route.model and r.kind == READ), None)
    outside = m.outside[route.model]
    if detail is not None and outside is not None and not in_reach(actor, outside):
        assert f'href="{detail.url(outside)}"' not in body, f"{route}: outside row for {persona}"


@pytest.mark.parametrize("route", [r for r in PAGE_ROUTES if r.kind == CREATE], ids=str)
def test_it_creates_through_pages_only_as_the_module_allows(matrix, db, route):
    m = matrix
    for persona in PERSONAS:
        client, actor = m.client(persona), m.actor(persona)
        allowed = may_create(actor, route)
        data = _create_data(m, route, persona)
        where = f"POST /{route.route} as {persona}"
        before = counts()
        response, _after, tally = post_and_roll_back(client, "/" + route.route, data, None)
        check_body(m, persona, response, where)
        label = route.model._meta.label
        if not allowed:
            expect_denied(m, persona, response, where)
            assert tally == before, f"{where}: rows changed"
            continue
        form = response.context.get("form") if response.context else None
        assert response.status_code == 302, f"{where}: {form.errors if form else response}"
        assert tally[label] == before[label] + 1, f"{where}: nothing created"


@pytest.mark.parametrize(
    "route", [r for r in PAGE_ROUTES if r.kind in (CREATE, EDIT, ACTION)], ids=str
)
def test_it_offers_only_choices_within_reach(matrix, db, route):
    """A form's related-record choices never show a record outside the actor's reach (the
    security administrator names any station or unit when he grants a role: documented in
    AssignmentForm)."""
    from django import forms

    m = matrix
    for persona in STAFF_PERSONAS:
        actor = m.actor(persona)
        if route.params:
            obj = m.inside[route.model]
            if not may_write(actor, route, obj):
                continue
            url = route.url(obj)
        else:
            if route.declared_perm is None or not actor.has(route.declared_perm):
                continue
            url = "/" + route.route
        response = m.client(persona).get(url)
        if response.status_code != 200 or not response.context:
            continue
        form = response.context.get("form")
        for name, f in getattr(form, "fields", {}).items():
            if not isinstance(f, forms.ModelChoiceField):
                continue
            if route.name == "accounts:assignment_create" and name in ("station", "unit", "user"):
                continue
            offered = set(f.queryset.values_list("pk", flat=True))
            reachable = in_scope_ids(actor, f.queryset.model)
            assert offered <= reachable, f"{route} field {name}: {persona} offered outside rows"


# --- The API -------------------------------------------------------------------------------

API_KEY = {HolidayYear: "year", CalendarDay: "date"}


def expect_api_denied(persona: str, response: Any, where: str, allowed=(404,)) -> None:
    if persona == "anonymous":
        assert response.status_code in (401, 403), f"{where}: anonymous {response.status_code}"
    else:
        assert response.status_code in allowed, f"{where}: {persona} {response.status_code}"


def _api_key_of(model: type[models.Model], obj: models.Model) -> Any:
    key = API_KEY.get(model, "id")
    value = getattr(obj, "pk" if key == "id" else key)
    return value.isoformat() if hasattr(value, "isoformat") else value


@pytest.mark.parametrize("route", [r for r in API_ROUTES if r.kind == LIST], ids=str)
def test_it_lists_only_records_in_reach_through_the_api(matrix, db, route):
    m = matrix
    model = route.model
    for persona in PERSONAS:
        client, actor = m.client(persona), m.actor(persona)
        where = f"GET /{route.route} as {persona}"
        if "GET" not in route.methods:
            continue
        response = client.get(route.url())
        check_body(m, persona, response, where)
        if persona == "anonymous" or not can_view_model(actor, model):
            expect_api_denied(persona, response, where)
            continue
        assert response.status_code == 200, where
        payload = response.json()
        rows = payload["results"] if isinstance(payload, dict) else payload
        key = API_KEY.get(model, "id")
        seen = {row[key] for row in rows}
        reachable = {_api_key_of(model, o) for o in scope(actor, model._default_manager.all())}
        assert seen <= reachable, f"{where}: rows outside reach {seen - reachable}"
        outside = m.outside[model]
        if outside is not None and not in_reach(actor, outside):
            assert _api_key_of(model, outside) not in seen, f"{where}: outside row listed"


@pytest.mark.parametrize("route", [r for r in API_ROUTES if r.kind == LIST], ids=str)
def test_it_creates_through_the_api_only_as_the_module_allows(matrix, db, route):
    m = matrix
    model = route.model
    if "POST" not in route.methods:
        return
    office_view = m.client("office").get(route.url() + "?page_size=500")
    source = _api_key_of(model, m.inside[model])
    rows = office_view.json()["results"] if office_view.status_code == 200 else []
    row = next((r for r in rows if r.get(API_KEY.get(model, "id")) == source), None)
    for persona in PERSONAS:
        client, actor = m.client(persona), m.actor(persona)
        body = _api_create_body(m, model, row)
        where = f"POST /{route.route} as {persona}"
        before = counts()
        response, _after, tally = write(client, "POST", route.url(), body, None)
        check_body(m, persona, response, where)
        if not may_create(actor, route):
            expect_api_denied(persona, response, where, allowed=(403, 404))
            assert tally == before, f"{where}: rows changed"
            continue
        assert response.status_code in (200, 201), f"{where}: {response.content[:300]!r}"
        assert tally[model._meta.label] == before[model._meta.label] + 1, where


def _api_create_body(m: Matrix, model: type[models.Model], row: dict | None) -> dict:
    w = m.world
    if model is HolidayYear:
        return {"year": 2031, "notice": "矩阵", "days": []}
    body = api_payload(row or {})
    if model is Region:
        body["code"] = ""
    if model is Mandate:
        body["person"] = w.a.station_staff.person.pk
    if model is StationMembership:  # a past sitting: the station head holds no mandate (ORG-7)
        body["person"] = w.a.station_staff.person.pk
        body["ends_on"] = body["starts_on"]
    if model is StationStaff:  # one open head per station and side (ORG-5)
        body["role"] = StationStaff.Role.LIAISON
    if model is UnitContact:
        body["person"] = w.a.deputy.pk
    if model is Case:  # an opinion received in person at the village room (CASE-1)
        body = {"channel": "reception", "region": w.a.village.pk, "text": "矩阵登记的意见",
                "category": m.inside[Category].pk}  # fmt: skip
    if model is Category:
        body["code"], body["name"] = "matrix-new", "矩阵新类别"
    if model is Term:
        body["is_current"] = False
    if model is Person:
        body.pop("public_key", None)
    if model in ENDED_ON_CREATE:
        body["ends_on"] = body["starts_on"]
    if model is Expert:
        body["person"] = w.a.station_staff.person.pk
    if model is CallbackSample:  # one sample a month: the inside one is March's
        body["month"] = "2026-02-01"
    if model is FixedVoter:  # the office reads a voter masked: the deputy writes in clear
        body.update({"name": "矩阵新选民", "phone": "13700002222", "address": "矩阵组"})
    body.update(_unique_overrides(m, model))
    return body


def _api_detail_row(m: Matrix, route: Route, obj: models.Model) -> dict | None:
    for persona in STAFF_PERSONAS:
        if may_read(m.actor(persona), route, obj):
            response = m.client(persona).get(route.url(obj))
            assert response.status_code == 200
            return response.json()
    return None


@pytest.mark.parametrize("route", [r for r in API_ROUTES if r.kind == READ], ids=str)
def test_it_reads_and_writes_one_record_through_the_api_as_the_module_decides(matrix, db, route):
    m = matrix
    model = route.model
    missing_url = route.url(value=MISSING if route.param == "pk" else 2999)
    inside_row = _api_detail_row(m, route, m.inside[model])
    own_rows: dict[Any, dict | None] = {}
    missing_status: dict[tuple[str, str], int] = {}
    for persona in PERSONAS:
        client, actor = m.client(persona), m.actor(persona)
        for which, obj in objects_for(m, route):
            url = route.url(obj)
            where = f"/{url} ({which} {model.__name__}) as {persona}"
            response = client.get(url)
            check_body(m, persona, response, "GET " + where)
            readable = may_read(actor, route, obj)
            if readable:
                assert response.status_code == 200, f"GET {where}"
            else:
                expect_api_denied(persona, response, "GET " + where)
            # A persona's own record's data; the inside record's at one he may not write.
            row = inside_row
            if may_write(actor, route, obj):
                if obj.pk not in own_rows:
                    own_rows[obj.pk] = _api_detail_row(m, route, obj)
                row = own_rows[obj.pk]
            for method in ("PUT", "PATCH", "DELETE"):
                body = None
                if method != "DELETE":
                    body = api_payload(row if isinstance(row, dict) else {})
                    if method == "PATCH":
                        body = dict(list(body.items())[:1])
                before = snapshot(obj)
                response, after, _tally = write(client, method, url, body, obj)
                writable = (
                    method in route.methods
                    and method in _http_methods(route)
                    and may_write(actor, route, obj)
                )
                label = f"{method} {where}"
                if writable:
                    assert response.status_code == 200, f"{label}: {response.content[:300]}"
                    continue
                assert after == before, f"{label}: changed"
                expect_api_denied(persona, response, label, allowed=(403, 404, 405))
                if not readable and persona != "anonymous":
                    # An unreachable record answers exactly like a record that does not exist.
                    if (persona, method) not in missing_status:
                        missing, _a, _t = write(client, method, missing_url, body, None)
                        missing_status[persona, method] = missing.status_code
                    assert response.status_code == missing_status[persona, method], label


def _http_methods(route: Route) -> set[str]:
    names = getattr(route.view_class, "http_method_names", [])
    return {n.upper() for n in names}


@pytest.mark.parametrize("route", [r for r in API_ROUTES if r.kind in (POST_ONLY, PAGE)], ids=str)
def test_it_runs_api_actions_only_as_the_module_allows(matrix, db, route):
    m = matrix
    for persona in PERSONAS:
        client, actor = m.client(persona), m.actor(persona)
        targets = objects_for(m, route) if route.params else [("-", None)]
        for which, obj in targets:
            url = route.url(obj)
            where = f"POST {url} ({which}) as {persona}"
            before, before_counts = (snapshot(obj) if obj else None), counts()
            response, after, tally = write(client, "POST", url, dict(route.data), obj)
            check_body(m, persona, response, where)
            if obj is None:  # read-all: every account marks its own messages
                if persona == "anonymous":
                    expect_api_denied(persona, response, where)
                elif route.declared_perm is not None and not may_open(actor, route):
                    # an action of one capability (a deputy's self-report): others get 404
                    expect_api_denied(persona, response, where, allowed=(403, 404))
                    assert tally == before_counts, f"{where}: changed"
                elif route.declared_perm is not None:
                    # let through; the view's own validation may still refuse the body
                    assert response.status_code in (200, 201, 400), f"{where}"
                    assert response.status_code != 400 or tally == before_counts, where
                else:
                    assert response.status_code == 200, where
                continue
            allowed = may_write(actor, route, obj)
            if route.name == "mandate-end":
                allowed = allowed and obj.status == Mandate.Status.SERVING
            if route.name == "workplan-publish":
                allowed = allowed and obj.status == WorkPlan.Status.DRAFT
            if allowed:
                assert response.status_code == 200, f"{where}: {response.content[:300]}"
                assert after != before, f"{where}: nothing changed"
                continue
            expect_api_denied(persona, response, where, allowed=(403, 404))
            assert after == before and tally == before_counts, f"{where}: changed"


# --- Public pages --------------------------------------------------------------------------


@pytest.mark.parametrize("route", PUBLIC_ROUTES, ids=str)
def test_it_shows_no_personal_data_on_public_routes(matrix, db, route):
    m = matrix
    # Generating the OpenAPI schema takes a while: two personas tell enough there.
    personas = ["anonymous", "office"] if route.name.startswith("api-") else PERSONAS
    for persona in personas:
        client = m.client(persona)
        if route.params:
            targets = [m.inside[route.model], m.outside[route.model]]
            if route.model is WorkPlan:  # a plan is public once published
                targets = list(m.published)
            urls = [route.url(o) for o in targets]
        else:
            urls = [route.url()]
        for url in urls:
            response = client.get(url)
            assert response.status_code < 500, url
            check_body(m, persona, response, f"GET {url}", public=bool(route.params))
            if route.params:
                assert response.status_code == 200, url
                body = response.content.decode("utf-8", errors="replace")
                for secret in m.secrets:
                    assert secret not in body


# --- Writes that point at records outside reach ---------------------------------------------


def _outside_for(m: Matrix, model: type[models.Model]) -> models.Model | None:
    return m.outside.get(model)


@pytest.mark.parametrize("route", [r for r in PAGE_ROUTES if r.kind in (CREATE, EDIT)], ids=str)
def test_it_refuses_forms_that_point_at_records_outside_reach(matrix, db, route):
    """An allowed persona's create or edit form, with every related record swapped for
    township b's: nothing is saved, nothing moves out of reach."""
    from django import forms

    m = matrix
    for persona in STAFF_PERSONAS:
        actor = m.actor(persona)
        obj = m.inside[route.model] if route.kind == EDIT else None
        if obj is not None and not may_write(actor, route, obj):
            continue
        if obj is None and not (route.declared_perm and may_create(actor, route)):
            continue
        url = route.url(obj) if obj is not None else "/" + route.route
        page = m.client(persona).get(url)
        assert page.status_code == 200, url
        form = page.context["form"]
        data = _create_data(m, route, persona) if obj is None else form_data(form)[0]
        swapped = []
        for name, f in form.fields.items():
            outside = (
                _outside_for(m, f.queryset.model) if isinstance(f, forms.ModelChoiceField) else None
            )
            if outside is not None and not in_reach(actor, outside):
                data[name] = outside.pk
                swapped.append(name)
        if route.name == "regions:create" and not in_reach(actor, m.world.b.region):
            data["parent"], swapped = m.world.b.region.pk, ["parent"]  # a plain number
        if not swapped:
            continue
        before, before_row = counts(), snapshot(obj) if obj is not None else None
        response, after, tally = post_and_roll_back(m.client(persona), url, data, obj)
        where = f"POST {url} as {persona} with township b's {swapped}"
        check_body(m, persona, response, where)
        assert response.status_code in (200, 404), f"{where}: {response.status_code}"
        assert tally == before, f"{where}: rows changed"
        assert after == before_row, f"{where}: record changed"


@pytest.mark.parametrize("route", [r for r in API_ROUTES if r.kind == LIST], ids=str)
def test_it_refuses_api_writes_that_point_at_records_outside_reach(matrix, db, route):
    m = matrix
    model = route.model
    if "POST" not in route.methods or model is HolidayYear:
        return
    office_view = m.client("office").get(route.url() + "?page_size=500")
    rows = office_view.json()["results"] if office_view.status_code == 200 else []
    row = next((r for r in rows if r.get("id") == m.inside[model].pk), None)
    for persona in STAFF_PERSONAS:
        actor = m.actor(persona)
        if not may_create(actor, route):
            continue
        body = _api_create_body(m, model, row)
        swapped = []
        for name in list(body):
            field_model = _fk_model(model, name)
            outside = _outside_for(m, field_model) if field_model else None
            if name == "parent" and model is Region:
                outside = m.world.b.region
            if outside is not None and not in_reach(actor, outside):
                body[name] = outside.pk
                swapped.append(name)
        if not swapped:
            continue
        before = counts()
        response, _after, tally = write(m.client(persona), "POST", route.url(), body, None)
        where = f"POST {route.url()} as {persona} with township b's {swapped}"
        assert response.status_code in (400, 404), f"{where}: {response.status_code}"
        assert tally == before, f"{where}: rows changed"


def _fk_model(model: type[models.Model], name: str) -> type[models.Model] | None:
    try:
        f = model._meta.get_field(name)
    except Exception:
        return None
    return f.related_model if f.is_relation else None  # type: ignore[return-value]


# --- Pages without an object: writes and query strings -------------------------------------


@pytest.mark.parametrize("route", [r for r in PAGE_ROUTES if r.kind == PAGE], ids=str)
def test_it_refuses_page_writes_to_personas_without_the_capability(matrix, db, route):
    m = matrix
    for persona in PERSONAS:
        if may_open(m.actor(persona), route):
            continue
        before = counts()
        response, _after, tally = post_and_roll_back(
            m.client(persona), "/" + route.route, {"action": "create", "dry_run": ""}, None
        )
        where = f"POST /{route.route} as {persona}"
        expect_denied(m, persona, response, where)
        assert tally == before, f"{where}: rows changed"


@pytest.mark.parametrize("route", [r for r in PAGE_ROUTES if r.kind in (LIST, CREATE)], ids=str)
def test_it_ignores_query_strings_naming_records_outside_reach(matrix, db, route):
    """Searches, filters and prefilled choices (``?parent=``, ``?station=``...) that name
    township b's records show nothing of township b."""
    m = matrix
    b = m.world.b
    names = {
        "parent": b.region.pk,
        "region": b.region.pk,
        "congress": b.congress.pk,
        "term": b.term.pk,
        "station": b.station.pk,
        "unit": b.unit.pk,
        "person": b.deputy.pk,
        "body": m.outside[Body].pk,
        "delegation": m.outside[Delegation].pk,
    }
    query = "&".join(f"{k}={v}" for k, v in names.items())
    for persona in TOWNSHIP_PERSONAS:
        for extra in (f"?{query}", "?q=乙", f"?q=b&{query}"):
            response = m.client(persona).get(f"/{route.route}{extra}")
            assert response.status_code in (200, 404), f"{route} {extra} as {persona}"
            check_body(m, persona, response, f"GET /{route.route}{extra}")


# --- Pages about one's own account -----------------------------------------------------------


@pytest.mark.parametrize("route", OWN_ROUTES, ids=str)
def test_it_shows_own_account_pages_to_accounts_and_sends_anonymous_to_login(matrix, db, route):
    m = matrix
    url = route.url()
    for persona in PERSONAS:
        client = m.client(persona)
        where = f"GET {url} as {persona}"
        response = client.get(url)
        check_body(m, persona, response, where)
        if persona != "anonymous":
            assert response.status_code in (200, 302), f"{where}: {response.status_code}"
            assert not is_login_redirect(response), where
            continue
        assert is_login_redirect(response), where
        before = counts()
        data = {"code": "123456", "password": "x", "phone": "13800000000"}
        response, _after, tally = post_and_roll_back(client, url, data, None)
        assert is_login_redirect(response), f"POST {url} as anonymous"
        assert tally == before, f"POST {url} as anonymous: rows changed"


# --- Excel import and export of the directory (ORG-14) ---------------------------------------


def _cells(data: bytes) -> str:
    """Every non-empty cell of every sheet of an XLSX, one a line."""
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value not in (None, "")
    )


def test_it_exports_only_records_in_reach_and_personal_data_only_to_who_may_reveal_it(matrix, db):
    from django.urls import reverse

    from lianxin.directory.exchange.kinds import KINDS

    m = matrix
    route = next(r for r in PAGE_ROUTES if r.name == "directory:exchange:export")
    persons = list(Person.objects.all())
    for persona in PERSONAS:
        client, actor = m.client(persona), m.actor(persona)
        reachable = in_scope_ids(actor, Person)
        may_reveal = actor.has(Perm.REVEAL_PERSONAL)
        # What the export must not hold in clear: everybody's data, or (for who may reveal
        # it) the data of persons out of reach.
        hidden = [
            v
            for p in persons
            if not may_reveal or p.pk not in reachable
            for v in (p.phone, p.id_number)
            if v
        ]
        for key, kind in KINDS.items():
            url = reverse("directory:exchange:export", args=[key])
            where = f"GET {url} as {persona}"
            response = client.get(url)
            if not (may_open(actor, route) and kind.may_export(actor)):
                expect_denied(m, persona, response, where)
                continue
            assert response.status_code == 200, f"{where}: {response.status_code}"
            assert "no-store" in response["Cache-Control"], where
            text = _cells(response.content)
            assert text, f"{where}: no header row"
            for secret in hidden:
                assert secret not in text, f"{where}: personal data in clear"
            if persona in TOWNSHIP_PERSONAS:
                for marker in m.b_markers:
                    assert marker not in text, f"{where}: township b's {marker!r}"
            if persona == "office" and key == "mandates":
                assert m.world.a.deputy.name in text, f"{where}: the office's own deputy missing"
    office = m.client("office")
    for key in KINDS:
        url = reverse("directory:exchange:template", args=[key])
        response = office.get(url)
        assert response.status_code == 200, url
        text = _cells(response.content)
        for secret in m.secrets:
            assert secret not in text, f"{url}: personal data in the template"


# --- Published work plans (ORG-2) ------------------------------------------------------------


def test_it_never_shows_a_draft_plan_in_public(matrix, db):
    from django.urls import reverse

    m = matrix
    draft = m.inside[WorkPlan]
    assert draft.status == WorkPlan.Status.DRAFT
    client = m.client("anonymous")
    plan_url = reverse("portal:plan", args=[draft.congress_id, draft.year])
    plans_url = reverse("portal:plans", args=[draft.congress_id])
    assert client.get(plan_url).status_code == 404
    page = client.get(plans_url)
    assert page.status_code == 200
    body = page.content.decode()
    assert draft.title not in body and m.published[0].title in body
    with transaction.atomic():
        WorkPlan.objects.filter(congress_id=draft.congress_id).update(status=WorkPlan.Status.DRAFT)
        assert client.get(plans_url).status_code == 404, "no published plan: no public page"
        transaction.set_rollback(True)


# --- Defects the matrix found that are not leaks (nothing shown, nothing saved) -------------


def test_it_lets_station_staff_save_their_own_station(matrix, db):
    station = matrix.world.a.station
    assert station.congress_id is not None
    client = matrix.client("station")
    url = f"/staff/directory/stations/{station.pk}/edit/"
    data, _changed = form_data(client.get(url).context["form"])
    response, _after, _tally = post_and_roll_back(client, url, data, station)
    assert response.status_code == 302
