"""The slips of a case (CASE-6) under /staff/case-slips/."""

from django.urls import path

from lianxin.cases import slip_views

app_name = "case_slips"

urlpatterns = [
    path("<int:pk>/<slug:kind>/", slip_views.slip, name="slip"),
]
