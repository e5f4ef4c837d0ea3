"""Login, logout, role switch (SEC-1, SEC-3) and the administrators' pages (三员分立):
accounts for the system administrator, role assignments for the security administrator,
and each staff account's own API token."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from lianxin.accounts import mfa, mfa_views, services, throttle
from lianxin.accounts.filters import AssignmentFilter, UserFilter
from lianxin.accounts.forms import (
    AssignmentForm,
    LinkPersonForm,
    PasswordResetForm,
    UserCreateForm,
    UserEditForm,
)
from lianxin.accounts.middleware import SESSION_KEY
from lianxin.accounts.models import Role, RoleAssignment, User
from lianxin.accounts.permissions import (
    Actor,
    Perm,
    actor_for,
    get_in_reach_or_404,
)
from lianxin.audit.models import AuditEntry
from lianxin.audit.services import record
from lianxin.common.errors import DomainError
from lianxin.common.staff_views import Column, ScopedDetailView, ScopedFormView, ScopedListView
from lianxin.common.views import ActorRequiredMixin, public, requires

# --- Login, logout, role switch ------------------------------------------------------------

# Where each role lands after login when no ``next`` was asked for.
LANDING: dict[str, str] = {
    Role.SYSTEM_ADMIN: "accounts:user_list",
    Role.SECURITY_ADMIN: "accounts:assignment_list",
    Role.AUDIT_ADMIN: "audit:entry_list",
}


def landing_url(actor: Actor) -> str:
    """The first page of the actor's role: the administrators their work list, everybody
    else the home page of his role (a deputy's phone home, the staff workbench)."""
    name = LANDING.get(actor.role or "")
    return reverse(name) if name else reverse("home")


def safe_next(request: HttpRequest, target: str, actor: Actor) -> str:
    """``next`` when it stays on this site, else the landing page of the actor's role."""
    if not target or not url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return landing_url(actor)
    return target


def throttled_message(seconds: int) -> str:
    return _("登录尝试过于频繁，请 %(seconds)d 秒后再试。") % {"seconds": seconds}


class LoginForm(AuthenticationForm):
    """Django's form, with the throttle consulted before the password is hashed."""

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.address = throttle.client_address(request)
        self.wait = 0
        self.has_second_factor = False

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password")
        if not username or not password:
            return self.cleaned_data
        self.wait = throttle.seconds_to_wait(username, self.address)
        if self.wait:
            raise ValidationError(throttled_message(self.wait), code="throttled")
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            throttle.register_failure(username, self.address)
            services.login_failure_recorded(username=username, address=self.address)
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        self.has_second_factor = mfa.has_factor(self.user_cache)
        if not self.has_second_factor:  # else only once the second factor is right (SEC-3)
            throttle.register_success(username, self.address)
        return self.cleaned_data


@public
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        target = request.POST.get("next") or request.GET.get("next") or ""
        if form.has_second_factor:  # not logged in until the code is right (SEC-3)
            return mfa_views.start_second_factor(request, user, next_url=target)
        login(request, user)  # rotates the session key (session fixation)
        actor = actor_for(user)
        request.actor = actor  # type: ignore[attr-defined]
        services.login_recorded(user=user, address=form.address, actor=actor)
        if mfa.must_enrol(request):  # mandatory for his role: set it up first
            return redirect("accounts:second_factor")
        return redirect(safe_next(request, target, actor))
    status = 429 if form.wait else 200
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
        status=status,
    )


@public
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record(
            actor=request.actor,  # type: ignore[attr-defined]
            action=AuditEntry.Action.LOGOUT,
            obj=request.user,  # type: ignore[arg-type]
        )
    logout(request)
    return redirect("accounts:login")


@public  # any logged-in account; it can switch only to its own active assignments
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
        return redirect("home")
    request.session[SESSION_KEY] = assignment.pk
    actor = actor_for(request.user, assignment.pk)  # type: ignore[arg-type]
    record(actor=actor, action=AuditEntry.Action.SWITCH_ROLE, obj=assignment)
    messages.success(request, _("已切换为：%(role)s") % {"role": assignment})
    return redirect(landing_url(actor))


# --- Accounts: the system administrator ---------------------------------------------------


