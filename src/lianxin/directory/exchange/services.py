"""Running a sheet through a kind, as a job with progress; exports and templates (ORG-14).

A sheet is uploaded once: ``import_job_create`` stores it (encrypted) and queues a dry run;
the dry run applies every row in its own savepoint inside one transaction that is rolled
back, so it reports every bad row with its line and reason and writes nothing. When it
passes, ``import_job_confirm`` queues the real import: the same rows in one transaction,
committed only if every row succeeded. Progress (rows done) goes to the cache, which other
processes read while the transaction is still open.
"""

from __future__ import annotations

import base64
import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import Actor, Perm, actor_for
from lianxin.audit.context import acting_as
from lianxin.audit.models import AuditEntry
from lianxin.audit.services import record
from lianxin.common import sheets
from lianxin.common.errors import Conflict, NotAllowed
from lianxin.common.fields import blind_index
from lianxin.directory.exchange import reach  # noqa: F401  (registers the reach of jobs)
from lianxin.directory.exchange.kinds import (
    KINDS,
    Context,
    Kind,
    RegionKind,
    RowError,
)
from lianxin.directory.models import ImportJob, Person

log = logging.getLogger(__name__)
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
PROGRESS_EVERY = 20
CHECKED_JOB_LIFETIME = datetime.timedelta(hours=24)
Status = ImportJob.Status


@dataclass
class Report:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def get_kind(key: str) -> Kind:
    try:
        return KINDS[key]
    except KeyError:
        raise NotAllowed from None


def read_rows(kind: Kind, data: bytes, filename: str) -> list[sheets.Row]:
    """The data rows of an uploaded sheet; ``sheets.SheetError`` for an unreadable file."""
    return sheets.read_table(data, filename, kind.columns).rows


