from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from semicluster.cultivation import models


@admin.register(models.LeaderRound)
class LeaderRoundAdmin(SimpleHistoryAdmin):
    list_display = ("name", "data_year", "status", "published_on")
    list_filter = ("status", "data_year")


@admin.register(models.LeaderCandidate)
class LeaderCandidateAdmin(SimpleHistoryAdmin):
    list_display = ("enterprise", "round", "origin", "score", "adjustment", "decision")
    list_filter = ("round", "origin", "decision")
    search_fields = ("enterprise__name", "enterprise__credit_code")
    autocomplete_fields = ("enterprise",)
    list_select_related = ("enterprise", "round")


@admin.register(models.LeaderMember)
class LeaderMemberAdmin(SimpleHistoryAdmin):
    list_display = ("enterprise", "admission_round", "admitted_on", "exited_on")
    list_filter = ("admission_round",)
    search_fields = ("enterprise__name",)
    autocomplete_fields = ("enterprise",)
    list_select_related = ("enterprise", "admission_round")


@admin.register(models.LeaderReview)
class LeaderReviewAdmin(admin.ModelAdmin):
    list_display = ("data_year", "run_on", "members_reviewed")


@admin.register(models.ExitFlag)
class ExitFlagAdmin(SimpleHistoryAdmin):
    list_display = ("member", "review", "score", "resolution")
    list_filter = ("resolution", "review")
