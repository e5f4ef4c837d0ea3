from django.urls import path

from lianxin.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("switch-role/", views.switch_role, name="switch_role"),
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
    # The security administrator: role assignments.
    path("assignments/", views.AssignmentListView.as_view(), name="assignment_list"),
    path("assignments/new/", views.AssignmentCreateView.as_view(), name="assignment_create"),
    path(
        "assignments/<int:pk>/",
        views.AssignmentRevokeView.as_view(),
        name="assignment_revoke",
    ),
]
