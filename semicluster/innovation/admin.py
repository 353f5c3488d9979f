from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from semicluster.innovation import models


@admin.register(models.RDProject)
class RDProjectAdmin(SimpleHistoryAdmin):
    list_display = ("title", "key_technology", "enterprise", "platform", "status", "budget", "start")
    list_filter = ("status", "key_technology__code", "is_demo")
    search_fields = ("title", "enterprise__name", "platform__name")
    autocomplete_fields = ("enterprise",)
    list_select_related = ("key_technology", "enterprise", "platform")
