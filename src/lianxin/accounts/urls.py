from django.urls import path

from lianxin.accounts import mfa_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", mfa_views.login_verify, name="login_verify"),
    path("logout/", views.logout_view, name="logout"),
    # The second factor of one's own account (SEC-3).
    path("second-factor/", mfa_views.second_factor, name="second_factor"),
    path("second-factor/totp/", mfa_views.second_factor_totp, name="second_factor_totp"),
    path("second-factor/sms/", mfa_views.second_factor_sms, name="second_factor_sms"),
    path("second-factor/codes/", mfa_views.second_factor_codes, name="second_factor_codes"),
    path("second-factor/remove/", mfa_views.second_factor_remove, name="second_factor_remove"),
    path("switch-role/", views.switch_role, name="switch_role"),
    path("password/", mfa_views.password_change, name="password_change"),
    path("token/", views.api_token, name="api_token"),
    # The system administrator: accounts.
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/new/", views.UserCreateView.as_view(), name="user_create"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("users/<int:pk>/edit/", views.UserEditView.as_view(), name="user_edit"),
    path("users/<int:pk>/password/", views.UserPasswordView.as_view(), name="user_password"),
    path("users/<int:pk>/person/", views.UserLinkPersonView.as_view(), name="user_person"),
    path(
        "users/<int:pk>/disable/",
        views.user_set_active,
        {"active": False},
        name="user_disable",
    ),
    path("users/<int:pk>/enable/", views.user_set_active, {"active": True}, name="user_enable"),
    path(
        "users/<int:pk>/second-factor/reset/",
        mfa_views.user_second_factor_reset,
        name="user_second_factor_reset",
    ),
    # The security administrator: role assignments.
    path("assignments/", views.AssignmentListView.as_view(), name="assignment_list"),
    path("assignments/new/", views.AssignmentCreateView.as_view(), name="assignment_create"),
    path(
        "assignments/<int:pk>/",
        views.AssignmentRevokeView.as_view(),
        name="assignment_revoke",
    ),
]
