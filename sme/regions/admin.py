from django.contrib import admin

from sme.core.admin import ReadOnlyAdmin

from .models import Region, Zone, ZoneGrouping, ZoneMembership


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "level", "parent", "valid_from", "valid_to", "successor"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


@admin.register(ZoneGrouping)
class ZoneGroupingAdmin(ReadOnlyAdmin):
    list_display = ["key", "name", "valid_from", "valid_to"]


@admin.register(Zone)
class ZoneAdmin(ReadOnlyAdmin):
    list_display = ["key", "name", "grouping", "parent"]


@admin.register(ZoneMembership)
class ZoneMembershipAdmin(ReadOnlyAdmin):
    list_display = ["zone", "region", "valid_from", "valid_to"]
    list_filter = ["zone"]
