"""Staff pages of the closed loop under /staff/cases/ (CASE); the deputy's phone pages are
in ``MOBILE`` and mounted under /m/cases/ (lianxin.urls)."""

from django.urls import path

from lianxin.cases import views, views_phone

app_name = "cases"

urlpatterns = [
    path("", views.CaseQueue.as_view(), name="case_list"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/act/<slug:action>/", views.case_act, name="case_act"),
    path("<int:pk>/reveal/", views.case_reveal, name="case_reveal"),
    path("inbox/", views.inbox, name="inbox"),
    path("overdue/", views.overdue, name="overdue"),
    path("phone/", views_phone.phone_check, name="phone_check"),
    path("intake/", views.intake, name="intake"),
    path("intake/receipts/", views.intake_receipts, name="intake_receipts"),
    path("figures/", views.figures_page, name="figures"),
    path("figures/export/", views.figures_export, name="figures_export"),
    path("categories/", views.CategoryList.as_view(), name="category_list"),
    path("categories/new/", views.CategoryForm.as_view(), name="category_create"),
    path("categories/<int:pk>/edit/", views.CategoryForm.as_view(), name="category_edit"),
    path("unit-figures/", views.unit_figures, name="unit_figures"),
    path("reply-templates/", views.ReplyTemplateList.as_view(), name="replytemplate_list"),
    path("reply-templates/new/", views.ReplyTemplateForm.as_view(), name="replytemplate_create"),
    path(
        "reply-templates/<int:pk>/edit/",
        views.ReplyTemplateForm.as_view(),
        name="replytemplate_edit",
    ),
    path(
        "reply-templates/<int:pk>/delete/",
        views.reply_template_delete,
        name="replytemplate_delete",
    ),
    path("procedures/", views.procedure_list, name="procedure_list"),
    path("procedures/start/<int:pk>/", views.procedure_start, name="procedure_start"),
    path("procedures/<int:pk>/edit/", views.ProcedureForm.as_view(), name="procedure_edit"),
    path("deadlines/", views.RuleList.as_view(), name="rule_list"),
    path("deadlines/new/", views.RuleForm.as_view(), name="rule_create"),
    path("deadlines/<int:pk>/edit/", views.RuleForm.as_view(), name="rule_edit"),
]

# The deputy's phone pages (UI.md), in the ``mobile`` namespace.
MOBILE = [
    path("cases/", views.my_cases, name="cases"),
    path("cases/<int:pk>/", views.mobile_case_detail, name="case_detail"),
    path("cases/figures/", views.my_figures, name="case_figures"),
    path("cases/new/", views.intake, name="case_new"),
    path("cases/receipts/", views.intake_receipts, name="case_receipts"),
]
