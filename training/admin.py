"""Read-only admin views of training's records (every change goes through the pages and their
services, which check the rules and keep the history)."""

from django.contrib import admin

from .models import (
    Attendance,
    AttendanceCorrection,
    ELearningEnrolment,
    Trainee,
    TrainingGroup,
    TrainingModule,
    TrainingSession,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TrainingModule)
class TrainingModuleAdmin(ReadOnlyAdmin):
    list_display = ("number", "name", "form", "starts_on", "ends_on")


@admin.register(TrainingGroup)
class TrainingGroupAdmin(ReadOnlyAdmin):
    list_display = ("name", "module", "trainer", "room", "capacity")
    list_filter = ("module",)


@admin.register(Trainee)
class TraineeAdmin(ReadOnlyAdmin):
    list_display = ("pk", "module", "group", "participant", "enrolled_on")
    list_filter = ("module",)
    list_select_related = (
        "module",
        "group__module",
        "participant__application",
        "participant__signatory",
    )


@admin.register(TrainingSession)
class TrainingSessionAdmin(ReadOnlyAdmin):
    list_display = ("date", "starts_at", "ends_at", "group", "hours", "trainer", "room")
    list_filter = ("group__module",)
    list_select_related = ("group__module",)


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ("session", "trainee_id", "status", "recorded_at")
    list_select_related = ("session__group",)


@admin.register(AttendanceCorrection)
class AttendanceCorrectionAdmin(ReadOnlyAdmin):
    list_display = (
        "attendance_id",
        "previous_status",
        "new_status",
        "corrected_at",
        "corrected_by",
    )


@admin.register(ELearningEnrolment)
class ELearningEnrolmentAdmin(ReadOnlyAdmin):
    list_display = ("login", "login_handed_over_on", "progress_percent", "last_activity_on")
