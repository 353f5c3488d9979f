from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from semicluster.supply import models


@admin.register(models.Supplier)
class SupplierAdmin(SimpleHistoryAdmin):
    list_display = ("name", "name_en", "local_enterprise")
    search_fields = ("name", "name_en")
    autocomplete_fields = ("local_enterprise",)


@admin.register(models.SupplyAnswer)
class SupplyAnswerAdmin(SimpleHistoryAdmin):
    list_display = (
        "enterprise",
        "year",
        "category",
        "item",
        "supplier",
        "level",
        "country",
        "share",
        "purchase_value",
    )
    list_filter = ("year", "category", "level", "has_alternative", "source")
    search_fields = ("enterprise__name", "item", "supplier__name")
    autocomplete_fields = ("enterprise", "supplier")
    list_select_related = ("enterprise", "supplier")
