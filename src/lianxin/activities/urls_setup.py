"""URLs of the duty setup pages (DUTY). STAFF is mounted under /staff/duty/ (namespace "duty"),
MOBILE under /m/ (namespace "mobile"): patterns, the pool, leave and swap approval for staff;
the deputy's "我的值班" (``mobile:duty``), a shift, swaps and leave on his phone."""

from django.urls import URLPattern, path

from lianxin.activities import views_setup as views

STAFF: list[URLPattern] = [
    path("patterns/", views.PatternList.as_view(), name="pattern_list"),
    path("patterns/new/", views.pattern_form, name="pattern_create"),
    path("patterns/<int:pk>/", views.pattern_detail, name="pattern_detail"),
    path("patterns/<int:pk>/edit/", views.pattern_form, name="pattern_edit"),
    path("patterns/<int:pk>/active/", views.pattern_active, name="pattern_active"),
    path("pool/", views.PoolList.as_view(), name="pool_list"),
    path("pool/new/", views.pool_create, name="pool_create"),
    path("pool/bulk/", views.pool_bulk, name="pool_bulk"),
    path("pool/<int:pk>/edit/", views.pool_edit, name="pool_edit"),
    path("leave/", views.LeaveList.as_view(), name="leave_list"),
    path("leave/new/", views.leave_create, name="leave_create"),
    path("leave/<int:pk>/", views.LeaveDetail.as_view(), name="leave_detail"),
    path("leave/<int:pk>/cancel/", views.leave_cancel, name="leave_cancel"),
    path("swaps/", views.SwapList.as_view(), name="swap_list"),
    path("swaps/<int:pk>/", views.swap_detail, name="swap_detail"),
    path("swaps/<int:pk>/decide/", views.swap_decide, name="swap_decide"),
]
MOBILE: list[URLPattern] = [
    path("duty/", views.mobile_duty, name="duty"),
    path("duty/shifts/<int:pk>/", views.mobile_shift, name="duty_shift"),
    path("duty/swaps/", views.mobile_swaps, name="duty_swaps"),
    path("duty/leave/", views.mobile_leave, name="duty_leave"),
]
