"""Read-only admin pages: every change of procurement data goes through its services."""

from django.contrib import admin

from .models import (
    Contract,
    ContractAmendment,
    ContractAttachment,
    Offer,
    Procedure,
    ProcedureEvent,
    Supplier,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for model in (
    Supplier,
    Procedure,
    ProcedureEvent,
    Offer,
    Contract,
    ContractAmendment,
    ContractAttachment,
):
    admin.site.register(model, ReadOnlyAdmin)
