from django.contrib import admin

from .models import Project, PublicUnit

admin.site.register(Project)
admin.site.register(PublicUnit)
