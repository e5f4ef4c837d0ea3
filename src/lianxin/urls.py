"""URL map. Staff pages under /staff/, the deputy's phone pages under /m/, the citizens'
portal under /p/, the API under /api/v1/. With LIANXIN_SITE_FACE=public only the portal is
served (SEC-6)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from lianxin import views
from lianxin.activities.urls import MOBILE as duty_mobile_patterns
from lianxin.activities.urls_act import MOBILE as activity_mobile_patterns
from lianxin.cases.urls import MOBILE as case_mobile_patterns

public_patterns = [
    path("p/", include("lianxin.portal.urls")),
    path("open311/v2/", include("lianxin.cases.open311_urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
]

# The deputy's phone pages behind the bottom tab bar (UI.md); 首页 is ``home``.
mobile_patterns = [
    path("me/", views.mobile_me, name="me"),
    path("me/qr/", views.mobile_qr_print, name="qr_print"),
    *case_mobile_patterns,
    *duty_mobile_patterns,  # 值班: "我的值班" is mobile:duty (activities/urls_setup.py)
    *activity_mobile_patterns,
    path("record/", views.mobile_record, name="record"),
]

staff_patterns = [
    path("", views.home, name="home"),
    path("m/", include((mobile_patterns, "mobile"))),
    path("accounts/", include("lianxin.accounts.urls")),
    path("staff/regions/", include("lianxin.regions.urls")),
    path("staff/calendar/", include("lianxin.holidays.urls")),
    path("staff/directory/", include("lianxin.directory.urls")),
    path("staff/audit/", include("lianxin.audit.urls")),
    path("staff/case-slips/", include("lianxin.cases.slip_urls")),
    path("staff/cases/", include("lianxin.cases.urls")),
    path("staff/duty/", include("lianxin.activities.urls")),
    path("staff/activities/", include("lianxin.activities.urls_act")),
    path("inbox/", include("lianxin.notifications.urls")),
    path("api/v1/", include("lianxin.api_urls")),
    path("admin/", admin.site.urls),
]

urlpatterns = public_patterns + (staff_patterns if settings.SITE_FACE != "public" else [])

handler404 = "lianxin.views.not_found"
handler500 = "lianxin.views.server_error"
handler403 = "lianxin.views.forbidden"