class FnColumn(Column):
    """A column computed by a function of the row."""

    def __init__(self, fn: Any, label: Any, sort: str | None = None) -> None:
        super().__init__("pk", label, sort)
        self.fn = fn

    def value(self, obj: Any) -> Any:
        return self.fn(obj)


def _roles_of(user: User) -> str:
    return "、".join(str(a.get_role_display()) for a in user.assignments.all() if a.is_active)


def _active_label(obj: Any) -> str:
    return _("有效") if obj.is_active else _("已停用")


def _granted_label(obj: Any) -> str:
    return _("有效") if obj.is_active else _("已撤销")


class UserListView(ScopedListView):
    permission = Perm.MANAGE_ACCOUNTS
    model = User
    title = gettext_lazy("账号管理")
    columns = [
        Column("username", gettext_lazy("账号名"), sort="username"),
        Column("display_name", gettext_lazy("显示名称"), sort="display_name"),
        FnColumn(_roles_of, gettext_lazy("角色")),
        FnColumn(_active_label, gettext_lazy("状态"), sort="is_active"),
        Column("last_login", gettext_lazy("最近登录"), sort="last_login"),
    ]
    search_fields = ["username", "display_name", "email"]
    filterset_class = UserFilter
    create_url_name = "accounts:user_create"
    detail_url_name = "accounts:user_detail"
    default_ordering = ["username"]

    def base_queryset(self) -> models.QuerySet[Any]:
        return User.objects.prefetch_related("assignments")


class UserDetailView(ScopedDetailView):
    permission = Perm.MANAGE_ACCOUNTS
    model = User
    template_name = "accounts/user_detail.html"
    fields = ["username", "display_name", "email", "is_active", "last_login", "date_joined"]
    edit_url_name = "accounts:user_edit"
    list_url_name = "accounts:user_list"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = ctx["object"]
        ctx["assignments"] = user.assignments.select_related("region", "station", "unit")
        ctx["person"] = getattr(user, "person", None)
        ctx["is_self"] = user.pk == self.actor.user.pk
        ctx["second_factor"] = mfa.factor_of(user)
        ctx["second_factor_required"] = mfa.is_required(user)
        return ctx


def _apply_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


class UserCreateView(ActorRequiredMixin, generic.FormView):  # type: ignore[type-arg]
    permission = Perm.MANAGE_ACCOUNTS
    template_name = "staff/form.html"
    form_class = UserCreateForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "actor": self.actor}

    def form_valid(self, form: UserCreateForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=self.actor,
                username=data["username"],
                password=data["password1"],
                display_name=data["display_name"],
                email=data["email"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("账号已创建，首次登录须修改密码。"))
        return redirect("accounts:user_detail", pk=user.pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "title": _("新增账号")}


class UserEditView(ScopedFormView):
    permission = Perm.MANAGE_ACCOUNTS
    model = User
    form_class = UserEditForm
    success_url_name = "accounts:user_detail"


class _UserActionView(ActorRequiredMixin, generic.FormView):  # type: ignore[type-arg]
    """A form about one account within reach (``self.user``)."""

    permission = Perm.MANAGE_ACCOUNTS
    template_name = "staff/form.html"
    title: Any = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.actor.has(self.permission):  # type: ignore[attr-defined, arg-type]
            self.user = get_in_reach_or_404(self.actor, User, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "title": self.title % {"user": self.user},
            "object": self.user,
            # Breadcrumb and cancel link (templates/staff/_crumbs.html).
            "list_url": reverse("accounts:user_list"),
            "list_label": _("账号管理"),
            "detail_url": reverse("accounts:user_detail", args=[self.user.pk]),
            "cancel_url": reverse("accounts:user_detail", args=[self.user.pk]),
        }


class UserPasswordView(_UserActionView):
    form_class = PasswordResetForm
    title = gettext_lazy("重置密码：%(user)s")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "actor": self.actor, "user": self.user}

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        services.user_set_password(
            actor=self.actor, user=self.user, password=form.cleaned_data["password1"]
        )
        messages.success(self.request, _("密码已重置，该账号下次登录须修改密码。"))
        return redirect("accounts:user_detail", pk=self.user.pk)


