from django.contrib import admin

from .models import (
    ChronicleEntry,
    IndicatorSnapshot,
    IndicatorValue,
    LabReport,
    LabSchedule,
    LabSlot,
)


class LabSlotInline(admin.TabularInline):
    model = LabSlot
    extra = 0


@admin.register(LabSchedule)
class LabScheduleAdmin(admin.ModelAdmin):
    list_display = ["unit", "month", "room", "contract", "updated_at"]
    list_filter = ["unit", "month"]
    inlines = [LabSlotInline]


@admin.register(LabReport)
class LabReportAdmin(admin.ModelAdmin):
    list_display = ["unit", "month", "hours_open", "visitors", "submitted_on"]
    list_filter = ["unit", "month"]


@admin.register(ChronicleEntry)
class ChronicleEntryAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "title", "published"]
    list_filter = ["kind", "published"]
    search_fields = ["title", "source"]


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IndicatorSnapshot)
class IndicatorSnapshotAdmin(admin.ModelAdmin):
    """Read-only: a snapshot is frozen (the database refuses changes anyway)."""

    list_display = ["as_of", "purpose", "reference", "frozen_at", "frozen_by"]
    inlines = [IndicatorValueInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
