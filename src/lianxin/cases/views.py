"""Staff and deputy pages of the closed loop (CASE-1..7, CASE-10, CASE-11, SEC-2).

Thin views (STYLE 5): look the case up within reach (404 otherwise), validate the action's
form, call the one service of the action, answer. A Conflict from the service means somebody
acted first: the page says "已被他人处理" and shows the current state; a NotAllowed is a 404.
The buttons on a case are ``workflow.available_actions`` — a template never decides.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import (
    Actor,
    Perm,
    can_reveal_personal,
    get_in_reach_or_404,
    region_path,
    scope,
)
from lianxin.audit.models import AuditEntry
from lianxin.audit.services import record
from lianxin.cases import figures, forms, selectors, services, workflow
from lianxin.cases.filters import CaseFilter
from lianxin.cases.models import (
    TERMINAL_STATUSES,
    Case,
    CaseCitizen,
    CaseFigure,
    CaseUnit,
    Category,
    DeadlineRule,
    Procedure,
    ReplyTemplate,
    UnitFigure,
)
from lianxin.cases.reach import ACTIVE_UNIT, contributing_unit
from lianxin.cases.workflow import Action, Who
from lianxin.common import sheets
from lianxin.common.errors import Conflict, DomainError, NotAllowed
from lianxin.common.fields import mask_value
from lianxin.common.services import save_instance
from lianxin.common.staff_views import Column, ScopedFormView, ScopedListView
from lianxin.common.views import requires
from lianxin.directory.models import Congress, HandlingUnit, Person, Station
from lianxin.regions.models import Region

L = gettext_lazy
PERSONAL_FIELDS = ("name", "phone", "id_number", "address")
INTAKE_ROLES = frozenset({Role.OFFICE, Role.STATION, Role.DEPUTY})
FIGURES_ROLES = frozenset({Role.OFFICE, Role.LEADERSHIP, Role.STATION})


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined, no-any-return]


# --- The office's triage and dispatch queue (CASE-2, issue 4 item 10) -------------------------


class CaseQueue(ScopedListView):
    """研处与派单: every case within reach, due first; bulk 乡镇办理/上报县级/归档."""

    permission = Perm.VIEW_CASES
    model = Case
    title = L("意见办理")
    template_name = "cases/queue.html"
    paginate_by = 30
    search_fields = ["number", "text"]
    filterset_class = CaseFilter
    columns = [
        Column("number", L("编号"), sort="number"),
        Column("received_at", L("受理时间"), sort="received_at"),
        Column("due_at", L("期限"), sort="due_at"),
    ]
    detail_url_name = "cases:case_detail"

    def base_queryset(self) -> models.QuerySet[Case]:
        return selectors.with_rows(Case.objects.all())

    def get_queryset(self) -> models.QuerySet[Case]:
        qs = super().get_queryset()
        if not self.request.GET.get("sort"):
            qs = qs.order_by(*selectors.queue_ordering())
        return qs  # sensitive cases: reach itself keeps them to the named staff (CASE-11)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["cases"] = selectors.rows(ctx["object_list"])
        ctx["bulk_actions"] = self.bulk_actions()
        return ctx

    def bulk_actions(self) -> list[tuple[str, str]]:
        if not self.actor.has(Perm.HANDLE_CASES) or self.actor.role not in (
            Role.OFFICE,
            Role.STATION,
        ):
            return []
        return [(a, str(workflow.ACTION_LABELS[a])) for a in (*forms.BULK_ACTIONS, Action.ARCHIVE)]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """A bulk action on the selected cases, each through its service."""
        action = request.POST.get("bulk", "")
        if action not in dict(self.bulk_actions()):
            raise Http404
        ids = [int(i) for i in request.POST.getlist("case") if i.isdigit()][:200]
        done, handled, failed = [], [], []
        who = Who.staff(self.actor)
        for case in scope(self.actor, Case.objects.filter(pk__in=ids)).order_by("pk"):
            try:
                if action == Action.ARCHIVE:
                    services.archive(who=who, case=case)
                else:
                    services.triage(who=who, case=case, scope=forms.BULK_ACTIONS[Action(action)])
                done.append(case.number)
            except Conflict:
                handled.append(case.number)
            except (NotAllowed, DomainError, ValidationError):
                failed.append(case.number)
        label = workflow.ACTION_LABELS[action]
        messages.success(
            request, _("%(label)s：成功 %(n)s 件。") % {"label": label, "n": len(done)}
        )
        if handled:
            messages.warning(
                request,
                _("以下意见已被他人处理，未再更改：%(numbers)s") % {"numbers": "、".join(handled)},
            )
        if failed:
            messages.error(
                request,
                _("以下意见当前不能%(label)s：%(numbers)s")
                % {"label": label, "numbers": "、".join(failed)},
            )
        query = request.POST.get("query", "")
        return HttpResponseRedirect(reverse("cases:case_list") + (f"?{query}" if query else ""))


# --- One case: the detail page and its actions --------------------------------------------------


def _tracking_url(token: str) -> str:
    """The citizen's secret link; the portal serves it (its name may differ by branch)."""
    for name in ("portal:case", "portal:case_track", "portal:tracking"):
        try:
            return reverse(name, kwargs={"token": token})
        except NoReverseMatch:
            continue
    return f"{reverse('portal:track')}?t={token}"


def _photo_url(photo: Any) -> str:
    try:
        return reverse("portal:case_photo", args=[photo.pk])
    except NoReverseMatch:
        return ""


