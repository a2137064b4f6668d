"""Django's admin for recruitment: for superusers (and the speed comparison in bench/); the
office works in the app's own screens."""

from django.contrib import admin

from .models import Application, Call, HouseholdMember, RegulationOrder


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "opens_on", "deadline", "places"]


class MemberInline(admin.TabularInline):
    model = HouseholdMember
    extra = 0


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["number", "call", "received_on", "channel", "city", "monthly_net_income"]
    list_filter = ["call", "channel", "social_assistance", "family_benefits"]
    search_fields = ["number"]
    list_select_related = ["call"]
    list_per_page = 50  # as the application list, for a like-for-like comparison in bench/
    inlines = [MemberInline]


@admin.register(RegulationOrder)
class RegulationOrderAdmin(admin.ModelAdmin):
    list_display = ["number", "issued_on", "is_amendment", "rules_changed"]
