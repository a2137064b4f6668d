from django.contrib import admin

from .models import Asset, Connection, LoanAgreement, Participant, PromissoryNote


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["application", "signatory", "status", "joined_on"]
    list_filter = ["status"]
    list_select_related = ["application", "signatory"]


# Read-only views for support: every change goes through lending.services (the pages).
class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Asset)
class AssetAdmin(ReadOnly):
    list_display = ["serial_number", "kind", "make_model", "status", "condition"]
    list_filter = ["status", "kind"]
    search_fields = ["serial_number", "inventory_number"]


@admin.register(LoanAgreement)
class LoanAgreementAdmin(ReadOnly):
    list_display = ["number", "participant", "status", "handed_over_on", "ends_on"]
    list_filter = ["status"]
    list_select_related = ["participant__application", "participant__signatory"]


@admin.register(PromissoryNote)
class PromissoryNoteAdmin(ReadOnly):
    list_display = ["number", "agreement", "status", "max_amount"]
    list_filter = ["status"]


@admin.register(Connection)
class ConnectionAdmin(ReadOnly):
    list_display = ["pk", "participant", "public_unit", "status", "installed_on", "ends_on"]
    list_filter = ["status"]
