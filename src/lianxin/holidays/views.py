"""Staff pages of the official calendar (CASE-4): years, a year's days, entering a year as
the State Council notice reads, importing a sheet. Only the system administrator."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import Perm
from lianxin.common.views import requires
from lianxin.holidays import selectors, services
from lianxin.holidays.forms import ImportForm, NewYearForm, YearArrangementForm
from lianxin.holidays.models import CalendarDay, HolidayYear
from lianxin.holidays.notice import render_notice

WEEKDAYS = "一二三四五六日"


def _check_year(year: int) -> None:
    if not services.MIN_YEAR <= year <= services.MAX_YEAR:
        raise Http404


@requires(Perm.MANAGE_CALENDAR)
def year_list(request: HttpRequest) -> HttpResponse:
    form = NewYearForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("holidays:year_edit", year=form.cleaned_data["year"])
    return render(
        request,
        "holidays/year_list.html",
        {
            "title": _("节假日日历"),
            "rows": selectors.year_rows(),
            "missing": selectors.missing_years(),
            "form": form,
        },
    )


@requires(Perm.MANAGE_CALENDAR)
def year_detail(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    holiday_year = HolidayYear.objects.select_related("entered_by").filter(year=year).first()
    specs = selectors.year_specs(year)
    days = [
        {
            "date": s.date,
            "weekday": _("周%(d)s") % {"d": WEEKDAYS[s.date.weekday()]},
            "kind": CalendarDay.Kind(s.kind).label,
            "is_workday": s.kind == CalendarDay.Kind.WORKDAY,
            "name": s.name,
        }
        for s in specs
    ]
    return render(
        request,
        "holidays/year_detail.html",
        {
            "title": _("%(year)s年节假日安排") % {"year": year},
            "year": year,
            "holiday_year": holiday_year,
            "days": days,
            "notice_text": render_notice(specs),
            "holiday_count": sum(1 for s in specs if s.kind == CalendarDay.Kind.HOLIDAY),
            "workday_count": sum(1 for s in specs if s.kind == CalendarDay.Kind.WORKDAY),
        },
    )


@requires(Perm.MANAGE_CALENDAR)
def year_edit(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    holiday_year = HolidayYear.objects.filter(year=year).first()
    if request.method == "POST":
        form = YearArrangementForm(request.POST, year=year, actor=request.actor)  # type: ignore[attr-defined]
        if form.is_valid():
            try:
                services.calendar_year_save(
                    actor=request.actor,  # type: ignore[attr-defined]
                    year=year,
                    days=form.days,
                    notice=form.cleaned_data["notice"],
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("arrangement", message)
            else:
                messages.success(
                    request, _("%(year)s年节假日安排已保存，相关期限将重新计算。") % {"year": year}
                )
                return redirect("holidays:year_detail", year=year)
    else:
        initial = {}
        if holiday_year is not None:
            initial = {
                "notice": holiday_year.notice,
                "arrangement": render_notice(selectors.year_specs(year)),
            }
        form = YearArrangementForm(initial=initial, year=year, actor=request.actor)  # type: ignore[attr-defined]
    return render(
        request,
        "holidays/year_form.html",
        {
            "title": (
                _("编辑%(year)s年节假日安排") if holiday_year else _("录入%(year)s年节假日安排")
            )
            % {"year": year},
            "year": year,
            "form": form,
            "is_new": holiday_year is None,
        },
    )


@requires(Perm.MANAGE_CALENDAR)
def import_sheet(request: HttpRequest) -> HttpResponse:
    result = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, actor=request.actor)  # type: ignore[attr-defined]
        if form.is_valid():
            upload = form.cleaned_data["file"]
            result = services.calendar_import(
                actor=request.actor,  # type: ignore[attr-defined]
                file_name=upload.name,
                content=upload.read(),
                dry_run=form.cleaned_data["dry_run"],
            )
            if result.written:
                years = "、".join(str(y) for y in sorted(result.days))
                messages.success(request, _("已导入%(years)s年的节假日安排。") % {"years": years})
                return redirect("holidays:year_list")
    else:
        form = ImportForm(actor=request.actor)  # type: ignore[attr-defined]
    return render(
        request,
        "holidays/import.html",
        {"title": _("导入节假日安排"), "form": form, "result": result},
    )
