"""/api/v1/ (API-1): one router for every app's viewsets, the OpenAPI schema, the docs page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from lianxin.common.api_registry import register_all

router = DefaultRouter()
register_all(router)


class PublicSchemaView(SpectacularAPIView):
    public = True
    permission_classes: list = []


class PublicDocsView(SpectacularSwaggerView):
    public = True
    permission_classes: list = []


urlpatterns = [
    path("schema/", PublicSchemaView.as_view(), name="api-schema"),
    path("docs/", PublicDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
