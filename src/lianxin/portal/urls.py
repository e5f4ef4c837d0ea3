"""The citizens' portal under /p/ (ORG-13, SEC-6, CASE-1, CASE-9). These are the only routes a
public-only deployment serves."""

from django.urls import path, register_converter

from lianxin.portal import views


class PublicKeyConverter:
    """A public key: 128 bits, URL-safe base64 (common.models.new_public_key)."""

    regex = "[A-Za-z0-9_-]{16,32}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class TrackingTokenConverter:
    """A tracking token (CASE-1): at least 128 bits; only its hash is stored."""

    regex = "[A-Za-z0-9_-]{32,128}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PublicKeyConverter, "pkey")
register_converter(TrackingTokenConverter, "token")

app_name = "portal"

urlpatterns = [
    path("d/<pkey:key>/", views.deputy, name="deputy"),
    path("d/<pkey:key>/opinion/", views.deputy_opinion, name="deputy_opinion"),
    path("d/<pkey:key>/qr.svg", views.deputy_qr_svg, name="deputy_qr_svg"),
    path("d/<pkey:key>/qr.png", views.deputy_qr_png, name="deputy_qr_png"),
    path("s/<pkey:key>/", views.station, name="station"),
    path("s/<pkey:key>/opinion/", views.station_opinion, name="station_opinion"),
    path("s/<pkey:key>/qr.svg", views.station_qr_svg, name="station_qr_svg"),
    path("s/<pkey:key>/qr.png", views.station_qr_png, name="station_qr_png"),
    path("opinion/", views.opinion, name="opinion"),
    path("track/", views.track, name="track"),
    # The secret tracking link: never logged in clear (lianxin.common.logging), no Referer.
    path("t/<token:token>/", views.tracking, name="tracking"),
    path("t/<token:token>/qr.svg", views.tracking_qr, name="tracking_qr"),
    path("t/<token:token>/photos/<int:pk>/", views.tracking_photo, name="tracking_photo"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("c/<int:congress_id>/plans/", views.plans, name="plans"),
    path("c/<int:congress_id>/plans/<int:year>/", views.plan, name="plan"),
]