def _citizens(actor: Actor, case: Case) -> list[dict[str, Any]]:
    """The citizens behind a case, masked (SEC-2); the reveal button only for roles allowed."""
    rows = []
    for citizen in case.citizens.all():
        may_reveal = can_reveal_personal(actor, citizen)
        fields = []
        for name in PERSONAL_FIELDS:
            model_field: Any = CaseCitizen._meta.get_field(name)
            value = getattr(citizen, name)
            fields.append(
                {
                    "field": name,
                    "label": model_field.verbose_name,
                    "masked": mask_value(value, model_field.mask),
                    "can_reveal": may_reveal and bool(value),
                }
            )
        rows.append({"citizen": citizen, "fields": fields})
    return rows


def _on_spot_record(case: Case) -> dict[str, str] | None:
    """A deputy's record that the problem was resolved on the spot, for the station to confirm."""
    if case.status not in (Case.Status.SUBMITTED, Case.Status.CONFIRMED):
        return None
    data = (
        case.events.filter(action=Action.CONFIRM).order_by("-seq").values_list("data", flat=True)
    ).first()
    found = (data or {}).get("on_spot")
    return found if isinstance(found, dict) else None


def detail_context(
    request: HttpRequest, case: Case, bound: tuple[str, Any] | None = None
) -> dict[str, Any]:
    actor = _actor(request)
    procedure = workflow.procedure_for(case)
    who = Who.staff(actor)
    on_spot = _on_spot_record(case)
    actions = []
    if actor.has(Perm.HANDLE_CASES):
        for action in workflow.available_actions(who, case, procedure):
            if action not in forms.ACTION_FORMS:
                continue
            if bound is not None and bound[0] == action:
                form = bound[1]
            else:
                initial = None
                if action == Action.RESOLVE_ON_SPOT and on_spot:
                    initial = {"explanation": on_spot.get("explanation", "")}
                form = forms.action_form(action, actor, case, initial=initial)
            actions.append(
                {
                    "action": str(action),
                    "label": workflow.label(procedure, action, workflow.ACTION_LABELS[action]),
                    "form": form,
                    "url": reverse("cases:case_act", args=[case.pk, action]),
                    "open": (bound[0] == action) if bound is not None else None,
                }
            )
    if bound is None and actions and actions[0]["action"] != Action.REASSIGN:
        actions[0]["open"] = True  # the main next step is open; 移交 is kept folded
    events = list(case.events.select_related("actor").order_by("-seq"))
    units = _unit_rows(actor, case)
    return {
        "case": case,
        "status_label": selectors.status_label(procedure, case),
        "deadline": selectors.deadline(case),
        "procedure": procedure,
        "citizens": _citizens(actor, case),
        "photos": [{"photo": p, "url": _photo_url(p)} for p in case.photos.all().order_by("pk")],
        "units": units,
        "events": [
            {"event": e, "label": selectors.event_label(procedure, e.action)} for e in events
        ],
        "actions": actions,
        "on_spot": on_spot,
        "merge_candidates": (
            forms.MergeForm(actor=actor, case=case).candidates()
            if any(a["action"] == Action.MERGE for a in actions)
            else []
        ),
        "title": case.number,
    }


def _unit_rows(actor: Actor, case: Case) -> list[dict[str, Any]]:
    """The units of a case, 主办 first, each with the reply it gave when the actor may read it:
    co-handlers' contributions (协办意见) are for the lead unit and the office (and
    leadership); a co-handler reads its own (CASE-5)."""
    from lianxin.accounts.permissions import unit_path

    units = list(case.units.select_related("unit").order_by("-role", "pk"))
    path = unit_path(actor) if actor.role == Role.UNIT else None
    lead = next(
        (u for u in units if u.role == CaseUnit.Role.LEAD and u.status in ACTIVE_STATUSES), None
    )
    leads = path is not None and lead is not None and lead.unit.path.startswith(path)
    rows = []
    for u in units:
        if actor.role in (Role.OFFICE, Role.LEADERSHIP) or leads:
            shown = True
        elif path is not None:
            shown = u.unit.path.startswith(path)
        else:
            shown = u.role == CaseUnit.Role.LEAD  # the lead's reply is the case's reply
        rows.append({"row": u, "reply": u.reply if shown else ""})
    return rows


ACTIVE_STATUSES = frozenset(
    {CaseUnit.Status.DISPATCHED, CaseUnit.Status.ACCEPTED, CaseUnit.Status.REPLIED}
)


def _case_for(actor: Actor, pk: int) -> Case:
    return get_in_reach_or_404(
        actor,
        Case.objects.select_related(
            "category", "station", "deputy", "supervisor", "congress", "region", "merged_into"
        ),
        pk=pk,
    )


@never_cache
@requires(Perm.VIEW_CASES)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(_actor(request), pk)
    return render(request, "cases/detail.html", detail_context(request, case))


@never_cache
@requires(Perm.VIEW_OWN_RECORD)
def mobile_case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """His case on the phone (375 px): the same content and forms as the staff page."""
    case = _case_for(_actor(request), pk)
    return render(
        request, "cases/mobile_detail.html", {**detail_context(request, case), "tab": "cases"}
    )


def _back(request: HttpRequest, case: Case) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("cases:case_detail", args=[case.pk])


