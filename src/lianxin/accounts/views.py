"""Login, logout and switching the acting role (SEC-1, SEC-3)."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.middleware import SESSION_KEY
from lianxin.accounts.models import RoleAssignment


def login_view(request: HttpRequest) -> HttpResponse:
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())  # rotates the session key
        target = request.POST.get("next") or request.GET.get("next") or "/"
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            target = "/"
        return redirect(target)
    return render(
        request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


login_view.public = True  # type: ignore[attr-defined]


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


logout_view.public = True  # type: ignore[attr-defined]


@require_POST
def switch_role(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    raw = request.POST.get("assignment", "")
    assignment = (
        RoleAssignment.objects.filter(user=request.user, is_active=True, pk=int(raw)).first()
        if raw.isdigit()
        else None
    )
    if assignment is None:
        messages.error(request, _("无法切换到该角色。"))
    else:
        request.session[SESSION_KEY] = assignment.pk
        messages.success(request, _("已切换为：%(role)s") % {"role": assignment})
    return redirect("home")


switch_role.public = True  # type: ignore[attr-defined]
