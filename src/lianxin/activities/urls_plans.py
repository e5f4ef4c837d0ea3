"""URLs of the plan pages (ACT-1 station annual activity plans, ACT-3 training plans). STAFF is
mounted under /staff/activities/ (namespace "activities")."""

from django.urls import URLPattern, path

from lianxin.activities import views_plans as pv

STAFF: list[URLPattern] = [
    path("training/", pv.training_list, name="training_list"),
    path("training/new/", pv.training_create, name="training_create"),
    path("training/<int:pk>/", pv.training_detail, name="training_detail"),
    path("training/<int:pk>/edit/", pv.training_edit, name="training_edit"),
    path("training/<int:pk>/export/", pv.training_export, name="training_export"),
    path("plans/", pv.plan_list, name="plan_list"),
    path("plans/new/", pv.plan_create, name="plan_create"),
    path("plans/<int:pk>/", pv.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", pv.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/items/new/", pv.plan_item_add, name="plan_item_add"),
    path("plans/items/<int:pk>/edit/", pv.plan_item_edit, name="plan_item_edit"),
    path("plans/items/<int:pk>/delete/", pv.plan_item_delete, name="plan_item_delete"),
]
