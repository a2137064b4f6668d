"""The audit trail: every recorded change (pghistory's database triggers)."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.shortcuts import render
from pghistory.models import Event

from ..audit_pages import events_page
from ..forms import AuditFilterForm
from ..gdpr import describe_events
from ..paging import query_without_page


def _tracked_models():
    """Every model with an audit trail, as (app_label.ModelName, verbose name)."""
    tracked = {
        m.pgh_tracked_model
        for m in apps.get_models()
        if issubclass(m, Event) and getattr(m, "pgh_tracked_model", None)
    }
    return sorted(
        (
            (f"{m._meta.app_label}.{m._meta.object_name}", str(m._meta.verbose_name))
            for m in tracked
        ),
        key=lambda item: item[1],
    )


def audit_log(request):
    """Every recorded change (database triggers), filterable by record type, record and user."""
    users = get_user_model().objects.order_by("username")
    form = AuditFilterForm(
        request.GET or None,
        model_choices=_tracked_models(),
        user_choices=[(u.pk, u.get_full_name() or u.username) for u in users],
    )
    filters = {}
    if form.is_valid():
        filters = {
            "tracked": form.cleaned_data["model"] or None,
            "object_id": form.cleaned_data["object_id"] or None,
            "user": form.cleaned_data["user"],
        }
    # Each event table read for one page at most, not the whole trail sorted (issue 17).
    page = events_page(request, **filters)
    names = {u.pk: u.get_full_name() or u.username for u in users}
    rows = describe_events(page, users=names)
    return render(
        request,
        "core/audit_log.html",
        {"form": form, "page": page, "rows": rows, "query": query_without_page(request)},
    )
