"""Allowance pages (DUTY-4), the office's alone (MANAGE_ALLOWANCES): the congress's daily
rate, the recipients and their bank details (masked; a reveal is audited), the monthly
statement computed from check-ins, confirmed, exported for payment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lianxin.accounts.permissions import (
    Actor,
    Perm,
    can_reveal_personal,
    get_in_reach_or_404,
    scope,
)
from lianxin.activities.duty import allowances
from lianxin.activities.forms_allowances import ComputeForm, RateForm, RecipientForm
from lianxin.activities.models import AllowanceRecipient, AllowanceStatement
from lianxin.common.errors import DomainError, NotAllowed
from lianxin.common.fields import mask_value
from lianxin.common.staff_views import Column, ScopedDetailView, ScopedFormView, ScopedListView
from lianxin.common.views import requires
from lianxin.directory.models import Congress
from lianxin.holidays.deadlines import beijing_date

L = gettext_lazy
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERSONAL_FIELDS = ("account_holder", "bank_account")


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined, no-any-return]


def _congress(actor: Actor, pk: int) -> Congress:
    congress = get_in_reach_or_404(actor, Congress, pk=pk)
    if not actor.has(Perm.MANAGE_ALLOWANCES):
        raise Http404
    return congress


def _statement(actor: Actor, pk: int) -> AllowanceStatement:
    return get_in_reach_or_404(
        actor, AllowanceStatement.objects.select_related("congress", "confirmed_by"), pk=pk
    )


@never_cache
@requires(Perm.MANAGE_ALLOWANCES)
def allowance_home(request: HttpRequest) -> HttpResponse:
    """误工补贴: the congresses within reach, their rates and latest statements."""
    actor = _actor(request)
    congresses = scope(actor, Congress.objects.select_related("region", "allowance_rate")).order_by(
        "level", "name"
    )
    page = Paginator(congresses, 25).get_page(request.GET.get("page"))
    latest: dict[int, AllowanceStatement] = {}
    for statement in AllowanceStatement.objects.filter(
        congress__in=[c.pk for c in page.object_list]
    ).order_by("congress_id", "-month"):
        latest.setdefault(statement.congress_id, statement)
    rows = [
        {
            "congress": c,
            "rate": getattr(c, "allowance_rate", None),
            "default_rate": allowances.DEFAULT_RATE,
            "latest": latest.get(c.pk),
            "recipients": AllowanceRecipient.objects.filter(congress=c, is_active=True).count(),
        }
        for c in page.object_list
    ]
    return render(
        request,
        "activities/allowance_home.html",
        {
            "title": _("值班误工补贴"),
            "rows": rows,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
        },
    )


@never_cache
@requires(Perm.MANAGE_ALLOWANCES)
def allowance_congress(request: HttpRequest, pk: int) -> HttpResponse:
    """One congress: its rate, its statements month by month, computing a month."""
    actor = _actor(request)
    congress = _congress(actor, pk)
    statements = scope(actor, AllowanceStatement.objects.filter(congress=congress)).order_by(
        "-month"
    )
    page = Paginator(statements, 24).get_page(request.GET.get("page"))
    today = beijing_date(timezone.now())
    return render(
        request,
        "activities/allowance_congress.html",
        {
            "title": _("%(name)s误工补贴") % {"name": congress.name},
            "congress": congress,
            "daily_rate": allowances.daily_rate(congress),
            "rate_form": RateForm(
                initial={"daily_rate": allowances.daily_rate(congress)}, actor=actor
            ),
            "compute_form": ComputeForm(initial={"month": today.strftime("%Y-%m")}, actor=actor),
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "recipients": AllowanceRecipient.objects.filter(
                congress=congress, is_active=True
            ).count(),
        },
    )


@never_cache
@requires(Perm.MANAGE_ALLOWANCES)
def allowance_rate(request: HttpRequest, pk: int) -> HttpResponse:
    """Sets the congress's daily rate (default 100 yuan)."""
    actor = _actor(request)
    congress = _congress(actor, pk)
    rate = getattr(congress, "allowance_rate", None)
    form = RateForm(
        request.POST or None,
        initial={"daily_rate": allowances.daily_rate(congress), "note": rate.note if rate else ""},
        actor=actor,
    )
    if request.method == "POST" and form.is_valid():
        try:
            allowances.rate_set(
                actor=actor,
                congress=congress,
                daily_rate=form.cleaned_data["daily_rate"],
                note=form.cleaned_data["note"],
            )
        except NotAllowed as exc:
            raise Http404 from exc
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("补贴标准已保存。"))
            return HttpResponseRedirect(reverse("duty:allowance_congress", args=[congress.pk]))
    return render(
        request,
        "activities/allowance_rate.html",
        {"title": _("设置每日补贴标准"), "congress": congress, "form": form},
    )


