"""The information clause (Art. 13 GDPR) and the accessibility statement: public pages, edited
by the coordinator."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from ..concurrency import save_versioned
from ..forms import AccessibilityStatementForm, PrivacyNoticeForm
from ..models import AccessibilityStatement, PrivacyNotice
from ..pages import form_page


def privacy_notice(request):
    """The information clause (Art. 13 GDPR), public."""
    return render(request, "core/privacy_notice.html")


def privacy_notice_edit(request):
    form = PrivacyNoticeForm(request.POST or None, instance=PrivacyNotice.current())

    def save(data):
        save_versioned(form)

    return form_page(
        request,
        form,
        save,
        template="core/privacy_notice_form.html",
        success=_("The information clause has been saved."),
        back=reverse("privacy_notice"),
    )


def accessibility_statement(request):
    """Deklaracja dostępności (act of 4 April 2019), public, linked from every page's footer."""
    return render(
        request,
        "core/accessibility_statement.html",
        {"statement": AccessibilityStatement.current()},
    )


def accessibility_statement_edit(request):
    form = AccessibilityStatementForm(
        request.POST or None, instance=AccessibilityStatement.current()
    )

    def save(data):
        save_versioned(form)

    return form_page(
        request,
        form,
        save,
        template="core/accessibility_statement_form.html",
        success=_("The accessibility statement has been saved."),
        back=reverse("accessibility_statement"),
    )
