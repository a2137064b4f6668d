from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lebork_einclusion"
    label = "core"
    verbose_name = _("Project")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # The security log listens to login, logout, failure and lockout signals.
        from . import security  # noqa: F401

        # Every app's gdpr.py declares its models that hold personal data (gdpr.register).
        autodiscover_modules("gdpr")
