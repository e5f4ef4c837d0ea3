"""The three slips of a case (CASE-6) as a print page, a DOCX or a PDF download."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lianxin.accounts.permissions import Perm, can_reveal_personal, get_in_reach_or_404
from lianxin.audit.models import AuditEntry
from lianxin.audit.services import record
from lianxin.cases import slips
from lianxin.cases.models import Case
from lianxin.common.views import requires

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@never_cache
@require_safe
@requires(Perm.VIEW_CASES)
def slip(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    case = get_in_reach_or_404(
        actor, Case.objects.select_related("congress", "station", "deputy"), pk=pk
    )
    reveal = request.GET.get("reveal") == "1"
    built = slips.build(case, kind, actor, reveal=reveal)
    wanted = request.GET.get("format", "")
    if wanted in ("docx", "pdf"):
        record(
            actor=actor,
            action=AuditEntry.Action.EXPORT,
            obj=case,
            changes={"slip": kind, "format": wanted},
        )
    if wanted == "docx":
        return _download(slips.docx_bytes(built), DOCX, f"{built.filename}.docx")
    if wanted == "pdf" and slips.pdf_available():
        return _download(slips.pdf_bytes(built), "application/pdf", f"{built.filename}.pdf")
    back = request.GET.get("back", "")
    return render(
        request,
        "cases/slip.html",
        {
            "slip": built,
            "pdf": slips.pdf_available(),
            "revealed": reveal and can_reveal_personal(actor, case),
            "may_reveal": can_reveal_personal(actor, case),
            "back_url": back if back.startswith("/") and not back.startswith("//") else "",
        },
    )
