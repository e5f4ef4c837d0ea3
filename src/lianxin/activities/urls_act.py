"""Activities, training and voters (ACT, VOT, ORG-10) and the deputy's record (PERF-1): staff
pages under /staff/activities/, the deputy's under /m/. Each area keeps its own URL module."""

from lianxin.activities import urls_events, urls_plans, urls_record, urls_voters

app_name = "activities"

urlpatterns = [*urls_events.STAFF, *urls_plans.STAFF, *urls_voters.STAFF, *urls_record.STAFF]

MOBILE = [*urls_events.MOBILE, *urls_voters.MOBILE, *urls_record.MOBILE]