@never_cache
@require_POST
@requires(Perm.MANAGE_ALLOWANCES)
def allowance_compute(request: HttpRequest, pk: int) -> HttpResponse:
    """Computes (or recomputes) the month's draft statement of the congress."""
    actor = _actor(request)
    congress = _congress(actor, pk)
    form = ComputeForm(request.POST, actor=actor)
    back = HttpResponseRedirect(reverse("duty:allowance_congress", args=[congress.pk]))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return back
    try:
        statement = allowances.statement_compute(
            actor=actor, congress=congress, month=form.cleaned_data["month"]
        )
    except NotAllowed as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return back
    messages.success(request, _("已按签到记录计算误工补贴清单。"))
    return HttpResponseRedirect(reverse("duty:allowance_statement", args=[statement.pk]))


@never_cache
@requires(Perm.MANAGE_ALLOWANCES)
def allowance_statement(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    statement = _statement(actor, pk)
    lines = statement.lines.select_related("person").order_by("person__name", "pk")
    page = Paginator(lines, 50).get_page(request.GET.get("page"))
    recipients = {
        r.person_id: r
        for r in AllowanceRecipient.objects.filter(
            congress=statement.congress, person__in=[line.person_id for line in page.object_list]
        )
    }
    rows = [
        {
            "line": line,
            "bank_name": getattr(recipients.get(line.person_id), "bank_name", ""),
            "account": mask_value(
                getattr(recipients.get(line.person_id), "bank_account", ""), "bank_account"
            ),
            "recipient": recipients.get(line.person_id),
        }
        for line in page.object_list
    ]
    draft = statement.status == AllowanceStatement.Status.DRAFT
    return render(
        request,
        "activities/allowance_statement.html",
        {
            "title": _("%(congress)s %(month)s 误工补贴清单")
            % {"congress": statement.congress.name, "month": statement.month.strftime("%Y年%m月")},
            "statement": statement,
            "rows": rows,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "is_draft": draft,
            "may_reveal": actor.has(Perm.REVEAL_PERSONAL),
        },
    )


def _statement_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = _actor(request)
    statement = _statement(actor, pk)
    try:
        if action == "confirm":
            allowances.statement_confirm(actor=actor, statement=statement)
            messages.success(request, _("清单已确认，此后不再变动。"))
        else:
            allowances.statement_compute(
                actor=actor, congress=statement.congress, month=statement.month
            )
            messages.success(request, _("已按最新签到记录重新计算。"))
    except NotAllowed as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return HttpResponseRedirect(reverse("duty:allowance_statement", args=[statement.pk]))


@never_cache
@require_POST
@requires(Perm.MANAGE_ALLOWANCES)
def allowance_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    return _statement_action(request, pk, "recompute")


@never_cache
@require_POST
@requires(Perm.MANAGE_ALLOWANCES)
def allowance_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _statement_action(request, pk, "confirm")


def _download(statement: AllowanceStatement, data: bytes, suffix: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    name = f"allowance-{statement.congress_id}-{statement.month:%Y-%m}{suffix}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@never_cache
@requires(Perm.MANAGE_ALLOWANCES)
def allowance_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The statement as Excel with the bank details masked."""
    actor = _actor(request)
    statement = _statement(actor, pk)
    try:
        data = allowances.export(actor=actor, statement=statement, reveal=False)
    except NotAllowed as exc:
        raise Http404 from exc
    return _download(statement, data, "")


@never_cache
@require_POST
@requires(Perm.MANAGE_ALLOWANCES)
def allowance_export_bank(request: HttpRequest, pk: int) -> HttpResponse:
    """The statement as Excel for the bank: account holders and numbers in clear, for an
    office that may reveal personal data; every row's reveal is audited."""
    actor = _actor(request)
    statement = _statement(actor, pk)
    try:
        data = allowances.export(actor=actor, statement=statement, reveal=True)
    except NotAllowed as exc:
        raise Http404 from exc
    return _download(statement, data, "-bank")


# --- Recipients ------------------------------------------------------------------------------


def _field(name: str) -> Any:
    """A personal field of the recipient (an EncryptedTextField: verbose_name and mask)."""
    return AllowanceRecipient._meta.get_field(name)


class MaskedColumn(Column):
    """A personal value, masked (SEC-2)."""

    def value(self, obj: Any) -> Any:
        return mask_value(str(super().value(obj) or ""), "bank_account")


class RecipientList(ScopedListView):
    permission = Perm.MANAGE_ALLOWANCES
    model = AllowanceRecipient
    title = L("误工补贴对象")
    search_fields = ["person__name", "bank_name"]
    select_related = ["congress", "person"]
    columns = [
        Column("person.name", L("代表"), sort="person__name"),
        Column("congress", L("人大")),
        Column("bank_name", L("开户银行")),
        MaskedColumn("bank_account", L("银行账号")),
        Column("is_active", L("享受补贴")),
    ]
    create_url_name = "duty:recipient_create"
    detail_url_name = "duty:recipient_detail"
    default_ordering = ["congress__name", "person__name", "pk"]


class RecipientDetail(ScopedDetailView):
    permission = Perm.MANAGE_ALLOWANCES
    model = AllowanceRecipient
    template_name = "activities/allowance_recipient.html"
    fields = ["congress", "person", "bank_name", "is_active", "note"]
    edit_url_name = "duty:recipient_edit"
    list_url_name = "duty:recipient_list"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        obj = ctx["object"]
        may_reveal = can_reveal_personal(self.actor, obj)
        ctx["personal"] = [
            {
                "field": name,
                "label": _field(name).verbose_name,
                "masked": mask_value(getattr(obj, name), _field(name).mask),
                "can_reveal": may_reveal and bool(getattr(obj, name)),
            }
            for name in PERSONAL_FIELDS
        ]
        return ctx


class RecipientFormView(ScopedFormView):
    permission = Perm.MANAGE_ALLOWANCES
    model = AllowanceRecipient
    form_class = RecipientForm
    success_url_name = "duty:recipient_detail"
    list_url_name = "duty:recipient_list"


@never_cache
@require_POST
@requires(Perm.MANAGE_ALLOWANCES)
def recipient_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """One bank field in clear (SEC-2), named in the POST body; every reveal is audited."""
    from lianxin.audit.services import reveal_personal

    actor = _actor(request)
    recipient = get_in_reach_or_404(actor, AllowanceRecipient, pk=pk)
    name = request.POST.get("field", "")
    if name not in PERSONAL_FIELDS:
        raise Http404
    try:
        value = reveal_personal(actor=actor, obj=recipient, field=name)
    except NotAllowed as exc:
        raise Http404 from exc
    context = {
        "row": {"field": name, "label": _field(name).verbose_name},
        "value": value,
        "recipient": recipient,
    }
    if request.headers.get("HX-Request"):
        return render(request, "activities/allowance_revealed.html", context)
    return render(request, "activities/allowance_revealed_page.html", context)
