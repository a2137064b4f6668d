"""Read-only admin pages: every change of finance data goes through its services."""

from django.contrib import admin

from .models import (
    BudgetAmendment,
    BudgetLine,
    BudgetLineChange,
    ClaimFiling,
    ClaimProgress,
    Expenditure,
    FundingAgreement,
    PaymentClaim,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for model in (
    FundingAgreement,
    BudgetLine,
    BudgetAmendment,
    BudgetLineChange,
    Expenditure,
    PaymentClaim,
    ClaimProgress,
    ClaimFiling,
):
    admin.site.register(model, ReadOnlyAdmin)
