"""The product's URLs plus the bench's bare view (bench settings only)."""

from django.urls import path

from bench.load import views
from lianxin.urls import handler403, handler404, handler500
from lianxin.urls import urlpatterns as product_urls

urlpatterns = [
    path("bench/insert/", views.bare_insert, name="bench_insert"),
    path("bench/csrf/", views.csrf_token, name="bench_csrf"),
    *product_urls,
]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