def perform(action: str, who: Who, case: Case, data: dict[str, Any]) -> Case:
    """Calls the one service of ``action`` with a form's cleaned data."""
    note = data.get("note", "")
    match action:
        case Action.CONFIRM:
            return services.confirm(who=who, case=case, note=note)
        case Action.RESOLVE_ON_SPOT:
            return services.resolve_on_spot(who=who, case=case, explanation=data["explanation"])
        case Action.TRIAGE:
            return services.triage(who=who, case=case, scope=Case.Scope.TOWNSHIP, note=note)
        case Action.REPORT:
            return services.triage(who=who, case=case, scope=Case.Scope.COUNTY, note=note)
        case Action.DECLINE:
            return services.decline(who=who, case=case, explanation=data["explanation"])
        case Action.MERGE:
            return services.merge(who=who, case=case, into=data["into"], note=note)
        case Action.CLAIM:
            return services.claim(who=who, case=case, body=data["body"])
        case Action.DISPATCH:
            return services.dispatch(
                who=who, case=case, lead=data["lead"], co=list(data["co"]), note=note
            )
        case Action.RETURN:
            return services.return_case(who=who, case=case, reason=data["reason"])
        case Action.ACCEPT:
            return services.accept(who=who, case=case)
        case Action.REQUEST_EXTENSION:
            return services.request_extension(
                who=who, case=case, days=data["days"], reason=data["reason"]
            )
        case Action.DECIDE_EXTENSION:
            return services.decide_extension(
                who=who, case=case, approve=data["approve"] == "yes", note=note
            )
        case Action.REPLY:
            return services.reply(
                who=who, case=case, text=data["text"], solved=data["solved"] == "yes",
                in_person=forms.in_person_from(data),
            )  # fmt: skip
        case Action.CONTRIBUTE:
            return services.contribute(who=who, case=case, text=data["text"])
        case Action.SEND_BACK:
            return services.send_back(who=who, case=case, reason=data["reason"])
        case Action.APPROVE_REPLY:
            return services.approve_reply(who=who, case=case, note=note)
        case Action.RATE:
            return services.rate(
                who=who, case=case, rating=data["rating"], reason=data.get("reason", "")
            )
        case Action.RETURN_VISIT:
            return services.return_visit(who=who, case=case, note=data["note"])
        case Action.ARCHIVE:
            return services.archive(who=who, case=case)
        case Action.REASSIGN:
            return services.reassign(
                who=who, case=case, deputy=data.get("deputy"), station=data.get("station"),
                note=note,
            )  # fmt: skip
    raise Http404


