from django.urls import include, path

from lianxin.directory import printing, views, views_org, views_standards

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

# Station standards and inspections (ORG-6), handover (CASE-12).
vs = views_standards
urlpatterns += [
    *crud("checklist", "checklists", vs.ChecklistList, vs.ChecklistDetail, vs.ChecklistFormView),
    path("checklists/templates/", vs.checklist_templates, name="checklist_templates"),
    path("checklist-items/new/", vs.ChecklistItemFormView.as_view(), name="checklistitem_create"),
    path(
        "checklist-items/<int:pk>/edit/",
        vs.ChecklistItemFormView.as_view(),
        name="checklistitem_edit",
    ),
    path(
        "checklist-items/<int:pk>/delete/",
        vs.checklist_item_delete,
        name="checklistitem_delete",
    ),
    path("inspections/", vs.InspectionList.as_view(), name="inspection_list"),
    path("inspections/new/", vs.inspection_create, name="inspection_create"),
    path("inspections/missing/", vs.inspection_missing, name="inspection_missing"),
    path("inspections/<int:pk>/", vs.InspectionDetail.as_view(), name="inspection_detail"),
    path("inspections/<int:pk>/edit/", vs.inspection_edit, name="inspection_edit"),
    path("persons/<int:pk>/handover/", vs.person_handover, name="person_handover"),
    path("vacancies/", vs.vacancies, name="vacancies"),
]

# Groups, grids, standing committee links, the expert pool (ORG-8, ORG-9, ORG-10, ORG-12).
o = views_org
urlpatterns += [
    *crud("group", "groups", o.DeputyGroupList, o.DeputyGroupDetail, o.DeputyGroupForm),
    *crud(
        "groupmember",
        "group-members",
        o.GroupMembershipList,
        o.GroupMembershipDetail,
        o.GroupMembershipForm,
    ),
    path("group-members/<int:pk>/end/", o.groupmember_end, name="groupmember_end"),
    *crud("grid", "grids", o.GridList, o.GridDetail, o.GridForm),
    *crud("gridmember", "grid-members", o.GridMemberList, o.GridMemberDetail, o.GridMemberForm),
    path("grid-members/<int:pk>/end/", o.gridmember_end, name="gridmember_end"),
    *crud("link", "links", o.CommitteeLinkList, o.CommitteeLinkDetail, o.CommitteeLinkForm),
    path("links/<int:pk>/end/", o.link_end, name="link_end"),
    path("congresses/<int:pk>/links/", o.link_coverage, name="link_coverage"),
    *crud("expert", "experts", o.ExpertList, o.ExpertDetail, o.ExpertForm),
    *crud(
        "expertassignment",
        "expert-assignments",
        o.ExpertAssignmentList,
        o.ExpertAssignmentDetail,
        o.ExpertAssignmentForm,
    ),
    path(
        "expert-assignments/<int:pk>/end/",
        o.expertassignment_end,
        name="expertassignment_end",
    ),
    *crud(
        "expertcontribution",
        "expert-contributions",
        o.ExpertContributionList,
        o.ExpertContributionDetail,
        o.ExpertContributionForm,
    ),
]
