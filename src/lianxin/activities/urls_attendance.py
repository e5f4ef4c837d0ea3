"""URLs of the duty attendance pages (DUTY). STAFF is mounted under /staff/duty/ (namespace "duty"),
MOBILE under /m/ (namespace "mobile")."""

from django.urls import URLPattern, path

from lianxin.activities import views_allowances as al
from lianxin.activities import views_attendance as at

STAFF: list[URLPattern] = [
    # Check-in and attendance (DUTY-3)
    path("attendance/", at.attendance_home, name="attendance_home"),
    path("stations/<int:pk>/today/", at.station_today, name="station_today"),
    path("stations/<int:pk>/checkin-qr/", at.checkin_screen, name="checkin_screen"),
    path("stations/<int:pk>/checkin-qr/code/", at.checkin_screen_code, name="checkin_screen_code"),
    path("stations/<int:pk>/checkin-printed/", at.checkin_printed, name="checkin_printed"),
    path("assignments/<int:pk>/confirm/", at.assignment_confirm, name="assignment_confirm"),
    path("assignments/<int:pk>/excuse/", at.assignment_excuse, name="assignment_excuse"),
    path("absences/", at.AbsenceList.as_view(), name="absence_list"),
    path("persons/<int:pk>/absences/", at.person_absences, name="person_absences"),
    path("units/attendance/", at.unit_report, name="unit_report"),
    path("units/attendance/export/", at.unit_report_export, name="unit_report_export"),
    # Allowances (DUTY-4)
    path("allowances/", al.allowance_home, name="allowance_home"),
    path("allowances/congress/<int:pk>/", al.allowance_congress, name="allowance_congress"),
    path("allowances/congress/<int:pk>/rate/", al.allowance_rate, name="allowance_rate"),
    path("allowances/congress/<int:pk>/compute/", al.allowance_compute, name="allowance_compute"),
    path("allowances/statements/<int:pk>/", al.allowance_statement, name="allowance_statement"),
    path(
        "allowances/statements/<int:pk>/recompute/",
        al.allowance_recompute,
        name="allowance_recompute",
    ),
    path("allowances/statements/<int:pk>/confirm/", al.allowance_confirm, name="allowance_confirm"),
    path("allowances/statements/<int:pk>/export/", al.allowance_export, name="allowance_export"),
    path(
        "allowances/statements/<int:pk>/export-bank/",
        al.allowance_export_bank,
        name="allowance_export_bank",
    ),
    path("allowances/recipients/", al.RecipientList.as_view(), name="recipient_list"),
    path(
        "allowances/recipients/create/",
        al.RecipientFormView.as_view(),
        name="recipient_create",
    ),
    path("allowances/recipients/<int:pk>/", al.RecipientDetail.as_view(), name="recipient_detail"),
    path(
        "allowances/recipients/<int:pk>/edit/",
        al.RecipientFormView.as_view(),
        name="recipient_edit",
    ),
    path("allowances/recipients/<int:pk>/reveal/", al.recipient_reveal, name="recipient_reveal"),
]
MOBILE: list[URLPattern] = [
    path("duty/checkin/", at.mobile_checkin_home, name="duty_checkin_home"),
    path("duty/checkin/<str:key>/<str:code>/", at.mobile_checkin, name="duty_checkin"),
]