class UserLinkPersonView(_UserActionView):
    form_class = LinkPersonForm
    template_name = "accounts/link_person.html"
    title = gettext_lazy("关联人员档案：%(user)s")

    def get_initial(self) -> dict[str, Any]:
        person = getattr(self.user, "person", None)
        return {"person": person.pk if person is not None else None}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "actor": self.actor}

    def form_valid(self, form: LinkPersonForm) -> HttpResponse:
        try:
            services.user_link_person(
                actor=self.actor, user=self.user, person=form.cleaned_data["person"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.form_invalid(form)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        return redirect("accounts:user_detail", pk=self.user.pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from lianxin.directory.models import Person

        ctx = super().get_context_data(**kwargs)
        q = self.request.GET.get("person_q", "").strip()
        ctx["person_q"] = q
        # Names, places and units only: personal data is not the administrator's business.
        ctx["candidates"] = (
            Person.objects.filter(name__icontains=q)
            .select_related("region", "account")
            .only("pk", "name", "work_unit", "region__name", "account__username")[:20]
            if q
            else []
        )
        return ctx


@requires(Perm.MANAGE_ACCOUNTS)
@require_POST
def user_set_active(request: HttpRequest, pk: int, active: bool) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    user = get_in_reach_or_404(actor, User, pk=pk)
    try:
        if active:
            services.user_enable(actor=actor, user=user)
            messages.success(request, _("账号已启用。"))
        else:
            services.user_disable(actor=actor, user=user)
            messages.success(request, _("账号已停用，其所有会话和API令牌已失效。"))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("accounts:user_detail", pk=user.pk)


# --- Role assignments: the security administrator ---------------------------------------


class AssignmentListView(ScopedListView):
    permission = Perm.MANAGE_ROLES
    model = RoleAssignment
    title = gettext_lazy("角色授权")
    columns = [
        Column("user", gettext_lazy("账号"), sort="user__username"),
        Column("get_role_display", gettext_lazy("角色"), sort="role"),
        Column("organisation", gettext_lazy("所属组织")),
        Column("title", gettext_lazy("职务说明")),
        FnColumn(_granted_label, gettext_lazy("状态"), sort="is_active"),
        Column("created_at", gettext_lazy("授权时间"), sort="created_at"),
    ]
    search_fields = ["user__username", "user__display_name", "title"]
    filterset_class = AssignmentFilter
    create_url_name = "accounts:assignment_create"
    detail_url_name = "accounts:assignment_revoke"
    default_ordering = ["user__username", "role", "pk"]
    select_related = ["user", "region", "station", "unit"]


class AssignmentCreateView(ActorRequiredMixin, generic.FormView):  # type: ignore[type-arg]
    permission = Perm.MANAGE_ROLES
    template_name = "staff/form.html"
    form_class = AssignmentForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "actor": self.actor}

    def form_valid(self, form: AssignmentForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            services.assignment_grant(
                actor=self.actor,
                user=data["user"],
                role=data["role"],
                region=data.get("region"),
                station=data.get("station"),
                unit=data.get("unit"),
                title=data.get("title", ""),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已授权。"))
        return redirect("accounts:assignment_list")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "title": _("新增角色授权")}


class AssignmentRevokeView(ActorRequiredMixin, generic.TemplateView):
    permission = Perm.MANAGE_ROLES
    template_name = "accounts/assignment_revoke.html"

    def get_assignment(self) -> RoleAssignment:
        return get_in_reach_or_404(
            self.actor,
            RoleAssignment.objects.select_related("user", "region", "station", "unit"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        assignment = self.get_assignment()
        return {
            **super().get_context_data(**kwargs),
            "assignment": assignment,
            "title": _("角色授权：%(a)s") % {"a": assignment},
        }

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assignment = self.get_assignment()
        services.assignment_revoke(actor=self.actor, assignment=assignment)
        messages.success(request, _("已撤销授权：%(a)s") % {"a": assignment})
        return HttpResponseRedirect(reverse("accounts:assignment_list"))


# --- The API token of one's own account ---------------------------------------------------


@requires(Perm.USE_API_TOKEN)
def api_token(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    new_key = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.token_revoke(actor=actor)
            messages.success(request, _("API令牌已撤销。"))
            return redirect("accounts:api_token")
        new_key = services.token_create(actor=actor).key
    token = Token.objects.filter(user=actor.user).first()
    return render(
        request,
        "accounts/api_token.html",
        {"token": token, "new_key": new_key, "title": _("API令牌")},
    )
