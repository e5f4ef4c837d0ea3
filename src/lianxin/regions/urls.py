from django.urls import path

from lianxin.regions import views

app_name = "regions"

urlpatterns = [
    path("", views.RegionListView.as_view(), name="list"),
    path("new/", views.region_create, name="create"),
    path("import/", views.region_import, name="import"),
    path("<int:pk>/", views.RegionDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.region_edit, name="edit"),
]