@never_cache
@require_POST
@requires(Perm.HANDLE_CASES)
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One action on one case, as the table allows (CASE-3): the service decides."""
    actor = _actor(request)
    if action not in forms.ACTION_FORMS:
        raise Http404
    case = _case_for(actor, pk)
    form = forms.action_form(action, actor, case, data=request.POST)
    mobile = request.POST.get("mobile") == "1"
    template = "cases/mobile_detail.html" if mobile else "cases/detail.html"
    if action == Action.REPLY and "apply_template" in request.POST:
        # 套用模板 (CASE-5): the form comes back with the template's text filled in; nothing
        # is saved. What was already typed stays, the template's text after it.
        assert isinstance(form, forms.ReplyForm)
        filled = form.filled_template()
        data = request.POST.copy()
        if filled is not None:
            typed = data.get("reply-text", "").strip()
            data["reply-text"] = f"{typed}\n{filled}" if typed else filled
        form = forms.action_form(action, actor, case, data=data)
        form.is_valid()
        form.errors.clear()
        if filled is None:
            form.add_error(
                "template" if "template" in form.fields else None, _("请先选择要套用的模板。")
            )
        return render_again(request, case, action, form, template)

    def again(status: int = 200) -> HttpResponse:
        context = detail_context(request, case, bound=(action, form))
        if not any(a["action"] == action for a in context["actions"]):
            # The action is no longer offered (somebody acted first): say so plainly.
            return _handled(request, case)
        context["tab"] = "cases"
        return render(request, template, context, status=status)

    if not form.is_valid():
        return again()
    try:
        perform(action, Who.staff(actor), case, form.cleaned_data)
    except NotAllowed as exc:
        raise Http404 from exc
    except Conflict:
        return _handled(request, case)
    except ValidationError as exc:
        for field, errors in (
            exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
        ):
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        return again()
    except DomainError as exc:
        form.add_error(None, str(exc.message))
        return again()
    label = workflow.label(workflow.procedure_for(case), action, workflow.ACTION_LABELS[action])
    messages.success(request, _("已%(label)s。") % {"label": label})
    return HttpResponseRedirect(_back(request, case))


def render_again(
    request: HttpRequest, case: Case, action: str, form: Any, template: str
) -> HttpResponse:
    context = detail_context(request, case, bound=(action, form))
    if not any(a["action"] == action for a in context["actions"]):
        return _handled(request, case)
    context["tab"] = "cases"
    return render(request, template, context)


def _handled(request: HttpRequest, case: Case) -> HttpResponse:
    case.refresh_from_db()
    procedure = workflow.procedure_for(case)
    messages.warning(
        request,
        _("该意见已被他人处理，当前状态为“%(status)s”。")
        % {"status": selectors.status_label(procedure, case)},
    )
    return HttpResponseRedirect(_back(request, case))


@never_cache
@require_POST
@requires(Perm.REVEAL_PERSONAL)
def case_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """One citizen's personal field in clear (SEC-2): the field and the citizen are named in
    the POST body, never the URL; every reveal is logged by the audit service."""
    from lianxin.audit.services import reveal_personal

    actor = _actor(request)
    case = _case_for(actor, pk)
    citizens = case.citizens.all()
    wanted = request.POST.get("citizen", "")
    citizen = citizens.filter(pk=wanted).first() if wanted.isdigit() else citizens.first()
    name = request.POST.get("field", "")
    if citizen is None or name not in PERSONAL_FIELDS:
        raise Http404
    try:
        value = reveal_personal(actor=actor, obj=citizen, field=name)
    except NotAllowed as exc:
        raise Http404 from exc
    context = {
        "row": {"field": name, "label": CaseCitizen._meta.get_field(name).verbose_name},  # type: ignore[union-attr]
        "value": value,
        "citizen": citizen,
        "case": case,
    }
    if request.headers.get("HX-Request"):
        return render(request, "cases/_revealed.html", context)
    return render(request, "cases/revealed_page.html", context)


# --- The unit's inbox (CASE-5) ----------------------------------------------------------------

INBOX_ACTIONS = (Action.ACCEPT, Action.RETURN, Action.REQUEST_EXTENSION, Action.REPLY)


@never_cache
@requires(Perm.VIEW_CASES)
def inbox(request: HttpRequest) -> HttpResponse:
    """承办件: cases held by the unit and its sub-units, nearest deadline first, each with its
    accept / return / extension / reply forms one tap away."""
    actor = _actor(request)
    qs = selectors.cases_for(actor).filter(
        status__in=[Case.Status.DISPATCHED, Case.Status.HANDLING, Case.Status.REPLIED],
        pk__in=CaseUnit.objects.filter(ACTIVE_UNIT).values("case_id"),
    )
    order: list[Any] = [models.F("due_at").asc(nulls_last=True), "-priority", "pk"]
    from django.core.paginator import Paginator

    # The page is chosen on the cases alone, then read with everything its rows show: one
    # query joining seven tables to the reach's subqueries let PostgreSQL join every open case
    # of the province before filtering (issue 7).
    page = Paginator(qs.order_by(*order).values_list("pk", flat=True), 30).get_page(
        request.GET.get("page")
    )
    # The reply forms read each case's region and congress: fetched with the page.
    rows_qs = (
        selectors.with_rows(Case.objects.filter(pk__in=list(page.object_list)))
        .select_related("region", "congress__region")
        .order_by(*order)
    )
    cases = selectors.rows(rows_qs)
    unit_path = actor.assignment.unit.path if actor.assignment and actor.assignment.unit_id else ""  # type: ignore[union-attr]
    procs = selectors.procedures(r["case"] for r in cases)
    shared: dict[Any, Any] = {}  # templates and stations read once for the page's forms
    for r in cases:
        r["actions"] = _inbox_actions(actor, r, procs[r["case"].congress_id], unit_path, shared)
    return render(
        request,
        "cases/inbox.html",
        {
            "title": _("承办件"),
            "cases": cases,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "querystring": "",
        },
    )


def _inbox_actions(
    actor: Actor,
    r: dict[str, Any],
    procedure: Procedure,
    unit_path: str,
    shared: dict[Any, Any] | None = None,
) -> list[dict[str, Any]]:
    """The unit's quick forms, as the table's rows allow (the service checks again)."""
    if actor.role != Role.UNIT or not actor.has(Perm.HANDLE_CASES):
        return []
    case = r["case"]
    lead = r["lead"]
    wanted: tuple[Action, ...] = INBOX_ACTIONS
    if lead is None or not lead.path.startswith(unit_path):
        # Co-handlers give their part to the lead unit (协办意见, CASE-5).
        if contributing_unit(actor, case) is None:
            return []
        wanted = (Action.CONTRIBUTE,)
    found = []
    for action in wanted:
        row = workflow.row_for(case, action, procedure)
        if row is None or actor.role not in row.roles:
            continue
        if action == Action.REQUEST_EXTENSION and case.extension_requested:
            continue
        found.append(
            {
                "action": str(action),
                "label": workflow.label(procedure, action, workflow.ACTION_LABELS[action]),
                "form": forms.action_form(action, actor, case, shared=shared),
                "url": reverse("cases:case_act", args=[case.pk, action]),
            }
        )
    return found


# --- Leadership's overdue view (CASE-4) -------------------------------------------------------


@never_cache
@requires(Perm.VIEW_CASES)
def overdue(request: HttpRequest) -> HttpResponse:
    """超期件: open cases past their deadline within reach, by how late, grouped by the unit
    holding them (or the station when no unit does). Read only."""
    actor = _actor(request)
    now = timezone.now()
    qs = (
        selectors.cases_for(actor)
        .exclude(status__in=TERMINAL_STATUSES)
        .filter(due_at__lt=now)
        .order_by("due_at", "pk")
    )
    cases = selectors.rows(selectors.with_rows(qs)[:500])
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in cases:
        r["late_days"] = max(1, -(r["deadline"].days_left or 0))
        holder = r["lead"] or r["case"].station
        groups[str(holder) if holder else _("未指定")].append(r)
    ordered = sorted(groups.items(), key=lambda g: (-len(g[1]), g[0]))
    return render(
        request,
        "cases/overdue.html",
        {"title": _("超期件"), "groups": ordered, "total": len(cases)},
    )


# --- The deputy's "my cases" on the phone (UI.md) --------------------------------------------


@never_cache
@requires(Perm.VIEW_OWN_RECORD)
def my_cases(request: HttpRequest) -> HttpResponse:
    """意见: the cases he received or supervises; what waits for him (定单, 督单, 回访) first."""
    actor = _actor(request)
    person = Person.objects.filter(pk=actor.person_id).first() if actor.person_id else None
    cases = selectors.rows(
        selectors.with_rows(selectors.cases_for(actor)).order_by(*selectors.queue_ordering())[:200]
    )
    procs = selectors.procedures(r["case"] for r in cases)
    waiting, open_, done = [], [], []
    for r in cases:
        r["waiting"] = selectors.waiting_for_deputy(
            r["case"], procs[r["case"].congress_id], actor.person_id
        )
        if r["waiting"]:
            waiting.append(r)
        elif r["case"].is_open:
            open_.append(r)
        else:
            done.append(r)
    return render(
        request,
        "cases/my_cases.html",
        {
            "tab": "cases",
            "person": person,
            "waiting": waiting,
            "open": open_,
            "done": done[:30],
            "may_intake": actor.role in INTAKE_ROLES,
        },
    )


# --- In-person intake (CASE-1) ----------------------------------------------------------------

RECEIPTS_KEY = "lianxin_case_receipts"


def _may_intake(actor: Actor) -> bool:
    return actor.has(Perm.HANDLE_CASES) and actor.role in INTAKE_ROLES


@never_cache
@requires(Perm.HANDLE_CASES)
def intake(request: HttpRequest) -> HttpResponse:
    """登记接待: one reception with one or many opinions, some resolved on the spot; each gets
    its number and PIN for the citizen (a printable receipt list)."""
    actor = _actor(request)
    if not _may_intake(actor):
        raise Http404
    mobile = actor.role == Role.DEPUTY
    if request.method == "POST":
        data = request.POST.copy()
        adding = "add" in data
        if adding:  # one more blank opinion, nothing filed yet
            key = "form-TOTAL_FORMS"
            total = int(data.get(key, "1")) if data.get(key, "1").isdigit() else 1
            data[key] = str(min(total + 1, 20))
        reception = forms.ReceptionForm(data, actor=actor)
        opinions = forms.OpinionFormSet(data, form_kwargs={"actor": actor})
        if not adding and reception.is_valid() and opinions.is_valid():
            try:
                receipts = _file_reception(actor, reception.cleaned_data, opinions)
            except ValidationError as exc:
                reception.add_error(None, "；".join(exc.messages))
            except DomainError as exc:  # nothing was filed: the reception is one transaction
                reception.add_error(None, str(exc.message))
            else:
                request.session[RECEIPTS_KEY] = receipts
                messages.success(request, _("已登记 %(n)s 条意见。") % {"n": len(receipts)})
                name = "mobile:case_receipts" if mobile else "cases:intake_receipts"
                return redirect(name)
    else:
        reception = forms.ReceptionForm(actor=actor)
        opinions = forms.OpinionFormSet(form_kwargs={"actor": actor})
    template = "cases/mobile_intake.html" if mobile else "cases/intake.html"
    return render(
        request,
        template,
        {
            "title": _("登记接待"),
            "reception": reception,
            "opinions": opinions,
            "tab": "cases",
            "is_deputy": mobile,
        },
    )


def _file_reception(actor: Actor, reception: dict[str, Any], opinions: Any) -> list[dict[str, str]]:
    """Files each opinion of one reception through the intake service; those resolved on the
    spot go through ``resolve_on_spot`` at once when station or office staff record them, and
    are recorded for the station to confirm when a deputy does (代表法 §31, CASE-3)."""
    from django.db import transaction

    station: Station = reception["station"]
    deputy: Person | None = reception.get("deputy")
    if actor.role == Role.DEPUTY:
        deputy = Person.objects.filter(pk=actor.person_id or 0).first()
    who = Who.staff(actor)
    receipts: list[dict[str, str]] = []
    with transaction.atomic():
        for form in opinions.forms:
            data = form.cleaned_data
            if not data or not form.has_changed():
                continue
            receipt = services.file_case(
                intake=services.Intake(
                    channel=reception["channel"],
                    region=station.region,
                    station=station,
                    deputy=deputy,
                    category=data["category"],
                    text=data["text"],
                    place=reception.get("place", ""),
                    name=data.get("name", ""),
                    phone=data.get("phone", ""),
                    anonymous=not data.get("name") and not data.get("phone"),
                    priority=data["priority"],
                    received_at=reception["received_at"],
                ),
                actor=actor,
            )
            case = receipt.case
            procedure = workflow.procedure_for(case)
            if data.get("on_spot"):
                explanation = data["explanation"].strip()
                if actor.role == Role.DEPUTY:
                    by = data["resolved_by"].strip()
                    if procedure.deputy_confirms:
                        services.confirm(
                            who=who,
                            case=case,
                            note=_("当场解决（%(by)s）：%(text)s")
                            % {"by": by, "text": explanation},
                            on_spot={"by": by, "explanation": explanation},
                        )
                else:
                    if procedure.deputy_confirms:
                        services.confirm(who=who, case=case)
                    services.resolve_on_spot(who=who, case=case, explanation=explanation)
            elif actor.role == Role.DEPUTY and procedure.deputy_confirms:
                services.confirm(who=who, case=case)  # heard in person: he takes it up
            receipts.append(
                {
                    "number": case.number,
                    "pin": receipt.pin,
                    "url": _tracking_url(receipt.token),
                    "text": case.public_text[:60],
                    "on_spot": "1" if data.get("on_spot") else "",
                    "pk": str(case.pk),
                }
            )
    return receipts


@never_cache
@requires(Perm.HANDLE_CASES)
def intake_receipts(request: HttpRequest) -> HttpResponse:
    """The receipts of the reception just logged, to print and hand out (shown to the one who
    logged them, from his session: the PINs and links are stored nowhere in clear)."""
    actor = _actor(request)
    if not _may_intake(actor):
        raise Http404
    receipts = request.session.get(RECEIPTS_KEY) or []
    for r in receipts:
        r["absolute"] = request.build_absolute_uri(r["url"])
    mobile = actor.role == Role.DEPUTY
    return render(
        request,
        "cases/receipts.html",
        {
            "title": _("意见回执"),
            "receipts": receipts,
            "mobile": mobile,
            "tab": "cases",
            "again_url": reverse("mobile:case_new" if mobile else "cases:intake"),
        },
    )


# --- Figures (CASE-10) ------------------------------------------------------------------------

RATE_HEADERS = [L("响应率"), L("解决率"), L("满意率"), L("按时办结率")]
CASE_HEADERS = [L("受理"), L("反映人次"), L("当场解决"), L("交办"), L("答复"), L("按时答复"),
                L("已解决"), L("满意"), L("基本满意"), L("不满意"), L("未评价"),
                L("超期未办结")]  # fmt: skip
CASE_KEYS = ["received", "people", "on_spot", "dispatched", "replied", "replied_on_time",
             "solved", "satisfied", "basically", "dissatisfied", "unrated"]  # fmt: skip
UNIT_HEADERS = [L("交办"), L("退回"), L("答复"), L("按时答复"), L("超期未办结"), L("按时办结率")]


def _may_see_figures(actor: Actor) -> bool:
    return actor.has(Perm.VIEW_CASES) and actor.role in FIGURES_ROLES


def _figure_rows(actor: Actor, by: str, start: dt.date, end: dt.date) -> models.QuerySet[Any]:
    """The aggregate rows within the actor's reach for the period: the monthly table when the
    breakdown and period allow it (``figures.region_rows``), else the daily one."""
    if path := region_path(actor):
        level = actor.assignment.region.level  # type: ignore[union-attr]
        return figures.region_rows(path, level, by, start, end)
    stations = scope(actor, Station.objects.all()).values("pk")
    return CaseFigure.objects.filter(station_id__in=stations, day__gte=start, day__lte=end)


def _pct(value: Any) -> str:
    return "—" if value is None else f"{value}%"


def _case_line(name: str, f: figures.Figures) -> list[str]:
    return [
        name,
        *[str(f.totals[k]) for k in CASE_KEYS],
        str(f.open_overdue),
        _pct(f.response_rate),
        _pct(f.resolution_rate),
        _pct(f.satisfaction_rate),
        _pct(f.on_time_rate),
    ]


def figures_table(actor: Actor, by: str, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The rows of the figures page (and its export): sums of the aggregate tables, never a
    count of cases (except open overdue ones, which the on-time rate counts as late)."""
    cases = selectors.cases_for(actor)
    late = figures.open_overdue(cases)
    if by == "unit":
        units = list(scope(actor, HandlingUnit.objects.all()).order_by("path"))
        if actor.role == Role.STATION:
            units = []
        sums: dict[int, dict[str, Any]] = {
            r["unit_id"]: dict(r)
            for r in UnitFigure.objects.filter(
                unit_id__in=[u.pk for u in units], day__gte=start, day__lte=end
            )
            .values("unit_id")
            .annotate(**{k: Sum(k) for k in figures.UNIT_COUNTERS})
        }
        late_by_unit = dict(
            CaseUnit.objects.filter(ACTIVE_UNIT, case__in=late, role=CaseUnit.Role.LEAD)
            .values_list("unit_id")
            .annotate(n=Count("pk"))
        )
        lines = []
        for u in units:
            s = sums.get(u.pk)
            if s is None and not late_by_unit.get(u.pk):
                continue
            s = s or dict.fromkeys(figures.UNIT_COUNTERS, 0)
            overdue_n = late_by_unit.get(u.pk, 0)
            rate = figures.Figures._rate(s["replied_on_time"], s["replied"] + overdue_n)
            lines.append([u.name, str(s["dispatched"]), str(s["returned"]), str(s["replied"]),
                          str(s["replied_on_time"]), str(overdue_n), _pct(rate)])  # fmt: skip
        return {"headers": [L("承办单位"), *UNIT_HEADERS], "lines": lines, "total": None}
    rows = _figure_rows(actor, by, start, end)
    groups = _groups(actor, by, rows, late)
    # The total is the sum of the lines: one pass over the aggregate rows, not two (issue 7).
    total = figures.Figures(
        totals={k: sum(f.totals[k] for _name, f in groups) for k in figures.CASE_COUNTERS},
        open_overdue=sum(f.open_overdue for _name, f in groups),
    )
    lines = [_case_line(name, f) for name, f in groups]
    first = {"region": L("区域"), "station": L("联络站"), "deputy": L("代表"),
             "category": L("类别")}[by]  # fmt: skip
    return {
        "headers": [first, *CASE_HEADERS, *RATE_HEADERS],
        "lines": lines,
        "total": _case_line(_("合计"), total),
        "figures": total,
    }


