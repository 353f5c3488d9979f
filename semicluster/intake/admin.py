from django.contrib import admin

from semicluster.intake import models


@admin.register(models.ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Batches are written by the import services only: the admin shows them, it does not edit them."""

    list_display = (
        "id",
        "dataset",
        "filename",
        "user",
        "created_at",
        "status",
        "created_count",
        "updated_count",
        "unchanged_count",
        "error_count",
    )
    list_filter = ("dataset", "status")
    search_fields = ("filename", "sha256", "user__username")
    list_select_related = ("user",)
    readonly_fields = [f.name for f in models.ImportBatch._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(models.ImportChange)
class ImportChangeAdmin(admin.ModelAdmin):
    list_display = ("batch", "model", "object_id", "action", "field", "old", "new")
    list_filter = ("model", "action")
    search_fields = ("=batch__id", "=object_id")
    raw_id_fields = ("batch",)
    show_full_result_count = False  # a batch of 100,000 values: no COUNT(*) on every page

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
