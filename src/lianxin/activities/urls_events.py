"""URLs of the events pages (ACT-1, ACT-2, PERF-3). STAFF is mounted under /staff/activities/
(namespace "activities"), MOBILE under /m/ (namespace "mobile")."""

from django.urls import URLPattern, path

from lianxin.activities import views_events as ev

STAFF: list[URLPattern] = [
    path("events/", ev.event_list, name="event_list"),
    path("events/new/", ev.event_create, name="event_create"),
    path("events/pending/", ev.event_pending, name="event_pending"),
    path("events/groups/", ev.group_minimums, name="group_minimums"),
    path("events/<int:pk>/", ev.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", ev.event_edit, name="event_edit"),
    path("events/<int:pk>/outcome/", ev.event_outcome, name="event_outcome"),
    path("events/<int:pk>/cancel/", ev.event_cancel, name="event_cancel"),
    path("events/<int:pk>/held/", ev.event_held, name="event_held"),
    path("events/<int:pk>/invite/", ev.event_invite, name="event_invite"),
    path("events/<int:pk>/signin-qr/", ev.event_signin_screen, name="event_signin_screen"),
    path("events/<int:pk>/opinions/", ev.event_opinions, name="event_opinions"),
    path("events/<int:pk>/photos/", ev.event_photo_add, name="event_photo_add"),
    path("events/<int:pk>/decide/", ev.event_decide, name="event_decide"),
    path("events/photos/<int:pk>/", ev.event_photo, name="event_photo"),
    path("events/participants/<int:pk>/mark/", ev.participant_mark, name="participant_mark"),
]
MOBILE: list[URLPattern] = [
    path("activities/", ev.mobile_activities, name="activities"),
    path("activities/<int:pk>/", ev.mobile_activity, name="activity_detail"),
    path("activities/report/", ev.mobile_report, name="activity_report"),
    path("activities/groups/", ev.mobile_group_minimums, name="activity_groups"),
    path("activities/signin/<str:key>/<str:code>/", ev.mobile_signin, name="activity_signin"),
]
