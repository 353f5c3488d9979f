from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from semicluster.enterprises import models


class DesignationInline(admin.TabularInline):
    model = models.Designation
    extra = 0


@admin.register(models.Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ("name", "credit_code", "area", "town", "primary_node", "tier", "ownership")
    list_filter = ("area", "tier", "ownership", "listing_board", "primary_node__segment")
    search_fields = ("name", "name_en", "credit_code")
    autocomplete_fields = ("primary_node",)
    filter_horizontal = ("secondary_nodes",)
    inlines = [DesignationInline]
    readonly_fields = ("tier", "tier_year")


@admin.register(models.PeriodValue)
class PeriodValueAdmin(SimpleHistoryAdmin):
    list_display = ("enterprise", "measure", "year", "period_type", "period", "basis", "value", "source")
    list_filter = ("measure", "year", "period_type", "source")
    search_fields = ("enterprise__name", "enterprise__credit_code")
    autocomplete_fields = ("enterprise",)
    list_select_related = ("enterprise",)


@admin.register(models.Designation)
class DesignationAdmin(SimpleHistoryAdmin):
    list_display = ("enterprise", "designation_type", "level", "granted", "expires")
    list_filter = ("designation_type", "level")
    autocomplete_fields = ("enterprise",)


@admin.register(models.InnovationPlatform)
class InnovationPlatformAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "level", "area", "named_in_plan")
    list_filter = ("kind", "named_in_plan")
    filter_horizontal = ("fields", "enterprises")
