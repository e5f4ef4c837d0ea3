"""Open311 GeoReport v2 routes (API-2); served by the public face too."""

from django.urls import path

from lianxin.cases import open311

app_name = "open311"

urlpatterns = [
    path("services.json", open311.ServiceList.as_view(), name="services"),
    path("services/<slug:code>.json", open311.ServiceDefinition.as_view(), name="service"),
    path("requests.json", open311.RequestList.as_view(), name="requests"),
    path("requests/<str:number>.json", open311.RequestDetail.as_view(), name="request"),
]
