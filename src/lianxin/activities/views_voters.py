"""Pages of contact with voters (VOT-1, VOT-4): the deputy's phone pages under /m/voters/
(his list with the yearly quota, 记录联系, good deeds), the office's callback sample and calling
sheet, the staff's contacts (voters masked) and good-deed confirmation. Thin: the services in
``activities/voters.py`` decide."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import (
    Actor,
    Perm,
    can_reveal_personal,
    get_in_reach_or_404,
    scope,
)
from lianxin.activities import forms_voters as forms
from lianxin.activities import voters
from lianxin.activities.models.voters import (
    CallbackCall,
    CallbackSample,
    FixedVoter,
    GoodDeed,
    VoterContact,
    VoterReport,
)
from lianxin.common.errors import DomainError, NotAllowed
from lianxin.common.fields import mask_value
from lianxin.common.views import requires
from lianxin.directory.models import Person

PAGE_SIZE = 20


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined, no-any-return]


def _person(actor: Actor) -> Person | None:
    if actor.person_id is None:
        return None
    return Person.objects.select_related("region").filter(pk=actor.person_id).first()


def _page(request: HttpRequest, qs: Any, size: int = PAGE_SIZE) -> Any:
    return Paginator(qs, size).get_page(request.GET.get("page"))


def _add_errors(form: Any, exc: ValidationError) -> None:
    items = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    for field, errors in items:
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def _categories(person: Person) -> Any:
    from lianxin.cases.models import Category

    home = person.region
    if home is None:
        return Category.objects.none()
    ids = [int(p) for p in home.path.strip("/").split("/") if p]
    return Category.objects.filter(is_active=True, region_id__in=ids).order_by("order", "name")


# --- The deputy's phone ----------------------------------------------------------------------


@requires(Perm.RECORD_OWN_WORK)
def mobile_voters(request: HttpRequest) -> HttpResponse:
    """我的选民: this year's list with the quota as progress, and his latest contacts."""
    actor = _actor(request)
    person = _person(actor)
    context: dict[str, Any] = {"tab": "record", "person": person}
    if person is not None:
        year = voters.today().year
        context.update(
            {
                "progress": voters.progress(person, year),
                "deeds": voters.deeds_progress(person, year),
                "voters": FixedVoter.objects.filter(deputy=person, year=year)
                .select_related("region")
                .order_by("-is_active", "pk"),
                "contacts": _page(
                    request,
                    VoterContact.objects.filter(deputy=person).select_related("voter", "case"),
                ),
            }
        )
    return render(request, "activities/voter_mobile_home.html", context)


def _voter_form(request: HttpRequest, voter: FixedVoter | None) -> HttpResponse:
    actor = _actor(request)
    person = _person(actor)
    if person is None:
        return render(request, "activities/voter_mobile_form.html", {"tab": "record"})
    regions = voters.area_regions(person)
    initial = (
        {k: getattr(voter, k) for k in ("name", "phone", "address", "occupation", "note")}
        | {"region": voter.region_id}
        if voter is not None
        else {}
    )
    form = forms.VoterForm(request.POST or None, initial=initial, regions=regions)
    if request.method == "POST" and voter is not None and "active" in request.POST:
        voters.set_voter_active(actor=actor, voter=voter, active=request.POST["active"] == "1")
        messages.success(request, _("已更新。"))
        return redirect("mobile:voters")
    if request.method == "POST" and form.is_valid():
        try:
            if voter is None:
                saved = voters.add_voter(actor=actor, **form.cleaned_data)
                progress = voters.progress(person, saved.year)
                if progress.over:
                    messages.warning(
                        request,
                        _("已超过年度固定联系选民人数（%(n)s人），仍已保存。")
                        % {"n": progress.quota},
                    )
            else:
                voters.update_voter(actor=actor, voter=voter, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("已保存选民。"))
            return redirect("mobile:voters")
    return render(
        request,
        "activities/voter_mobile_form.html",
        {"tab": "record", "person": person, "form": form, "voter": voter},
    )


@requires(Perm.RECORD_OWN_WORK)
def mobile_voter_new(request: HttpRequest) -> HttpResponse:
    return _voter_form(request, None)


