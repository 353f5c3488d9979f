from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from semicluster.support import models


class CostItemInline(admin.TabularInline):
    model = models.CostItem
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = models.Attachment
    extra = 0
    readonly_fields = ("name", "content_type", "size", "sha256", "uploaded_at", "uploaded_by")
    exclude = ("file",)

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # uploads go through the service, which checks the content


class StepInline(admin.TabularInline):
    model = models.Step
    extra = 0
    can_delete = False
    readonly_fields = (
        "at",
        "action",
        "actor_name",
        "actor_role",
        "from_status",
        "to_status",
        "reason",
        "data",
    )
    exclude = ("actor",)

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(models.Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    list_display = (
        "number",
        "enterprise",
        "program_code",
        "year",
        "status",
        "computed_amount",
        "award_amount",
    )
    list_filter = ("status", "program_code", "year", "enterprise__area", "source")
    search_fields = ("number", "enterprise__name", "enterprise__credit_code", "product", "foundry")
    autocomplete_fields = ("enterprise",)
    list_select_related = ("enterprise",)
    readonly_fields = (
        "status",
        "applied_on",
        "submitted_at",
        "decided_at",
        "decision_reason",
        "computed_amount",
        "award_amount",
        "over_budget",
        "override_amount",
        "override_reason",
        "override_by_name",
        "disbursed_amount",
        "disbursed_on",
        "disbursement_ref",
    )
    inlines = [CostItemInline, AttachmentInline, StepInline]


@admin.register(models.CostItem)
class CostItemAdmin(SimpleHistoryAdmin):
    list_display = ("application", "item", "amount", "invoice_code", "invoice_number", "contract_ref")
    search_fields = ("invoice_number", "application__number")
    list_select_related = ("application",)


@admin.register(models.Attachment)
class AttachmentAdmin(SimpleHistoryAdmin):
    list_display = ("application", "name", "content_type", "size", "uploaded_at")
    readonly_fields = ("content_type", "extension", "size", "sha256", "uploaded_at", "uploaded_by")
    list_select_related = ("application",)


@admin.register(models.Step)
class StepAdmin(admin.ModelAdmin):
    list_display = ("application", "at", "action", "actor_name", "from_status", "to_status")
    list_filter = ("action",)
    list_select_related = ("application",)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # append-only

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(models.LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    list_display = ("program_code", "year", "kind", "amount", "application", "at", "actor_name")
    list_filter = ("program_code", "year", "kind")
    list_select_related = ("application",)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # append-only

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
