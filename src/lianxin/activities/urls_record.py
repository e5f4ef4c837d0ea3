"""URLs of the record pages (ACT, VOT, PERF-1). STAFF is mounted under /staff/activities/
(namespace "activities"), MOBILE under /m/ (namespace "mobile"). The deputy's own record is
``mobile:record`` (lianxin/urls.py, lianxin/views.py)."""

from django.urls import URLPattern, path

from lianxin.activities import views_record

STAFF: list[URLPattern] = [
    path("record/<int:pk>/", views_record.person_record, name="record_person"),
    path("record/<int:pk>/export/", views_record.person_record_export, name="record_export"),
]
MOBILE: list[URLPattern] = []
