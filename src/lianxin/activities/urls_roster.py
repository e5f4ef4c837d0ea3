"""URLs of the duty roster pages (DUTY). STAFF is mounted under /staff/duty/ (namespace "duty"),
MOBILE under /m/ (namespace "mobile")."""

from django.urls import URLPattern

STAFF: list[URLPattern] = []
MOBILE: list[URLPattern] = []
