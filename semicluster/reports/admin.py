from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from semicluster.reports import models


@admin.register(models.AnnualReport)
class AnnualReportAdmin(SimpleHistoryAdmin):
    list_display = ("year", "edition", "status", "generated_at", "updated_at")
    list_filter = ("edition", "status")
    readonly_fields = ("snapshot", "generated_at")


@admin.register(models.ReportVersion)
class ReportVersionAdmin(admin.ModelAdmin):
    list_display = ("report", "number", "published_at", "published_by", "sha256_pdf")
    exclude = ("docx", "pdf", "html")
    readonly_fields = (
        "report",
        "number",
        "document",
        "datasets",
        "suppression",
        "sha256_docx",
        "sha256_pdf",
        "published_at",
        "published_by",
    )

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # published versions are immutable

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(models.ReportEvent)
class ReportEventAdmin(admin.ModelAdmin):
    list_display = ("report", "action", "from_status", "to_status", "actor", "at")
    list_filter = ("action",)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
