"""The inbox and notification preferences (NOTE-1): every role with ``Perm.USE_INBOX``,
each account seeing only its own messages."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.permissions import Perm, get_in_reach_or_404, scope
from lianxin.common.views import requires
from lianxin.notifications import services
from lianxin.notifications.kinds import DEFAULT, kinds
from lianxin.notifications.models import Notification, Preference

PAGE_SIZE = 20


@requires(Perm.USE_INBOX)
def inbox(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    qs = scope(actor, Notification.objects.all())
    show = request.GET.get("show", "")
    if show == "unread":
        qs = qs.filter(read_at__isnull=True)
    # Unread first, newest first within each group.
    qs = qs.order_by(F("read_at").asc(nulls_first=True), "-created_at", "-pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    unread = services.unread_count(actor.user)
    return render(
        request,
        "notifications/inbox.html",
        {
            "title": _("消息"),
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "querystring": f"show={show}" if show else "",
            "show": show,
            "unread": unread,
        },
    )


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")


@require_POST
@requires(Perm.USE_INBOX)
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    get_in_reach_or_404(actor, Notification, pk=pk)  # another account's message: 404 (SEC-1)
    services.notification_mark_read(actor=actor, notification_id=pk)
    return _back(request)


@require_POST
@requires(Perm.USE_INBOX)
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notification_mark_all_read(actor=request.actor)  # type: ignore[attr-defined]
    messages.success(request, _("已将%(n)s条消息标为已读。") % {"n": count})
    return _back(request)


def _row(kind: str, label: str, pref: Preference | None) -> dict[str, object]:
    return {
        "kind": kind,
        "label": label,
        "email": bool(pref and pref.email),
        "sms": bool(pref and pref.sms),
    }


@requires(Perm.USE_INBOX)
def preferences(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    rows = [(DEFAULT, _("全部通知（默认）"))] + [(k, str(v)) for k, v in kinds().items()]
    saved = {p.kind: p for p in Preference.objects.filter(user=actor.user)}
    if request.method == "POST":
        choices = {
            kind: (
                request.POST.get(f"email:{kind}") == "on",
                request.POST.get(f"sms:{kind}") == "on",
            )
            for kind, _label in rows
        }
        services.preferences_save(actor=actor, choices=choices)
        messages.success(request, _("通知偏好已保存。"))
        return redirect("notifications:preferences")
    default = saved.get(DEFAULT)
    person = getattr(actor.user, "person", None)
    return render(
        request,
        "notifications/preferences.html",
        {
            "title": _("通知偏好"),
            "rows": [_row(kind, label, saved.get(kind) or default) for kind, label in rows],
            "has_email": bool(actor.user.email),
            "has_phone": bool(person is not None and getattr(person, "phone", "")),
        },
    )