def _groups(
    actor: Actor, by: str, rows: models.QuerySet[Any], late: models.QuerySet[Case]
) -> list[tuple[str, figures.Figures]]:
    field = {"region": "region_id", "station": "station_id", "deputy": "deputy_id",
             "category": "category_id"}[by]  # fmt: skip
    sums = list(rows.values(field).annotate(**{k: Sum(k) for k in figures.CASE_COUNTERS}))
    late_field = {"region_id": "region_id", "station_id": "station_id",
                  "deputy_id": "deputy_id", "category_id": "category_id"}[field]  # fmt: skip
    late_counts = dict(late.values_list(late_field).annotate(n=Count("pk")))
    key_of: dict[int, Any] = {}
    names: dict[Any, str] = {}
    ids = {r[field] for r in sums} | {k for k in late_counts if k}
    if by == "region":
        # Each region's rows add up under the actor's region's direct children.
        root_path = region_path(actor) or ""
        children = list(Region.objects.filter(parent__path=root_path).only("pk", "path", "name"))
        for region in Region.objects.filter(pk__in=ids).only("pk", "path", "name"):
            child = next((c for c in children if region.path.startswith(c.path)), None)
            key_of[region.pk] = child.pk if child else region.pk
            names[key_of[region.pk]] = child.name if child else region.name
    else:
        model: Any = {"station": Station, "deputy": Person, "category": Category}[by]
        for obj in model.objects.filter(pk__in=ids):
            key_of[obj.pk], names[obj.pk] = obj.pk, str(obj)
    totals: dict[Any, dict[str, int]] = defaultdict(lambda: dict.fromkeys(figures.CASE_COUNTERS, 0))
    overdue_n: dict[Any, int] = defaultdict(int)
    for r in sums:
        key = key_of.get(r[field], 0)
        for k in figures.CASE_COUNTERS:
            totals[key][k] += int(r[k] or 0)
    for raw, n in late_counts.items():
        key = key_of.get(raw or 0, 0)
        totals.setdefault(key, dict.fromkeys(figures.CASE_COUNTERS, 0))  # only late cases
        overdue_n[key] += n
    none_label = {"station": _("未经联络站"), "deputy": _("未指定代表")}.get(by, _("其他"))
    result = [
        (names.get(key, none_label), figures.Figures(totals=t, open_overdue=overdue_n[key]))
        for key, t in totals.items()
    ]
    return sorted(result, key=lambda g: (-g[1].totals["received"], g[0]))