def run_rows(
    *,
    actor: Actor,
    kind: Kind,
    rows: list[sheets.Row],
    dry_run: bool,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Applies every row within the actor's reach. A dry run, or any bad row, rolls the
    whole transaction back: every bad row is reported and nothing is written."""
    if not kind.may_import(actor):
        raise NotAllowed
    if isinstance(kind, RegionKind):
        return _run_regions(actor=actor, rows=rows, dry_run=dry_run, progress=progress)
    report = Report(total=len(rows))
    ctx = Context(actor=actor)
    with acting_as(actor), transaction.atomic():
        for done, row in enumerate(rows, start=1):
            try:
                with transaction.atomic():
                    outcome = kind.apply(ctx, row)
            except RowError as exc:
                report.errors.append((row.line, "；".join(exc.reasons)))
            except ValidationError as exc:
                report.errors.append((row.line, "；".join(exc.messages)))
            except IntegrityError:
                report.errors.append((row.line, _("与已有记录冲突，请核对本行")))
            else:
                setattr(report, outcome, getattr(report, outcome) + 1)
            if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(rows)):
                progress(done)
        if dry_run or report.errors:
            transaction.set_rollback(True)
    return report


def _run_regions(
    *,
    actor: Actor,
    rows: list[sheets.Row],
    dry_run: bool,
    progress: Callable[[int], None] | None,
) -> Report:
    from lianxin.regions import services as regions

    sheet_rows = [
        regions.SheetRow(
            row.line,
            sheets.compact(row.raw("parent_ref")),
            row.text("name"),
            sheets.compact(row.raw("level")),
            sheets.compact(row.raw("code")),
        )
        for row in rows
    ]
    with acting_as(actor):
        result = regions.regions_import(actor=actor, rows=sheet_rows, dry_run=dry_run)
    if progress is not None:
        progress(len(rows))
    created = len(result.created) if not dry_run else result.rows - len(result.errors)
    return Report(
        total=result.rows,
        created=created - result.unchanged if dry_run else created,
        unchanged=result.unchanged,
        errors=[(line, str(reason)) for line, reason in result.errors],
    )


def refresh_id_number_index() -> int:
    """Fills the blind index of persons entered elsewhere (forms, admin) before matching."""
    count = 0
    for person in Person.objects.filter(id_number_index="").exclude(id_number="").iterator():
        Person.objects.filter(pk=person.pk).update(id_number_index=blind_index(person.id_number))
        count += 1
    return count


# --- Jobs ---------------------------------------------------------------------------------


def progress_key(job_pk: int) -> str:
    return f"lianxin:import-job:{job_pk}:done"


def job_progress(job: ImportJob) -> int:
    if job.status in (Status.CHECKING, Status.RUNNING):
        return int(cache.get(progress_key(job.pk)) or 0)
    return job.rows_done


def import_job_create(
    *, actor: Actor, kind_key: str, upload: IO[bytes], filename: str
) -> ImportJob:
    """Stores an uploaded sheet and queues its dry run; an unreadable file is refused at once."""
    kind = get_kind(kind_key)
    if not kind.may_import(actor) or actor.assignment is None:
        raise NotAllowed
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("文件太大（超过10MB），请分批导入。"))
    try:
        rows = read_rows(kind, data, filename)
    except sheets.SheetError as exc:
        raise ValidationError(str(exc)) from exc
    if not rows:
        raise ValidationError(_("表中没有数据行。"))
    job = ImportJob.objects.create(
        kind=kind.key,
        created_by=actor.user,
        assignment_id_used=actor.assignment.pk,
        filename=filename[:200],
        content=base64.b64encode(data).decode(),
        total_rows=len(rows),
    )
    _queue(job.pk)
    return job


def import_job_confirm(*, actor: Actor, job: ImportJob) -> ImportJob:
    """Queues the real import of a sheet whose dry run passed (once: compare and swap)."""
    if job.created_by_id != getattr(actor.user, "pk", None):
        raise NotAllowed
    if job.created_at < timezone.now() - CHECKED_JOB_LIFETIME:
        raise Conflict(_("检查结果已过期，请重新上传表格。"))
    changed = ImportJob.objects.filter(pk=job.pk, status=Status.CHECKED).update(
        status=Status.QUEUED, updated_at=timezone.now()
    )
    if not changed:
        raise Conflict(_("该导入任务已经开始或已结束。"))
    _queue(job.pk)
    job.refresh_from_db()
    return job


def _queue(job_pk: int) -> None:
    from lianxin.directory.exchange.tasks import run_import_job

    transaction.on_commit(lambda: run_import_job.delay(job_pk))


def import_job_run(*, job_pk: int) -> None:
    """The background work: the dry run of a new job, or the import of a confirmed one.
    Running it again for a job in any other state does nothing."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_pk)
    if job.status == Status.CHECKING:
        dry_run = True
    elif ImportJob.objects.filter(pk=job_pk, status=Status.QUEUED).update(
        status=Status.RUNNING, updated_at=timezone.now()
    ):
        dry_run = False
    else:
        return
    actor = actor_for(job.created_by, job.assignment_id_used)
    key = progress_key(job.pk)
    cache.set(key, 0, 24 * 3600)
    try:
        if actor.assignment is None or actor.assignment.pk != job.assignment_id_used:
            raise NotAllowed
        refresh_id_number_index()
        kind = get_kind(job.kind)
        rows = read_rows(kind, base64.b64decode(job.content), job.filename)
        report = run_rows(
            actor=actor,
            kind=kind,
            rows=rows,
            dry_run=dry_run,
            progress=lambda n: cache.set(key, n, 24 * 3600),
        )
    except NotAllowed:
        _finish(job, Status.FAILED, Report(), _("您已没有导入此类记录的权限。"))
        return
    except Exception:  # the job must end in a state the page can show
        log.exception("import job %s failed", job_pk)
        _finish(job, Status.FAILED, Report(), _("导入时发生意外错误，没有写入任何数据。"))
        return
    if dry_run:
        _finish(job, Status.CHECKED if report.ok else Status.REFUSED, report, keep_content=True)
        return
    _finish(job, Status.DONE if report.ok else Status.FAILED, report)
    record(
        actor=actor,
        action=AuditEntry.Action.ACTION,
        obj=job,
        changes={
            "kind": job.kind,
            "rows": report.total,
            "created": report.created,
            "updated": report.updated,
        },
        note=_("导入表格"),
    )


def _finish(
    job: ImportJob, status: str, report: Report, message: str = "", *, keep_content: bool = False
) -> None:
    values: dict[str, Any] = {
        "status": status,
        "rows_done": report.total,
        "created_count": report.created,
        "updated_count": report.updated,
        "unchanged_count": report.unchanged,
        "errors": [[line, reason] for line, reason in report.errors],
        "message": message[:300],
        "updated_at": timezone.now(),
    }
    if status == Status.REFUSED:
        keep_content = False
    if not keep_content:
        values["content"] = ""
    if status not in (Status.CHECKED,):
        values["finished_at"] = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(**values)
    cache.delete(progress_key(job.pk))


# --- Exports and templates ----------------------------------------------------------------


def export_sheet(*, actor: Actor, kind_key: str) -> bytes:
    """The records of a kind within reach as an XLSX of text cells; personal data in clear
    only for roles that may reveal it (masked otherwise). Every export is audited."""
    kind = get_kind(kind_key)
    if not kind.may_export(actor):
        raise NotAllowed
    reveal = actor.has(Perm.REVEAL_PERSONAL)
    ctx = Context(actor=actor, reveal=reveal)
    rows = list(kind.export_rows(ctx))
    data = sheets.write_xlsx(kind.headers(), rows, title=str(kind.label), notes=kind.notes())
    record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        changes={
            "kind": kind.key,
            "rows": len(rows),
            "personal_data": "clear" if reveal and kind.has_personal_data else "masked",
        },
        note=_("导出%(label)s") % {"label": kind.label},
    )
    return data


def template_sheet(*, kind_key: str) -> bytes:
    """An empty sheet to fill in: the header, one example row, column notes."""
    kind = get_kind(kind_key)
    return sheets.write_xlsx(
        kind.headers(),
        [kind.example()],
        title=str(kind.label),
        notes=kind.notes(),
        blank_text_rows=500,
    )
