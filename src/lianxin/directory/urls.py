from django.urls import include, path

from lianxin.directory import printing, views

app_name = "directory"


def crud(key: str, prefix: str, list_view, detail_view, form_view) -> list:  # type: ignore[no-untyped-def]
    return [
        path(f"{prefix}/", list_view.as_view(), name=f"{key}_list"),
        path(f"{prefix}/new/", form_view.as_view(), name=f"{key}_create"),
        path(f"{prefix}/<int:pk>/", detail_view.as_view(), name=f"{key}_detail"),
        path(f"{prefix}/<int:pk>/edit/", form_view.as_view(), name=f"{key}_edit"),
    ]


v = views
urlpatterns = [
    *crud("congress", "congresses", v.CongressList, v.CongressDetail, v.CongressForm),
    *crud("term", "terms", v.TermList, v.TermDetail, v.TermForm),
    *crud("session", "sessions", v.SessionList, v.SessionDetail, v.SessionForm),
    *crud("body", "bodies", v.BodyList, v.BodyDetail, v.BodyForm),
    *crud(
        "bodymember",
        "body-members",
        v.BodyMembershipList,
        v.BodyMembershipDetail,
        v.BodyMembershipForm,
    ),
    *crud("workplan", "work-plans", v.WorkPlanList, v.WorkPlanDetail, v.WorkPlanForm),
    path("work-plans/<int:pk>/publish/", v.workplan_publish, name="workplan_publish"),
    *crud("delegation", "delegations", v.DelegationList, v.DelegationDetail, v.DelegationForm),
    *crud("person", "persons", v.PersonList, v.PersonDetail, v.PersonForm),
    path("persons/<int:pk>/reveal/", v.person_reveal, name="person_reveal"),
    *crud("mandate", "mandates", v.MandateList, v.MandateDetail, v.MandateForm),
    path("mandates/<int:pk>/end/", v.mandate_end, name="mandate_end"),
    *crud("station", "stations", v.StationList, v.StationDetail, v.StationForm),
    *crud(
        "stationstaff",
        "station-staff",
        v.StationStaffList,
        v.StationStaffDetail,
        v.StationStaffForm,
    ),
    *crud(
        "stationmember",
        "station-members",
        v.StationMembershipList,
        v.StationMembershipDetail,
        v.StationMembershipForm,
    ),
    *crud("unit", "units", v.UnitList, v.UnitDetail, v.UnitForm),
    *crud(
        "unitcontact", "unit-contacts", v.UnitContactList, v.UnitContactDetail, v.UnitContactForm
    ),
    path("exchange/", include("lianxin.directory.exchange.urls")),
    # QR posters and cards to print (ORG-13)
    path("print/", printing.bulk_print, name="print_codes"),
    path("persons/<int:pk>/print/poster/", printing.person_poster, name="person_poster"),
    path("persons/<int:pk>/print/card/", printing.person_card, name="person_card"),
    path("stations/<int:pk>/print/poster/", printing.station_poster, name="station_poster"),
    path("stations/<int:pk>/print/card/", printing.station_card, name="station_card"),
]
