from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from semicluster.accountability import models


class MilestoneInline(admin.TabularInline):
    model = models.Milestone
    extra = 0


@admin.register(models.WorkItem)
class WorkItemAdmin(SimpleHistoryAdmin):
    list_display = ("code", "title", "lead_unit", "start", "deadline", "origin")
    list_filter = ("origin", "lead_unit", "plan_version")
    search_fields = ("code", "title", "title_en")
    filter_horizontal = ("co_units", "goals")
    inlines = [MilestoneInline]
    list_select_related = ("lead_unit",)


@admin.register(models.Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ("work_item", "key", "due", "description")
    list_select_related = ("work_item",)


@admin.register(models.ProgressUpdate)
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    list_display = ("work_item", "unit", "period_key", "reported_on", "percent", "done")
    list_filter = ("unit", "period_key", "done")
    search_fields = ("work_item__code", "text")
    list_select_related = ("work_item", "unit")


@admin.register(models.Escalation)
class EscalationAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "period_key", "issued_on", "replied_at")
    list_filter = ("unit", "period_key")
    list_select_related = ("unit",)


class DecisionInline(admin.TabularInline):
    model = models.Decision
    extra = 0


@admin.register(models.Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ("date", "title")
    inlines = [DecisionInline]


@admin.register(models.Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ("meeting", "text", "owner_unit", "deadline", "work_item")
    list_select_related = ("meeting", "owner_unit", "work_item")


class ParagraphInline(admin.TabularInline):
    model = models.BulletinParagraph
    extra = 0


@admin.register(models.Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    list_display = ("period_key", "as_of", "state", "issued_at")
    list_filter = ("state",)
    inlines = [ParagraphInline]

    # An issued bulletin is a record: the admin shows it and changes nothing.
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or not obj.is_issued

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or not obj.is_issued
