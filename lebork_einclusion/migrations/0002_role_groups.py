"""The role groups of roles.py exist in every database (their permissions live in roles.ACCESS)."""

from django.db import migrations

ROLES = ["coordinator", "assistant", "finance", "monitoring", "committee", "auditor"]


def create_groups(apps, schema_editor):
    group = apps.get_model("auth", "Group")
    for name in ROLES:
        group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