@never_cache
@requires(Perm.VIEW_CASES)
def figures_page(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not _may_see_figures(actor):
        raise Http404
    form = forms.FiguresForm(request.GET or None, actor=actor)
    by = (form.cleaned_data.get("by") if form.is_valid() else "") or "region"
    if by == "region" and not region_path(actor):
        by = "station"
    start, end = form.range()
    table = figures_table(actor, by, start, end)
    query = request.GET.copy()
    return render(
        request,
        "cases/figures.html",
        {
            "title": _("办理统计"),
            "form": form,
            "table": table,
            "start": start,
            "end": end,
            "export_url": reverse("cases:figures_export")
            + (f"?{query.urlencode()}" if query else ""),
        },
    )


@never_cache
@requires(Perm.VIEW_CASES)
def figures_export(request: HttpRequest) -> HttpResponse:
    """The same table as an XLSX of text cells (never formulas), audited like every export."""
    actor = _actor(request)
    if not _may_see_figures(actor):
        raise Http404
    form = forms.FiguresForm(request.GET or None, actor=actor)
    by = (form.cleaned_data.get("by") if form.is_valid() else "") or "region"
    if by == "region" and not region_path(actor):
        by = "station"
    start, end = form.range()
    table = figures_table(actor, by, start, end)
    lines = [*table["lines"], *([table["total"]] if table["total"] else [])]
    title = _("办理统计")
    data = sheets.write_xlsx([str(h) for h in table["headers"]], lines, title=title)
    record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        changes={"kind": "case_figures", "by": by, "start": start.isoformat(),
                 "end": end.isoformat(), "rows": len(lines), "personal_data": "none"},
        note=_("导出办理统计"),
    )  # fmt: skip
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    from urllib.parse import quote

    filename = quote(f"{title}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


# --- A unit's and a deputy's own figures (CASE-10) --------------------------------------------


@never_cache
@requires(Perm.VIEW_CASES)
def unit_figures(request: HttpRequest) -> HttpResponse:
    """本单位统计: the unit contact's unit and the units under it — cases received (交办),
    returned, replied, on time, resolved and the citizens' satisfaction — summed from the
    aggregate table (UnitFigure); open cases past the reply deadline count as late."""
    from django.core.paginator import Paginator

    from lianxin.accounts.permissions import unit_path

    actor = _actor(request)
    path = unit_path(actor) if actor.role == Role.UNIT else None
    if not path:
        raise Http404
    form = forms.PeriodForm(request.GET or None, actor=actor)
    start, end = form.range()
    units = HandlingUnit.objects.filter(path__startswith=path).order_by("path")
    sums: dict[int, dict[str, int]] = {
        r["unit_id"]: {k: int(r[k] or 0) for k in figures.UNIT_COUNTERS}  # type: ignore[literal-required]
        for r in UnitFigure.objects.filter(
            unit_id__in=units.values("pk"), day__gte=start, day__lte=end
        )
        .values("unit_id")
        .annotate(**{k: Sum(k) for k in figures.UNIT_COUNTERS})
    }
    late_cases = figures.open_overdue(Case.objects.all())
    late = dict(
        CaseUnit.objects.filter(
            ACTIVE_UNIT, role=CaseUnit.Role.LEAD, case__in=late_cases, unit__path__startswith=path
        )
        .values_list("unit_id")
        .annotate(n=Count("pk"))
    )
    zero = dict.fromkeys(figures.UNIT_COUNTERS, 0)
    total = dict(zero)
    for s in sums.values():
        for k in figures.UNIT_COUNTERS:
            total[k] += s[k]
    mine = figures.UnitRates(totals=total, open_overdue=sum(late.values()))
    rows = [
        {
            "unit": u,
            "f": figures.UnitRates(totals=sums.get(u.pk, zero), open_overdue=late.get(u.pk, 0)),
        }
        for u in units
    ]
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/unit_figures.html",
        {
            "title": _("本单位办理统计"),
            "form": form,
            "start": start,
            "end": end,
            "total": mine,
            "unit": units.first(),
            "page_obj": page,
            "rows": page.object_list,
            "is_paginated": page.has_other_pages(),
            "querystring": query.urlencode(),
        },
    )


