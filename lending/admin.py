from django.contrib import admin

from .models import Participant


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["application", "signatory", "status", "joined_on"]
    list_filter = ["status"]
    list_select_related = ["application", "signatory"]
