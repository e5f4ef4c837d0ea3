from django.urls import path

from lianxin.holidays import views

app_name = "holidays"

urlpatterns = [
    path("", views.year_list, name="year_list"),
    path("import/", views.import_sheet, name="import"),
    path("<int:year>/", views.year_detail, name="year_detail"),
    path("<int:year>/edit/", views.year_edit, name="year_edit"),
]
