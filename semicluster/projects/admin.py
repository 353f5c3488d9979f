from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from semicluster.projects import models


class AnnualPlanInline(admin.TabularInline):
    model = models.AnnualPlan
    extra = 0


class ProblemInline(admin.TabularInline):
    model = models.Problem
    extra = 0
    fields = ("description", "category", "owner_unit", "deadline", "status")


@admin.register(models.Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "owner",
        "area",
        "node",
        "category",
        "stage",
        "total_investment",
        "in_library",
        "light",
    )
    list_filter = ("in_library", "area", "stage", "category", "light", "responsible_unit")
    search_fields = ("name", "owner__name", "owner__credit_code")
    autocomplete_fields = ("owner",)
    readonly_fields = ("light", "light_month", "light_reasons", "light_measures", "admission_note")
    list_select_related = ("owner", "area", "node")
    inlines = [AnnualPlanInline, ProblemInline]


@admin.register(models.AnnualPlan)
class AnnualPlanAdmin(SimpleHistoryAdmin):
    list_display = ("project", "year", "amount")
    list_filter = ("year",)
    search_fields = ("project__name",)


@admin.register(models.ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = ("project", "year", "month", "ytd_completed", "stage", "reported_at", "source")
    list_filter = ("year", "month", "source")
    search_fields = ("project__name",)
    list_select_related = ("project",)


@admin.register(models.Problem)
class ProblemAdmin(SimpleHistoryAdmin):
    list_display = ("project", "category", "owner_unit", "deadline", "status")
    list_filter = ("status", "category", "owner_unit")
    search_fields = ("project__name", "description")
    list_select_related = ("project", "owner_unit")


class TicketReplyInline(admin.TabularInline):
    model = models.TicketReply
    extra = 0
    readonly_fields = ("at",)


@admin.register(models.Ticket)
class TicketAdmin(SimpleHistoryAdmin):
    list_display = ("number", "project", "unit", "issued_on", "reply_deadline", "status")
    list_filter = ("status", "unit")
    search_fields = ("number", "project__name")
    list_select_related = ("project", "unit")
    inlines = [TicketReplyInline]


@admin.register(models.TicketReply)
class TicketReplyAdmin(admin.ModelAdmin):
    list_display = ("ticket", "author_name", "at")


@admin.register(models.LightChange)
class LightChangeAdmin(admin.ModelAdmin):
    list_display = ("project", "month", "previous", "colour", "trigger", "changed_at", "changed_by")
    list_filter = ("colour", "month")
    search_fields = ("project__name",)
    list_select_related = ("project", "changed_by")
