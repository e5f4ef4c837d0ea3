"""Project-level pages: the home page each role lands on, health, and friendly errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import connection
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.models import Role, RoleAssignment, User
from lianxin.accounts.permissions import Actor, Perm, scope
from lianxin.audit.models import AuditEntry
from lianxin.common.qr import public_url, qr_svg_inline
from lianxin.common.views import requires
from lianxin.directory.models import (
    BodyMembership,
    Congress,
    HandlingUnit,
    Mandate,
    Person,
    Station,
    StationMembership,
    StationStaff,
    UnitContact,
    WorkPlan,
)
from lianxin.directory.printing import POSTER, deputy_printable
from lianxin.holidays.selectors import missing_years
from lianxin.notifications.models import Notification
from lianxin.portal.selectors import deputy_page


def home(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if not actor.is_authenticated:
        return redirect("accounts:login")
    if actor.role == Role.DEPUTY:
        return render(request, "mobile/home.html", _deputy_home(actor))
    return render(request, "staff/home.html", _workbench(actor))


home.public = True  # type: ignore[attr-defined]  # decides by itself: login page or the role's home


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _deputy_home(actor: Actor) -> dict[str, Any]:
    """A deputy's phone home: his profile and QR, his stations, his mandates (UI.md)."""
    person = _deputy_person(actor)
    if person is None:
        return {"tab": "home", "person": None}
    mandates = (
        Mandate.objects.filter(person=person)
        .select_related("term__congress", "delegation")
        .order_by("status", "term__congress__level", "-started_on")
    )
    url = public_url(person)
    from lianxin.activities.duty.mine import next_shift, status_label
    from lianxin.cases.selectors import waiting_count

    duty = next_shift(actor)
    return {
        "tab": "home",
        "person": person,
        "cases_waiting": waiting_count(actor),
        # 值班 (DUTY-2): today's shift, or the next one (UI.md: home shows today's duty).
        "duty": duty,
        "duty_today": duty is not None and duty.shift.date == timezone.localdate(),
        "duty_status": status_label(duty) if duty is not None else "",
        "stations": _my_stations(person),
        "mandates": list(mandates),
        "public_url": url,
        # segno's own SVG markup for a URL we built: no user text inside.
        "qr_svg": mark_safe(qr_svg_inline(url)),  # noqa: S308
        "person_url": _url("directory:person_detail", person.pk),
    }


def _deputy_person(actor: Actor) -> Person | None:
    return Person.objects.filter(pk=actor.person_id).first() if actor.person_id else None


def _my_stations(person: Person) -> list[Station]:
    memberships = (
        StationMembership.objects.filter(_open_today(), person=person, station__is_active=True)
        .select_related("station")
        .order_by("station__path")
    )
    return [m.station for m in memberships]


def _mobile(request: HttpRequest, template: str, tab: str, **extra: Any) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    person = _deputy_person(actor)
    context: dict[str, Any] = {"tab": tab, "person": person, **extra}
    if person is not None:
        context["stations"] = _my_stations(person)
    return render(request, template, context)


@requires(Perm.VIEW_OWN_RECORD)
def mobile_me(request: HttpRequest) -> HttpResponse:
    """我的: his profile as citizens see it, his QR, his settings, logout."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    person = _deputy_person(actor)
    extra: dict[str, Any] = {
        "unread": Notification.objects.filter(recipient=actor.user, read_at__isnull=True).count()
    }
    if person is not None:
        try:
            extra["page"] = deputy_page(person.public_key)
        except Http404:
            extra["page"] = None  # no mandate yet: no public page
        url = public_url(person)
        extra["public_url"] = url
        extra["qr_svg"] = mark_safe(qr_svg_inline(url))  # noqa: S308 - segno's SVG of our URL
    return _mobile(request, "mobile/me.html", "me", **extra)


@requires(Perm.VIEW_OWN_RECORD)
def mobile_qr_print(request: HttpRequest) -> HttpResponse:
    """His QR poster on an A4 sheet, to print and put up (一人一码, ORG-13): the same poster
    the office prints for him (directory/printing.py)."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    person = _deputy_person(actor)
    if person is None:
        raise Http404
    item = deputy_printable(person)
    return render(
        request,
        "directory/print/single.html",
        {
            "title": _("%(name)s二维码海报") % {"name": person.name},
            "layout": POSTER,
            "items": [item],
            "back_url": reverse("mobile:me"),
        },
    )


