from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from semicluster.chain import models


class StepInline(admin.TabularInline):
    model = models.TargetStep
    extra = 0
    readonly_fields = ("stage", "on", "note", "actor", "recorded_at")
    can_delete = False


@admin.register(models.InvestmentTarget)
class InvestmentTargetAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "category",
        "country",
        "stage",
        "stage_on",
        "intended_area",
        "estimated_investment",
    )
    list_filter = ("category", "stage", "intended_area")
    search_fields = ("name", "name_en")
    filter_horizontal = ("nodes",)
    inlines = [StepInline]
    readonly_fields = ("stage", "stage_on", "project")


@admin.register(models.TargetStep)
class TargetStepAdmin(admin.ModelAdmin):
    list_display = ("target", "stage", "on", "actor", "recorded_at")
    list_filter = ("stage",)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class MemberInline(admin.TabularInline):
    model = models.CommunityMember
    extra = 0
    autocomplete_fields = ("enterprise",)


class ActionInline(admin.TabularInline):
    model = models.JointAction
    extra = 0


@admin.register(models.ChainCommunity)
class ChainCommunityAdmin(SimpleHistoryAdmin):
    list_display = ("name", "leader", "formed_on")
    search_fields = ("name", "leader__name")
    autocomplete_fields = ("leader",)
    filter_horizontal = ("nodes",)
    inlines = [MemberInline, ActionInline]
