from django.contrib import admin

from .models import (
    AssetCheck,
    ChronicleEntry,
    FollowUp,
    IndicatorSnapshot,
    IndicatorValue,
    LabReport,
    LabSchedule,
    LabSlot,
    MonitoringVisit,
    PlannedVisit,
    VisitRule,
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


@admin.register(VisitRule)
class VisitRuleAdmin(admin.ModelAdmin):
    list_display = ["call", "first_within_months", "every_months", "officer"]


@admin.register(PlannedVisit)
class PlannedVisitAdmin(admin.ModelAdmin):
    list_display = ["participant", "due_on", "status", "origin", "officer"]
    list_filter = ["status", "origin"]
    raw_id_fields = ["participant"]


class AssetCheckInline(admin.TabularInline):
    model = AssetCheck
    extra = 0
    raw_id_fields = ["asset", "damage_claim", "service_record"]


@admin.register(MonitoringVisit)
class MonitoringVisitAdmin(admin.ModelAdmin):
    """Read-only: a visit is what the officer recorded and the household signed."""

    list_display = ["participant", "visited_at", "outcome", "officer"]
    list_filter = ["outcome"]
    inlines = [AssetCheckInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["what", "participant", "responsible", "due_on", "status"]
    list_filter = ["status"]
    raw_id_fields = ["participant", "visit"]
