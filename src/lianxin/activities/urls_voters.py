"""URLs of the voters pages (VOT-1, VOT-4). STAFF is mounted under /staff/activities/
(namespace "activities"), MOBILE under /m/ (namespace "mobile")."""

from django.urls import URLPattern, path

from lianxin.activities import views_voters as v

STAFF: list[URLPattern] = [
    path("voters/contacts/", v.contact_list, name="voter_contacts"),
    path("voters/deeds/", v.deed_list, name="voter_deeds"),
    path("voters/callbacks/", v.callback_home, name="voter_callbacks"),
    path("voters/callbacks/<int:pk>/", v.callback_sheet, name="voter_callback"),
    path("voters/grid/", v.grid_behind, name="voter_grid"),
    path("voters/reports/", v.report_list, name="voter_reports"),
    path("voters/committee/", v.committee_coverage, name="voter_committee"),
]
MOBILE: list[URLPattern] = [
    path("voters/", v.mobile_voters, name="voters"),
    path("voters/new/", v.mobile_voter_new, name="voter_new"),
    path("voters/<int:pk>/edit/", v.mobile_voter_edit, name="voter_edit"),
    path("voters/contact/", v.mobile_contact_new, name="voter_contact_new"),
    path("voters/deeds/", v.mobile_deeds, name="voter_deeds"),
    path("voters/grid/", v.mobile_grid, name="voter_grid"),
    path("voters/reports/", v.mobile_reports, name="voter_reports"),
    path("voters/committee/", v.mobile_committee, name="voter_committee"),
]
