"""Pages of directory import and export (ORG-14): the import page, the job page (polled
with htmx while the work runs; it can be left and returned to), templates and exports."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.permissions import Actor, Perm, get_in_reach_or_404, scope
from lianxin.common import staff_views
from lianxin.common.errors import Conflict, NotAllowed
from lianxin.common.views import requires
from lianxin.directory.exchange import services
from lianxin.directory.exchange.forms import ImportForm
from lianxin.directory.exchange.kinds import KINDS, kinds_for_export, kinds_for_import
from lianxin.directory.models import ImportJob

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PRINTABLE_KINDS = ("mandates", "stations", "station_members")
RUNNING = (ImportJob.Status.CHECKING, ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "no-store"
    return response


@requires(Perm.VIEW_DIRECTORY)
def import_page(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    kinds = kinds_for_import(actor)
    if not kinds:
        raise Http404
    initial = {"kind": request.GET.get("kind", "")}
    form = ImportForm(
        request.POST or None, request.FILES or None, kinds=kinds, actor=actor, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["sheet"]
        try:
            job = services.import_job_create(
                actor=actor, kind_key=form.cleaned_data["kind"], upload=upload, filename=upload.name
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("sheet", message)
        except NotAllowed as exc:
            raise Http404 from exc
        else:
            return redirect("directory:exchange:job", pk=job.pk)
    jobs = scope(actor, ImportJob.objects.all()).order_by("-created_at")[:10]
    return render(
        request,
        "directory/exchange/import.html",
        {
            "form": form,
            "kinds": kinds,
            "export_kinds": kinds_for_export(actor),
            "jobs": [
                (job, KINDS[job.kind].label if job.kind in KINDS else job.kind) for job in jobs
            ],
            "title": _("导入名册"),
        },
    )


def _job_context(actor: Actor, job: ImportJob) -> dict[str, Any]:
    done = services.job_progress(job)
    total = job.total_rows or 1
    kind = KINDS.get(job.kind)
    return {
        "job": job,
        "kind_label": kind.label if kind else job.kind,
        "done": done,
        "percent": min(100, round(done * 100 / total)),
        "running": job.status in RUNNING,
        "can_confirm": job.status == ImportJob.Status.CHECKED
        and job.created_by_id == getattr(actor.user, "pk", None),
        "errors": job.errors,
        "title": _("导入任务：%(name)s") % {"name": job.filename},
        # After a roster of deputies or stations comes in, the next step is their QR codes.
        "print_url": reverse("directory:print_codes")
        if job.status == ImportJob.Status.DONE
        and job.kind in PRINTABLE_KINDS
        and actor.has(Perm.PRINT_CODES)
        else "",
    }


@requires(Perm.VIEW_DIRECTORY)
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    job = get_in_reach_or_404(actor, ImportJob, pk=pk)
    ctx = _job_context(actor, job)
    if request.headers.get("HX-Request"):
        return render(request, "directory/exchange/_job_status.html", ctx)
    return render(request, "directory/exchange/job.html", ctx)


@require_POST
@requires(Perm.VIEW_DIRECTORY)
def job_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    job = get_in_reach_or_404(actor, ImportJob, pk=pk)
    try:
        services.import_job_confirm(actor=actor, job=job)
    except NotAllowed as exc:
        raise Http404 from exc
    except Conflict as exc:
        messages.error(request, str(exc.message))
    return redirect("directory:exchange:job", pk=job.pk)


@requires(Perm.VIEW_DIRECTORY)
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404
    data = services.template_sheet(kind_key=kind)
    return _xlsx(data, _("%(label)s导入模板.xlsx") % {"label": KINDS[kind].label})


@requires(Perm.VIEW_DIRECTORY)
def export_download(request: HttpRequest, kind: str) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    try:
        data = services.export_sheet(actor=actor, kind_key=kind)
    except NotAllowed as exc:
        raise Http404 from exc
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _xlsx(data, f"{KINDS[kind].label}-{stamp}.xlsx")


def _list_actions(kind_keys: tuple[str, ...]) -> staff_views.ListActions:
    """导入 / 导出Excel beside 新增 on a list page, for the kinds the actor may use."""

    def actions(actor: Actor) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        for key in kind_keys:
            kind = KINDS[key]
            if kind.may_import(actor):
                found.append((_("导入"), f"{reverse('directory:exchange:import')}?kind={key}"))
            if kind.may_export(actor):
                found.append((_("导出Excel"), reverse("directory:exchange:export", args=[key])))
        return found

    return actions


for _kind in KINDS.values():
    for _url_name in _kind.list_url_names:
        staff_views.LIST_ACTIONS[_url_name] = _list_actions(
            tuple(k.key for k in KINDS.values() if _url_name in k.list_url_names)
        )
