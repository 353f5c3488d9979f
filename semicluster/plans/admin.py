from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from semicluster.plans import models


@admin.register(models.Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "region_name", "year")


@admin.register(models.PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    list_display = ("plan", "number", "loaded_at", "loaded_by", "content_hash")
    readonly_fields = (
        "plan",
        "number",
        "content_hash",
        "document",
        "source_path",
        "source_text",
        "loaded_at",
        "loaded_by",
    )

    def has_add_permission(self, request: object) -> bool:
        return False  # versions come from plan files only: `semicluster plan load FILE`


@admin.register(models.Area)
class AreaAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "official_name", "source")
    filter_horizontal = ("focus_nodes",)


@admin.register(models.Town)
class TownAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "area")
    list_filter = ("area",)


@admin.register(models.ChainSegment)
class ChainSegmentAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "name_en", "sort")


@admin.register(models.ChainNode)
class ChainNodeAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "segment", "industry_codes", "priority")
    list_filter = ("segment", "priority")
    search_fields = ("code", "name", "name_en")


@admin.register(models.Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ("code", "short_name", "name")


@admin.register(models.DesignationType)
class DesignationTypeAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "level", "authority", "validity_years")


@admin.register(models.Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "target", "unit", "deadline", "source", "plan_version")
    list_filter = ("plan_version",)


@admin.register(models.KeyTechnology)
class KeyTechnologyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "source", "plan_version")


@admin.register(models.Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "source", "lead_unit", "deadline", "plan_version")
    list_filter = ("plan_version", "lead_unit")
