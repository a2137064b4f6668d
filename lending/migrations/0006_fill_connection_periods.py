"""Every connection recorded before the periods existed was provided under its one contract
from its installation."""

from django.db import migrations


def fill(apps, schema_editor):
    Connection = apps.get_model("lending", "Connection")
    ConnectionPeriod = apps.get_model("lending", "ConnectionPeriod")
    ConnectionPeriod.objects.bulk_create(
        ConnectionPeriod(connection_id=c.pk, contract_id=c.contract_id, since=c.installed_on)
        for c in Connection.objects.filter(periods__isnull=True)
    )


class Migration(migrations.Migration):
    dependencies = [("lending", "0005_connection_contract_periods")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
