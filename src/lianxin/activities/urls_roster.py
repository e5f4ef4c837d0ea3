"""URLs of the duty roster pages (DUTY). STAFF is mounted under /staff/duty/ (namespace "duty"),
MOBILE under /m/ (namespace "mobile")."""

from django.urls import URLPattern, path

from lianxin.activities import views_roster as views

STAFF: list[URLPattern] = [
    path("rosters/", views.RosterList.as_view(), name="roster_list"),
    path("rosters/new/", views.roster_create, name="roster_create"),
    path("rosters/<int:pk>/", views.roster_detail, name="roster_detail"),
    path("rosters/<int:pk>/edit/", views.roster_edit, name="roster_edit"),
    path("rosters/<int:pk>/generate/", views.roster_generate, name="roster_generate"),
    path("rosters/<int:pk>/solve/", views.roster_solve, name="roster_solve"),
    path("rosters/<int:pk>/publish/", views.roster_publish, name="roster_publish"),
    path("rosters/<int:pk>/export/", views.roster_export, name="roster_export"),
    path("shifts/<int:pk>/", views.shift_edit, name="shift_edit"),
]
MOBILE: list[URLPattern] = []
