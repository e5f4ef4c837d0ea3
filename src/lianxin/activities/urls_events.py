"""URLs of the events pages (ACT, VOT, PERF-1). STAFF is mounted under /staff/activities/
(namespace "activities"), MOBILE under /m/ (namespace "mobile")."""

from django.urls import URLPattern

STAFF: list[URLPattern] = []
MOBILE: list[URLPattern] = []