@requires(Perm.RECORD_OWN_WORK)
def mobile_voter_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    voter = get_in_reach_or_404(actor, FixedVoter, pk=pk, deputy_id=actor.person_id)
    return _voter_form(request, voter)


@requires(Perm.RECORD_OWN_WORK)
def mobile_contact_new(request: HttpRequest) -> HttpResponse:
    """记录联系: pick a voter (or none), date (today), method, what was said — one page."""
    actor = _actor(request)
    person = _person(actor)
    if person is None:
        return render(request, "activities/voter_mobile_contact.html", {"tab": "record"})
    own = FixedVoter.objects.filter(deputy=person, is_active=True).select_related("region")
    chosen = request.GET.get("voter", "")
    initial = {"contacted_on": voters.today(), "voter": chosen if chosen.isdigit() else None}
    form = forms.ContactForm(
        request.POST or None, initial=initial, voters=own, categories=_categories(person)
    )
    if request.method == "POST" and form.is_valid():
        try:
            contact = voters.record_contact(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if contact.case is not None:
                messages.success(
                    request,
                    _("已记录联系，意见已转为群众意见（编号%(n)s）。") % {"n": contact.case.number},
                )
            else:
                messages.success(request, _("已记录联系。"))
            return redirect("mobile:voters")
    return render(
        request,
        "activities/voter_mobile_contact.html",
        {"tab": "record", "person": person, "form": form},
    )


@requires(Perm.RECORD_OWN_WORK)
def mobile_deeds(request: HttpRequest) -> HttpResponse:
    """为民办实事: record one; see his own with the station's decision and the yearly count."""
    actor = _actor(request)
    person = _person(actor)
    context: dict[str, Any] = {"tab": "record", "person": person}
    if person is not None:
        form = forms.DeedForm(request.POST or None, initial={"done_on": voters.today()})
        if request.method == "POST" and form.is_valid():
            try:
                voters.record_deed(actor=actor, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("已登记，联络站确认后计入。"))
                return redirect("mobile:voter_deeds")
        context.update(
            {
                "form": form,
                "progress": voters.deeds_progress(person, voters.today().year),
                "deeds": _page(request, GoodDeed.objects.filter(deputy=person)),
            }
        )
    return render(request, "activities/voter_mobile_deeds.html", context)


# --- Staff -----------------------------------------------------------------------------------


@requires(Perm.VIEW_ACTIVITIES)
def contact_list(request: HttpRequest) -> HttpResponse:
    """Contacts of the deputies within reach; voters' names masked (SEC-2). A role that may
    reveal personal data (the office) shows one voter's name and phone in clear: named in the
    POST body, never the URL, and every reveal is audited."""
    from lianxin.audit.services import reveal_personal

    actor = _actor(request)
    qs = scope(actor, VoterContact.objects.select_related("deputy", "voter", "voter__region"))
    revealed: dict[str, Any] = {}
    if request.method == "POST":
        raw = request.POST.get("contact", "")
        contact = qs.filter(pk=int(raw) if raw.isdigit() else 0, voter__isnull=False).first()
        if contact is None or contact.voter is None:
            raise Http404
        try:
            revealed = {
                "contact": contact,
                "name": reveal_personal(actor=actor, obj=contact.voter, field="name"),
                "phone": reveal_personal(actor=actor, obj=contact.voter, field="phone"),
            }
        except NotAllowed as exc:
            raise Http404 from exc
    page = _page(request, qs.select_related("case").order_by("-contacted_on", "-pk"))
    may_reveal = actor.has(Perm.REVEAL_PERSONAL)
    for contact in page:
        if contact.voter is not None:
            contact.voter_masked = mask_value(str(contact.voter.name), "name")
            contact.can_reveal = may_reveal and can_reveal_personal(actor, contact.voter)
        # The deputy typed the free text; names and numbers in it are masked for staff (SEC-2).
        contact.content, contact.opinions, contact.help_given = voters.masked_texts(contact)
    return render(
        request,
        "activities/voter_contacts.html",
        {"title": _("代表联系选民记录"), "page_obj": page, "revealed": revealed},
    )


@requires(Perm.MANAGE_ACTIVITIES)
def deed_list(request: HttpRequest) -> HttpResponse:
    """Good deeds of the deputies within reach: confirm or reject the pending ones (VOT-4)."""
    actor = _actor(request)
    qs = scope(actor, GoodDeed.objects.select_related("deputy", "region"))
    if request.method == "POST":
        raw = request.POST.get("deed", "")
        deed = qs.filter(pk=int(raw) if raw.isdigit() else 0).first()
        if deed is None:
            raise Http404
        try:
            voters.decide_deed(
                actor=actor,
                deed=deed,
                confirm=request.POST.get("decision") == "confirm",
                note=request.POST.get("note", ""),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except NotAllowed as exc:
            raise Http404 from exc
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("已处理。"))
        return redirect("activities:voter_deeds")
    status = request.GET.get("status", GoodDeed.Status.PENDING)
    if status in GoodDeed.Status.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "activities/voter_deeds.html",
        {
            "title": _("为民办实事确认"),
            "status": status,
            "statuses": GoodDeed.Status.choices,
            "page_obj": _page(request, qs.order_by("-done_on", "-pk")),
        },
    )


