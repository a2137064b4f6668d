from django import template
from django.utils.translation import gettext_lazy as _

from lebork_einclusion.gdpr.audit_trail import audit_changes as changes_of
from lebork_einclusion.gdpr.retention import retention_text
from lebork_einclusion.models import PrivacyNotice

register = template.Library()

GDPR_PAGES = [
    ("core:processing_register", _("Record of processing")),
    ("core:personal_data_log", _("Access to personal data")),
    ("core:subject_export", _("Data-subject export")),
    ("core:legal_holds", _("Legal holds")),
    ("privacy_notice", _("Information clause")),
    ("accessibility_statement", _("Accessibility statement")),
]


@register.simple_tag
def privacy_notice():
    """{% privacy_notice as notice %}: the information clause as configured (or its start)."""
    return PrivacyNotice.current()


@register.simple_tag
def retention_until():
    """The computed end of the retention period, as a sentence (empty without a project)."""
    return retention_text()


@register.simple_tag
def gdpr_pages():
    return GDPR_PAGES


@register.filter
def audit_changes(event):
    """{% for change in event|audit_changes %}: the changed fields, personal data masked."""
    return changes_of(event)
