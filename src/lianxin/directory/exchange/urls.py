from django.urls import path

from lianxin.directory.exchange import views

app_name = "exchange"

urlpatterns = [
    path("import/", views.import_page, name="import"),
    path("jobs/<int:pk>/", views.job_page, name="job"),
    path("jobs/<int:pk>/confirm/", views.job_confirm, name="job_confirm"),
    path("template/<str:kind>/", views.template_download, name="template"),
    path("export/<str:kind>/", views.export_download, name="export"),
]