@never_cache
@requires(Perm.VIEW_OWN_RECORD)
def my_figures(request: HttpRequest) -> HttpResponse:
    """我的统计: the deputy's own figures on his phone — the cases he received (受理, 当场解决,
    交办, 答复, 解决, 满意), from the aggregate table's rows of his deputy dimension."""
    actor = _actor(request)
    person = Person.objects.filter(pk=actor.person_id).first() if actor.person_id else None
    form = forms.PeriodForm(request.GET or None, actor=actor)
    start, end = form.range()
    numbers = None
    if person is not None:
        rows = CaseFigure.objects.filter(deputy_id=person.pk)
        mine = selectors.cases_for(actor).filter(deputy_id=person.pk)
        numbers = figures.case_figures(rows, start, end, overdue=mine)
    return render(
        request,
        "cases/my_figures.html",
        {"tab": "cases", "person": person, "form": form, "start": start, "end": end,
         "f": numbers},
    )  # fmt: skip


# --- Configuration (CONFIGURE_CASES) ----------------------------------------------------------


class CategoryList(ScopedListView):
    permission = Perm.CONFIGURE_CASES
    model = Category
    title = L("意见类别")
    columns = [
        Column("name", L("名称"), sort="name"),
        Column("code", L("代码"), sort="code"),
        Column("region", L("适用区域")),
        Column("order", L("排序"), sort="order"),
        Column("is_active", L("启用")),
    ]
    search_fields = ["name", "code"]
    select_related = ["region"]
    default_ordering = ["order", "pk"]
    create_url_name = "cases:category_create"

    def detail_url(self, obj: Any) -> str:
        return reverse("cases:category_edit", args=[obj.pk])