@requires(Perm.VIEW_OWN_RECORD)
def mobile_record(request: HttpRequest) -> HttpResponse:
    """履职 (PERF-1, 一人一档): his record of the selected year — a month calendar with how
    much happened in each month, filters by kind, the entries newest first — and his mandates
    and seats."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    person = _deputy_person(actor)
    mandates = (
        Mandate.objects.filter(person=person)
        .select_related("term__congress", "delegation")
        .order_by("status", "term__congress__level", "-started_on")
        if person is not None
        else Mandate.objects.none()
    )
    seats = (
        BodyMembership.objects.filter(_open_today(), person=person).select_related("body")
        if person is not None
        else BodyMembership.objects.none()
    )
    from lianxin.activities.record import build

    rec = build(person.pk, request.GET) if person is not None else None
    items = [(e, e.url) for e in rec.page.object_list] if rec is not None else []
    return _mobile(
        request,
        "mobile/record.html",
        "record",
        mandates=list(mandates),
        seats=list(seats),
        record=rec,
        items=items,
    )


def _workbench(actor: Actor) -> dict[str, Any]:
    """The staff workbench: per role, figures within reach, tasks and quick links."""
    builders: dict[str, Callable[[Actor, dict[str, Any]], None]] = {
        Role.SYSTEM_ADMIN: _sysadmin_bench,
        Role.SECURITY_ADMIN: _secadmin_bench,
        Role.AUDIT_ADMIN: _auditadmin_bench,
        Role.STATION: _station_bench,
        Role.UNIT: _unit_bench,
    }
    bench: dict[str, Any] = {"figures": [], "tasks": [], "links": [], "organisation": None}
    builder = builders.get(actor.role or "")
    if builder is not None:
        builder(actor, bench)
    elif actor.has(Perm.VIEW_DIRECTORY):
        _directory_bench(actor, bench)
    if actor.has(Perm.USE_INBOX):
        unread = Notification.objects.filter(recipient=actor.user, read_at__isnull=True).count()
        bench["figures"].append(
            _figure(_("未读消息"), unread, _url("notifications:inbox"), _("系统通知与提醒"))
        )
    bench["links"] = [link for link in bench["links"] if link["url"]]
    return bench


def _figure(label: Any, count: int, url: str, note: Any = "") -> dict[str, Any]:
    return {"label": label, "count": count, "url": url, "note": note}


def _task(label: Any, count: int, url: str, action: Any) -> dict[str, Any]:
    return {"label": label, "count": count, "url": url, "action": action}


def _link(label: Any, url: str) -> dict[str, Any]:
    return {"label": label, "url": url}


def _open_today() -> Q:
    return Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate())


def _directory_bench(actor: Actor, bench: dict[str, Any]) -> None:
    """The office and the leadership: deputies, stations and units within reach."""
    persons = scope(actor, Person.objects.all())
    serving = persons.filter(mandates__status=Mandate.Status.SERVING).distinct()
    stations = scope(actor, Station.objects.filter(is_active=True))
    bench["figures"] += [
        _figure(
            _("在任代表"),
            serving.count(),
            _url("directory:person_list") + "?status=serving",
            _("含议政代表"),
        ),
        _figure(_("联络站"), stations.count(), _url("directory:station_list"), _("启用中")),
        _figure(
            _("承办单位"),
            scope(actor, HandlingUnit.objects.filter(is_active=True)).count(),
            _url("directory:unit_list"),
            _("启用中"),
        ),
    ]
    if actor.has(Perm.EDIT_DIRECTORY):
        in_station = StationMembership.objects.filter(_open_today()).values("person_id")
        no_station = serving.exclude(pk__in=in_station).count()
        if no_station:
            bench["tasks"].append(
                _task(
                    _("在任代表尚未进站"),
                    no_station,
                    _url("directory:stationmember_create"),
                    _("安排进站"),
                )
            )
        heads = StationStaff.objects.filter(_open_today(), role=StationStaff.Role.HEAD)
        headless = stations.exclude(pk__in=heads.values("station_id")).count()
        if headless:
            bench["tasks"].append(
                _task(
                    _("联络站还没有站长"),
                    headless,
                    _url("directory:stationstaff_create"),
                    _("指定站长"),
                )
            )
        congresses = scope(actor, Congress.objects.all())
        year = timezone.localdate().year
        planned = WorkPlan.objects.filter(year=year).values("congress_id")
        unplanned = congresses.exclude(pk__in=planned).count()
        if unplanned:
            bench["tasks"].append(
                _task(
                    _("%(year)s年度代表工作计划未录入") % {"year": year},
                    unplanned,
                    _url("directory:workplan_create"),
                    _("录入计划"),
                )
            )
        bench["links"] += [
            _link(_("新增人员"), _url("directory:person_create")),
            _link(_("新增任职"), _url("directory:mandate_create")),
            _link(_("新增联络站"), _url("directory:station_create")),
            _link(_("导入乡镇和村"), _url("regions:import")),
        ]
    if actor.has(Perm.PRINT_CODES):
        bench["links"].append(_link(_("打印二维码"), _url("directory:print_codes")))
    bench["links"] += [
        _link(_("代表与人员"), _url("directory:person_list")),
        _link(_("联络站"), _url("directory:station_list")),
        _link(_("年度代表工作计划"), _url("directory:workplan_list")),
    ]


def _station_bench(actor: Actor, bench: dict[str, Any]) -> None:
    """Station staff: their own station, its deputies and staff, its QR to print."""
    station = actor.assignment.station if actor.assignment else None
    if station is None:
        return
    bench["organisation"] = {
        "name": station.name,
        "kind": station.get_kind_display(),
        "address": station.address,
        "hours": station.opening_hours,
        "url": _url("directory:station_detail", station.pk),
    }
    members = StationMembership.objects.filter(_open_today(), station=station).count()
    staff = StationStaff.objects.filter(_open_today(), station=station).count()
    bench["figures"] += [
        _figure(
            _("进站代表"),
            members,
            _url("directory:stationmember_list") + f"?station={station.pk}",
            _("目前在本站"),
        ),
        _figure(
            _("站点工作人员"),
            staff,
            _url("directory:stationstaff_list") + f"?station={station.pk}",
            _("站长、副站长、联络员"),
        ),
    ]
    if not StationStaff.objects.filter(
        _open_today(), station=station, role=StationStaff.Role.HEAD
    ).exists():
        bench["tasks"].append(
            _task(_("本站还没有站长"), 1, _url("directory:stationstaff_create"), _("指定站长"))
        )
    bench["links"] += [
        _link(_("本站详情"), _url("directory:station_detail", station.pk)),
        _link(_("安排代表进站"), _url("directory:stationmember_create")),
        _link(_("本站公开页"), _url("portal:station", station.public_key)),
        _link(_("下载本站二维码"), _url("portal:station_qr_png", station.public_key)),
        _link(_("打印二维码"), _url("directory:print_codes")),
    ]


def _unit_bench(actor: Actor, bench: dict[str, Any]) -> None:
    """Handling-unit staff: their unit and its contacts; cases arrive with the closed loop."""
    unit = actor.assignment.unit if actor.assignment else None
    if unit is None:
        return
    bench["organisation"] = {
        "name": unit.name,
        "kind": unit.get_kind_display(),
        "address": "",
        "hours": "",
        "url": _url("directory:unit_detail", unit.pk),
    }
    bench["figures"].append(
        _figure(
            _("单位联系人"),
            UnitContact.objects.filter(unit=unit).count(),
            _url("directory:unitcontact_list") + f"?unit={unit.pk}",
            _("接收交办通知"),
        )
    )
    bench["notice"] = _(
        "群众意见建议交办到本单位后，待办事项和办理期限将显示在这里。请确认本单位联系人准确，以免错过交办通知。"
    )
    bench["links"] += [_link(_("本单位详情"), _url("directory:unit_detail", unit.pk))]


def _sysadmin_bench(actor: Actor, bench: dict[str, Any]) -> None:
    """The system administrator: accounts, the holiday calendar, the region tree."""
    users = scope(actor, User.objects.all())
    unlinked = (
        RoleAssignment.objects.filter(role=Role.DEPUTY, is_active=True, user__person__isnull=True)
        .values("user_id")
        .distinct()
        .count()
    )
    bench["figures"] += [
        _figure(_("启用的账号"), users.filter(is_active=True).count(), _url("accounts:user_list")),
        _figure(
            _("已停用的账号"), users.filter(is_active=False).count(), _url("accounts:user_list")
        ),
    ]
    bench["calendar_missing"] = missing_years()
    if unlinked:
        bench["tasks"].append(
            _task(_("代表账号未关联人员档案"), unlinked, _url("accounts:user_list"), _("关联档案"))
        )
    bench["links"] += [
        _link(_("新增账号"), _url("accounts:user_create")),
        _link(_("节假日日历"), _url("holidays:year_list")),
        _link(_("导入节假日安排"), _url("holidays:import")),
        _link(_("行政区划"), _url("regions:list")),
    ]


def _secadmin_bench(actor: Actor, bench: dict[str, Any]) -> None:
    """The security administrator: role assignments, and accounts that have none."""
    active = scope(actor, RoleAssignment.objects.filter(is_active=True))
    without_role = (
        scope(actor, User.objects.filter(is_active=True))
        .exclude(assignments__is_active=True)
        .count()
    )
    bench["figures"].append(
        _figure(_("有效的角色授权"), active.count(), _url("accounts:assignment_list"))
    )
    if without_role:
        bench["tasks"].append(
            _task(
                _("启用的账号还没有任何角色"),
                without_role,
                _url("accounts:assignment_create"),
                _("授予角色"),
            )
        )
    bench["links"] += [
        _link(_("新增角色授权"), _url("accounts:assignment_create")),
        _link(_("角色授权"), _url("accounts:assignment_list")),
    ]


def _auditadmin_bench(actor: Actor, bench: dict[str, Any]) -> None:
    """The audit administrator: what happened lately, with links to the filtered trail."""
    entries = scope(actor, AuditEntry.objects.all())
    today = timezone.localdate()
    week_ago = today - timedelta(days=6)
    trail = _url("audit:entry_list")
    since = f"date_from={week_ago.isoformat()}"
    bench["figures"] += [
        _figure(
            _("今日审计记录"),
            entries.filter(at__date=today).count(),
            f"{trail}?date_from={today.isoformat()}",
        ),
        _figure(
            _("近7天登录失败"),
            entries.filter(action=AuditEntry.Action.LOGIN_FAILED, at__date__gte=week_ago).count(),
            f"{trail}?action={AuditEntry.Action.LOGIN_FAILED}&{since}",
        ),
        _figure(
            _("近7天查看个人信息"),
            entries.filter(action=AuditEntry.Action.REVEAL, at__date__gte=week_ago).count(),
            f"{trail}?action={AuditEntry.Action.REVEAL}&{since}",
        ),
    ]
    bench["links"] += [_link(_("审计日志"), trail)]


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


healthz.public = True  # type: ignore[attr-defined]


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
