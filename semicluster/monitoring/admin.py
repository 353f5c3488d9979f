from django.contrib import admin

from semicluster.monitoring import models


@admin.register(models.IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    """Read-only: rows are computed by `semicluster indicators refresh`, never typed in."""

    list_display = ("goal", "year", "month", "scope_kind", "scope_key", "value", "forecast", "status")
    list_filter = ("plan_version", "scope_kind", "year", "status")
    search_fields = ("goal__code", "scope_key")
    list_select_related = ("goal",)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(models.FillState)
class FillStateAdmin(admin.ModelAdmin):
    list_display = ("plan_version", "state", "refreshed_at", "data_year", "data_month", "rows", "duration_ms")

    def has_add_permission(self, request: object) -> bool:
        return False
