"""Duty rosters (DUTY): staff pages under /staff/duty/, the deputy's under /m/duty/.

Each area keeps its own URL module — the roster and its solver, the setup (patterns, pool,
leave, swaps), attendance (check-in, 空岗, allowances) — joined here."""

from lianxin.activities import urls_attendance, urls_roster, urls_setup

app_name = "duty"

urlpatterns = [*urls_setup.STAFF, *urls_roster.STAFF, *urls_attendance.STAFF]

MOBILE = [*urls_setup.MOBILE, *urls_roster.MOBILE, *urls_attendance.MOBILE]
