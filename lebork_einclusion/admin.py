from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from . import security
from .models import Officeholder, Project, PublicUnit

admin.site.register(Project)
admin.site.register(Officeholder)
admin.site.register(PublicUnit)

User = get_user_model()


class StaffUserAdmin(UserAdmin):
    """Deactivating an account in the admin ends its sessions too, as the Users page does."""

    actions = ["deactivate"]

    def save_model(self, request, obj, form, change):
        deactivated = change and "is_active" in form.changed_data and not obj.is_active
        super().save_model(request, obj, form, change)
        if deactivated:
            security.do_deactivate_user(obj, request.user)

    @admin.action(description="Deactivate the selected accounts and end their sessions")
    def deactivate(self, request, queryset):
        for user in queryset.filter(is_active=True).exclude(pk=request.user.pk):
            security.do_deactivate_user(user, request.user)
        messages.success(request, "Deactivated; their sessions have ended.")


admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)
