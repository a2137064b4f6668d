from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        from lending.signals import participation_changed

        from .services.plans import on_participation_changed

        participation_changed.connect(on_participation_changed, dispatch_uid="monitoring-plan")
