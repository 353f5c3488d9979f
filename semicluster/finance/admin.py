from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from semicluster.finance import models


@admin.register(models.FinancingNeed)
class FinancingNeedAdmin(SimpleHistoryAdmin):
    list_display = ("enterprise", "instrument", "amount", "status", "provider", "submitted_on")
    list_filter = ("instrument", "status")
    search_fields = ("enterprise__name", "provider")
    autocomplete_fields = ("enterprise",)
    list_select_related = ("enterprise",)


@admin.register(models.ListingRecord)
class ListingRecordAdmin(SimpleHistoryAdmin):
    list_display = ("enterprise", "board", "stage", "sponsor", "listed_on")
    list_filter = ("board", "stage")
    search_fields = ("enterprise__name", "sponsor")
    autocomplete_fields = ("enterprise",)
    list_select_related = ("enterprise",)