class ConfigFormView(ScopedFormView):
    permission = Perm.CONFIGURE_CASES
    list_url_name: str | None = None

    def success_url_for(self, obj: models.Model) -> str:
        return reverse(self.list_url_name or "home")


class CategoryForm(ConfigFormView):
    model = Category
    form_class = forms.CategoryForm
    list_url_name = "cases:category_list"


class RuleList(ScopedListView):
    permission = Perm.CONFIGURE_CASES
    model = DeadlineRule
    title = L("办理期限")
    columns = [
        Column("congress", L("人民代表大会")),
        Column("get_step_display", L("环节"), sort="step"),
        Column("get_scope_display", L("职权范围"), sort="scope"),
        Column("get_priority_display", L("紧急程度"), sort="priority"),
        Column("__str__", L("期限")),
    ]
    select_related = ["congress"]
    create_url_name = "cases:rule_create"

    def detail_url(self, obj: Any) -> str:
        return reverse("cases:rule_edit", args=[obj.pk])


class RuleForm(ConfigFormView):
    model = DeadlineRule
    form_class = forms.DeadlineRuleForm
    list_url_name = "cases:rule_list"


class ReplyTemplateList(ScopedListView):
    """答复模板 (CASE-5): the office's reply texts per category, offered on the reply form."""

    permission = Perm.CONFIGURE_CASES
    model = ReplyTemplate
    title = L("答复模板")
    columns = [
        Column("title", L("模板名称"), sort="title"),
        Column("category", L("意见类别")),
        Column("region", L("适用区域")),
        Column("order", L("排序"), sort="order"),
        Column("is_active", L("启用")),
    ]
    search_fields = ["title", "text"]
    select_related = ["region", "category"]
    default_ordering = ["order", "pk"]
    create_url_name = "cases:replytemplate_create"

    def detail_url(self, obj: Any) -> str:
        return reverse("cases:replytemplate_edit", args=[obj.pk])


class ReplyTemplateForm(ConfigFormView):
    model = ReplyTemplate
    form_class = forms.ReplyTemplateForm
    list_url_name = "cases:replytemplate_list"


@never_cache
@require_POST
@requires(Perm.CONFIGURE_CASES)
def reply_template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Deletes a template (the replies written from it keep their text); audited."""
    from lianxin.accounts.permissions import can_edit

    actor = _actor(request)
    template = get_in_reach_or_404(actor, ReplyTemplate, pk=pk)
    if not can_edit(actor, template):
        raise Http404
    title = template.title
    template.delete()  # the audit registry records the deletion with its values
    messages.success(request, _("已删除答复模板“%(title)s”。") % {"title": title})
    return redirect("cases:replytemplate_list")


class ProcedureForm(ConfigFormView):
    model = Procedure
    form_class = forms.ProcedureForm
    list_url_name = "cases:procedure_list"


@never_cache
@requires(Perm.CONFIGURE_CASES)
def procedure_list(request: HttpRequest) -> HttpResponse:
    """Each congress within reach and how it runs the loop (CASE-3)."""
    actor = _actor(request)
    congresses = scope(actor, Congress.objects.all()).select_related("region").order_by("pk")
    found = {
        p.congress_id: p for p in scope(actor, Procedure.objects.filter(congress__in=congresses))
    }
    return render(
        request,
        "cases/procedure_list.html",
        {
            "title": _("办理流程配置"),
            "rows": [(c, found.get(c.pk)) for c in congresses],
        },
    )


@never_cache
@require_POST
@requires(Perm.CONFIGURE_CASES)
def procedure_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Gives a congress its own configuration, starting from the defaults (六单制)."""
    from lianxin.accounts.permissions import can_edit

    actor = _actor(request)
    congress = get_in_reach_or_404(actor, Congress, pk=pk)
    if not can_edit(actor, congress):
        raise Http404
    procedure = Procedure.objects.filter(congress=congress).first()
    if procedure is None:
        procedure = save_instance(actor=actor, instance=Procedure(congress=congress))
    return redirect("cases:procedure_edit", pk=procedure.pk)
