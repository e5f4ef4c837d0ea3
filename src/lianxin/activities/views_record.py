"""The deputy's record for staff (PERF-1): one person's timeline by year and kind, and its
Excel export. The office, leadership and his stations see the persons within their reach (a
deputy reaches only himself, whose record is also his phone's ``mobile:record``); anyone else
gets 404."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from lianxin.accounts.permissions import Actor, Perm, get_in_reach_or_404
from lianxin.activities import record
from lianxin.common import sheets
from lianxin.common.views import requires
from lianxin.directory.models import Person


def _person(request: HttpRequest, pk: int) -> Person:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return get_in_reach_or_404(actor, Person, pk=pk)


@never_cache
@requires(Perm.VIEW_ACTIVITIES)
def person_record(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    rec = record.build(person.pk, request.GET)
    actor: Actor = request.actor  # type: ignore[attr-defined]
    items = [(e, record.staff_url(e.url, actor)) for e in rec.page.object_list]
    return render(
        request,
        "activities/record_person.html",
        {"person": person, "record": rec, "items": items},
    )


@never_cache
@requires(Perm.VIEW_ACTIVITIES)
def person_record_export(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    rec = record.build(person.pk, request.GET)
    data = sheets.write_xlsx(
        [str(h) for h in record.HEADERS],
        record.rows(rec.entries),
        title=f"{person.name}{rec.year}年履职档案",
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="record-{person.pk}-{rec.year}.xlsx"'
    return response
