"""Forms of the administrators' pages (三员分立). Each validates in Chinese and keeps input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import (
    password_validators_help_text_html,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.models import Role, RoleAssignment, User
from lianxin.accounts.permissions import Perm
from lianxin.common.forms import StaffForm, StaffModelForm


class _PasswordPair(StaffForm):
    password1 = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("再次输入密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def password_user(self) -> User | None:
        return None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif p1:
            try:
                validate_password(p1, self.password_user())
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class UserCreateForm(_PasswordPair):
    username = forms.CharField(
        label=_("账号名"),
        max_length=150,
        help_text=_("登录时使用，字母、数字及 @.+-_ 。"),
    )
    display_name = forms.CharField(label=_("显示名称"), max_length=50, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)

    field_order = ["username", "display_name", "email", "password1", "password2"]

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        User.username_validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("该账号名已被使用。"))
        return username

    def password_user(self) -> User | None:
        return User(
            username=self.data.get("username", ""),
            display_name=self.data.get("display_name", ""),
            email=self.data.get("email", ""),
        )


class PasswordResetForm(_PasswordPair):
    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def password_user(self) -> User | None:
        return self.user


class UserEditForm(StaffModelForm):
    class Meta:
        model = User
        fields = ["display_name", "email", "first_name", "last_name"]


class LinkPersonForm(StaffForm):
    person = forms.IntegerField(
        label=_("人员编号"),
        required=False,
        min_value=1,
        help_text=_("在下方按姓名查找人员，填入其编号；留空则解除关联。"),
    )

    def clean_person(self) -> Any:
        from lianxin.directory.models import Person

        pk = self.cleaned_data.get("person")
        if pk is None:
            return None
        person = Person.objects.filter(pk=pk).first()
        if person is None:
            raise ValidationError(_("没有这个编号的人员。"))
        return person


class AssignmentForm(StaffModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "region", "station", "unit", "title"]
        help_texts = {
            "region": _("人大机关、主任会议成员角色须指定区域。"),
            "station": _("联络站工作人员角色须指定联络站。"),
            "unit": _("承办单位工作人员角色须指定承办单位。"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from lianxin.directory.models import HandlingUnit, Station

        # The security administrator grants roles in any organisation: he sees their names
        # (not their records), so the choices are not narrowed to a reach he does not have.
        if self.actor is not None and self.actor.has(Perm.MANAGE_ROLES):
            self.fields["station"].queryset = Station.objects.all()  # type: ignore[attr-defined]
            self.fields["unit"].queryset = HandlingUnit.objects.all()  # type: ignore[attr-defined]
            self.fields["user"].queryset = User.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["role"].choices = [("", "---------"), *Role.choices]  # type: ignore[attr-defined]

    def validate_unique(self) -> None:
        """Uniqueness is the grant service's business (it re-activates a revoked grant)."""


# --- The second factor (SEC-3) --------------------------------------------------------------


class OneTimeCodeForm(StaffForm):
    """A 6-digit code from the app or an SMS (at login also a recovery code)."""

    code = forms.CharField(
        label=_("验证码"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "class": "form-control form-control-lg",
            }
        ),
        error_messages={"required": _("请输入验证码。")},
    )

    def __init__(self, *args: Any, allow_recovery: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allow_recovery = allow_recovery
        if allow_recovery:
            self.fields["code"].widget.attrs["inputmode"] = "text"
            self.fields["code"].help_text = _(
                "输入6位动态验证码；手机不在身边时，可输入一个恢复码（如 K7PM2-XQ9RB）。"
            )

    def clean_code(self) -> str:
        from lianxin.accounts import mfa

        code: str = self.cleaned_data["code"].strip()
        digits = mfa.normalise_digits(code)
        if len(digits) == mfa.DIGITS and digits.isdigit():
            return digits
        if self.allow_recovery and mfa.looks_like_recovery_code(code):
            return mfa.normalise_recovery(code)
        if self.allow_recovery:
            raise ValidationError(_("请输入6位数字验证码或10位恢复码。"))
        raise ValidationError(_("请输入6位数字验证码。"))


class SmsPhoneForm(StaffForm):
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("登录时验证码将发送到这个号码。"),
    )

    def __init__(self, *args: Any, profile_phone: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.profile_phone = profile_phone
        if profile_phone:
            self.fields["phone"].help_text = _(
                "留空则使用人员档案中的手机号；登录时验证码将发送到这个号码。"
            )

    def clean_phone(self) -> str:
        from lianxin.accounts import mfa

        raw: str = self.cleaned_data.get("phone", "")
        if not raw.strip():
            if self.profile_phone and mfa.valid_mobile(self.profile_phone):
                return mfa.valid_mobile(self.profile_phone) or ""
            raise ValidationError(_("请输入手机号码。"))
        phone = mfa.valid_mobile(raw)
        if phone is None:
            raise ValidationError(_("请输入有效的11位手机号码，如 13800138000。"))
        return phone


class ConfirmPasswordForm(StaffForm):
    password = forms.CharField(
        label=_("当前密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("请输入当前密码。")},
    )

    def __init__(self, *args: Any, user: User, address: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.address = address

    def clean_password(self) -> str:
        """Checked like a login: throttled before hashing, failures counted (SEC-3)."""
        from lianxin.accounts import throttle

        password: str = self.cleaned_data["password"]
        username = self.user.get_username()
        wait = throttle.seconds_to_wait(username, self.address)
        if wait:
            raise ValidationError(_("尝试过于频繁，请 %(seconds)d 秒后再试。") % {"seconds": wait})
        if not self.user.check_password(password):
            throttle.register_failure(username, self.address)
            raise ValidationError(_("密码不正确。"))
        return password


class OwnPasswordForm(StaffForm):
    """Changing one's own password: the old one, and the new one twice (SEC-3)."""

    old_password = forms.CharField(
        label=_("原密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password1 = forms.CharField(
        label=_("新密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少 10 位，包含小写字母、大写字母、数字、符号中的至少三类。"),
    )
    new_password2 = forms.CharField(
        label=_("再次输入新密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        return data