@requires(Perm.CALL_VOTERS)
def callback_home(request: HttpRequest) -> HttpResponse:
    """回访抽查: draw this month's sample of the office's region; earlier samples."""
    actor = _actor(request)
    form = forms.SampleForm(
        request.POST or None, initial={"month": voters.today().strftime("%Y-%m")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            sample = voters.draw_sample(
                actor=actor, month=form.cleaned_data["month"], size=form.cleaned_data["size"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except NotAllowed as exc:
            raise Http404 from exc
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("已抽取回访名单。"))
            return redirect("activities:voter_callback", pk=sample.pk)
    samples = scope(actor, CallbackSample.objects.select_related("region"))
    return render(
        request,
        "activities/voter_callbacks.html",
        {"title": _("回访抽查"), "form": form, "page_obj": _page(request, samples)},
    )


@requires(Perm.CALL_VOTERS)
def callback_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The calling sheet: each voter's phone in clear for the caller (audited as a reveal),
    the outcome recorded per call, and the summary per deputy."""
    actor = _actor(request)
    sample = get_in_reach_or_404(actor, CallbackSample, pk=pk)
    calls = sample.calls.select_related("voter", "voter__deputy", "voter__region")
    if request.method == "POST":
        raw = request.POST.get("call", "")
        call = calls.filter(pk=int(raw) if raw.isdigit() else 0).first()
        if call is None:
            raise Http404
        form = forms.CallForm(request.POST)
        if form.is_valid():
            try:
                voters.record_call(actor=actor, call=call, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("已记录回访结果。"))
        else:
            messages.error(request, _("请选择回访结果。"))
        return redirect("activities:voter_callback", pk=sample.pk)
    rows = [{"call": c, "phone": voters.reveal_phone(actor=actor, call=c)} for c in calls]
    return render(
        request,
        "activities/voter_callback_sheet.html",
        {
            "title": _("回访名单"),
            "sample": sample,
            "rows": rows,
            "summary": voters.sample_summary(sample),
            "outcomes": [o for o in CallbackCall.Outcome.choices if o[0] != "pending"],
            "satisfactions": CallbackCall.Satisfaction.choices,
        },
    )


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    this = voters.today().year
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= this + 1 else this


@requires(Perm.RECORD_OWN_WORK)
def mobile_grid(request: HttpRequest) -> HttpResponse:
    """我的网格职责 (VOT-3): visits per half month, meetings per month, talks per quarter,
    research per year, against the quotas."""
    actor = _actor(request)
    person = _person(actor)
    year = _year(request)
    context: dict[str, Any] = {"tab": "record", "person": person, "year": year}
    if person is not None:
        context["duties"] = voters.grid_duties(person, year)
    return render(request, "activities/voter_mobile_grid.html", context)


@requires(Perm.MANAGE_ACTIVITIES)
def grid_behind(request: HttpRequest) -> HttpResponse:
    """Deputies of the grids within reach who are behind on their grid duties (VOT-3)."""
    actor = _actor(request)
    year = _year(request)
    rows = voters.grid_deputies_behind(actor, year)
    return render(
        request,
        "activities/voter_grid_behind.html",
        {"title": _("网格职责落后的代表"), "year": year, "page_obj": _page(request, rows)},
    )


def _save_report(request: HttpRequest, form: Any) -> bool:
    try:
        voters.record_report(actor=_actor(request), **form.cleaned_data)
    except ValidationError as exc:
        _add_errors(form, exc)
        return False
    except NotAllowed as exc:
        raise Http404 from exc
    messages.success(request, _("已登记述职评议。"))
    return True


def _with_rates(page: Any) -> Any:
    for row in page:
        row.rate = voters.satisfaction_rate(row)
    return page


@requires(Perm.RECORD_OWN_WORK)
def mobile_reports(request: HttpRequest) -> HttpResponse:
    """向选民述职 (VOT-2): record one with the voters' tally; his earlier ones with the rate."""
    actor = _actor(request)
    person = _person(actor)
    context: dict[str, Any] = {"tab": "record", "person": person}
    if person is not None:
        form = forms.ReportForm(request.POST or None, initial={"held_on": voters.today()})
        if request.method == "POST" and form.is_valid() and _save_report(request, form):
            return redirect("mobile:voter_reports")
        context["form"] = form
        context["page_obj"] = _with_rates(
            _page(request, VoterReport.objects.filter(deputy=person).order_by("-held_on"))
        )
    return render(request, "activities/voter_mobile_reports.html", context)


@requires(Perm.MANAGE_ACTIVITIES)
def report_list(request: HttpRequest) -> HttpResponse:
    """述职评议 of the deputies within reach, who has not reported this term, and a form for
    recording one on a deputy's behalf."""
    actor = _actor(request)
    deputies = scope(actor, Person.objects.filter(mandates__status="serving")).distinct()
    form = forms.ReportForm(
        request.POST or None, initial={"held_on": voters.today()}, deputies=deputies
    )
    if request.method == "POST" and form.is_valid() and _save_report(request, form):
        return redirect("activities:voter_reports")
    rows = scope(actor, VoterReport.objects.select_related("deputy")).order_by("-held_on")
    return render(
        request,
        "activities/voter_reports.html",
        {
            "title": _("向选民述职"),
            "form": form,
            "page_obj": _with_rates(_page(request, rows)),
            "missing": voters.not_reported(actor),
        },
    )


@requires(Perm.RECORD_OWN_WORK)
def mobile_committee(request: HttpRequest) -> HttpResponse:
    """联系代表 (ORG-10): a standing committee member records a contact with one of his
    linked deputies, and sees this year's count per deputy against the quota; a deputy linked
    by members sees this year's contacts they recorded with him."""
    from lianxin.activities.models.voters import CommitteeContact

    actor = _actor(request)
    person = _person(actor)
    context: dict[str, Any] = {"tab": "record", "person": person}
    if person is not None:
        links = voters.my_links(person)
        form = forms.CommitteeContactForm(
            request.POST or None, initial={"contacted_on": voters.today()}, links=links
        )
        if request.method == "POST" and form.is_valid():
            try:
                voters.record_committee_contact(actor=actor, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("已记录联系。"))
                return redirect("mobile:voter_committee")
        year = voters.today().year
        context.update(
            {
                # as a deputy linked by members: this year's contacts they recorded with him
                "received": CommitteeContact.objects.filter(
                    link__deputy=person, contacted_on__year=year
                )
                .select_related("link__member")
                .order_by("-contacted_on", "-pk"),
                "form": form,
                "links": [
                    (link, link.contacts.filter(contacted_on__year=year).count()) for link in links
                ],
                "quota": voters.standards.quota(
                    voters.congress_id_of(person), "committee_contacts"
                ),
                "page_obj": _page(
                    request,
                    CommitteeContact.objects.filter(link__member=person)
                    .select_related("link__deputy")
                    .order_by("-contacted_on", "-pk"),
                ),
            }
        )
    return render(request, "activities/voter_mobile_committee.html", context)


@requires(Perm.VIEW_ACTIVITIES)
def committee_coverage(request: HttpRequest) -> HttpResponse:
    """The office's view: each member's linked deputies and this year's contacts (ORG-10)."""
    actor = _actor(request)
    year = _year(request)
    try:
        rows = voters.committee_coverage(actor, year)
    except NotAllowed as exc:
        raise Http404 from exc
    return render(
        request,
        "activities/voter_committee.html",
        {"title": _("常委会组成人员联系代表"), "year": year, "page_obj": _page(request, rows)},
    )
