from django.contrib import admin

from lianxin.directory.admin import ScopedAdmin
from lianxin.regions.models import Region


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ["name", "code", "level", "kind", "code_is_local"]
    list_filter = ["level", "code_is_local"]
    search_fields = ["name", "code"]
    readonly_fields = ["path", "depth"]
    raw_id_fields = ["parent"]
