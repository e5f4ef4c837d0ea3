"""来电核验 (CASE-1, CASE-7): station, office or unit staff verify a caller by the case number
and the PIN — or the mobile number he left — he reads out, tell him his case's progress as
the citizen himself would see it (public steps only, nobody else's data), and, once he is
verified, record his rating on his behalf when the case awaits it.

A wrong number and a wrong PIN get the same answer. Wrong attempts are counted per case number
and per staff account (``portal.flood``) and every attempt is written to the audit trail
(never the PIN or phone typed). The verification lives in the staff member's session for a
quarter of an hour; the rating form acts only on the case and citizen verified there.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import Actor, Perm
from lianxin.audit.models import AuditEntry
from lianxin.audit.services import record
from lianxin.cases import forms, services, workflow
from lianxin.cases.models import Case, CaseCitizen
from lianxin.cases.workflow import Action, Who
from lianxin.common.errors import Conflict, DomainError, NotAllowed
from lianxin.common.views import requires
from lianxin.portal import flood
from lianxin.portal.cases import tracking

PHONE_ROLES = frozenset({Role.OFFICE, Role.STATION, Role.UNIT})
SESSION_KEY = "lianxin_phone_check"
VERIFIED_SECONDS = 15 * 60
GENERIC = gettext_lazy("编号与查询密码（或手机号码）不一致，请核对后重新输入。")


def may_check_callers(actor: Actor) -> bool:
    return actor.has(Perm.VIEW_CASES) and actor.role in PHONE_ROLES


def _verified(request: HttpRequest) -> tuple[Case, CaseCitizen, str] | None:
    """The case and citizen verified in this session within the last quarter of an hour."""
    found = request.session.get(SESSION_KEY)
    if not isinstance(found, dict) or found.get("until", 0) < time.time():
        return None
    citizen = (
        CaseCitizen.objects.select_related("case")
        .filter(pk=int(found.get("citizen") or 0), case_id=int(found.get("case") or 0))
        .first()
    )
    if citizen is None:
        return None
    return citizen.case, citizen, str(found.get("by", ""))


def _audit(actor: Actor, case: Case | None, number: str, result: str, by: str = "") -> None:
    changes = {"number": number[:32], "result": result}
    if by:
        changes["by"] = by
    record(actor=actor, action=AuditEntry.Action.ACTION, obj=case, changes=changes,
           note=str(_("来电核验")))  # fmt: skip


@never_cache
@requires(Perm.VIEW_CASES)
def phone_check(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if not may_check_callers(actor):
        raise Http404
    here = reverse("cases:phone_check")
    step = request.POST.get("step", "") if request.method == "POST" else ""
    check_form = forms.PhoneCheckForm(request.POST if step == "check" else None, actor=actor)
    rate_form = forms.PhoneRateForm(
        request.POST if step == "rate" else None, actor=actor, prefix="rate"
    )
    status = 200
    if step == "clear":
        request.session.pop(SESSION_KEY, None)
        return HttpResponseRedirect(here)
    if step == "check":
        if check_form.is_valid():
            response = _check(request, actor, check_form)
            if response is not None:
                return response
        status = 400
    elif step == "rate":
        response = _rate(request, actor, rate_form)
        if response is not None:
            return response
        status = 400
    verified = _verified(request)
    context: dict[str, Any] = {
        "title": _("来电核验"),
        "check_form": check_form,
        "rate_form": rate_form,
        "verified": None,
    }
    if verified is not None:
        case, citizen, by = verified
        context["verified"] = {
            "case": tracking(citizen),
            "by": by,
            "can_rate": _may_rate(actor, case),
            "awaits_rating": case.status == Case.Status.AWAITING_RATING,
        }
    return render(request, "cases/phone_check.html", context, status=status)


def _check(request: HttpRequest, actor: Actor, form: forms.PhoneCheckForm) -> HttpResponse | None:
    number, secret = form.cleaned_data["number"], form.cleaned_data["secret"]
    user_id = actor.user.pk
    if not flood.may_check_caller(user_id, number):
        _audit(actor, Case.objects.filter(number=number).first(), number, "throttled")
        form.add_error(
            None, _("这个编号核验错误的次数太多，请一小时后再试，或请群众用查询链接查看。")
        )
        return None
    if not Case.objects.filter(number=number).exists():
        # An opinion acknowledged a moment ago (decision 0010): registered now, then checked.
        from lianxin.portal.intake import register_number

        register_number(number)
    found = services.verify_caller(number, secret)
    if found is None:
        flood.count_caller_failure(user_id, number)
        _audit(actor, Case.objects.filter(number=number).first(), number, "failed")
        form.add_error(None, GENERIC)
        return None
    citizen, by = found
    request.session[SESSION_KEY] = {
        "case": citizen.case_id,
        "citizen": citizen.pk,
        "by": by,
        "until": time.time() + VERIFIED_SECONDS,
    }
    _audit(actor, citizen.case, number, "verified", by)
    messages.success(request, _("核验通过。请按下面的办理进度答复来电群众。"))
    return HttpResponseRedirect(reverse("cases:phone_check"))


def _may_rate(actor: Actor, case: Case) -> bool:
    """The transition table decides: 评单 by phone is the station's and the office's, within
    their reach — never the handling unit's, whose own work is being rated (CASE-7)."""
    if not actor.has(Perm.HANDLE_CASES):
        return False
    return Action.RATE in workflow.available_actions(Who.staff(actor), case)


def _rate(request: HttpRequest, actor: Actor, form: forms.PhoneRateForm) -> HttpResponse | None:
    verified = _verified(request)
    here = reverse("cases:phone_check")
    if verified is None:
        messages.warning(request, _("核验已过期，请重新输入编号和查询密码。"))
        return HttpResponseRedirect(here)
    case, citizen, by = verified
    if not form.is_valid():
        return None
    try:
        services.rate(
            who=Who.staff(actor),
            case=case,
            rating=form.cleaned_data["rating"],
            reason=form.cleaned_data.get("reason", ""),
            citizen=citizen,
            verified_by=by,
        )
    except NotAllowed:
        messages.error(request, _("这件意见不在您的管辖范围内，不能代为评价。"))
    except Conflict:
        messages.warning(request, _("这件意见现在不在评价阶段，可能已由群众或其他工作人员评价。"))
    except ValidationError as exc:
        for field, errors in getattr(exc, "error_dict", {None: exc}).items():
            form.add_error(field if field in form.fields else None, errors)
        return None
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("已代为登记群众的评价。"))
    return HttpResponseRedirect(here)
