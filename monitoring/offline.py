"""What the visit pages' service worker keeps on the monitoring officer's phone for work with
no signal (monitoring/static/js/visit-sw.js): the officer's own visits still planned up to
KEEP_DAYS ahead (and the overdue ones), their visit forms, the week's list and the pages'
static files. Nobody else's visits, and nothing but these pages."""

import datetime

from django.templatetags.static import static
from django.urls import reverse

from . import visits

KEEP_DAYS = 7
MAX_FORMS = 30  # a phone keeps at most this many visit forms
# The files the visit list and the visit form load (templates/base.html, the two templates).
ASSETS = (
    "vendor/bootstrap-5.3.9/bootstrap.min.css",
    "vendor/bootstrap-5.3.9/bootstrap.bundle.min.js",
    "css/app.css",
    "css/monitoring.css",
    "favicon.svg",
    "js/visit-form.js",
    "js/visit-offline.js",
)


def pages_to_keep(officer, today: datetime.date) -> dict:
    assert officer is not None, "only an officer's own visits are kept"
    """The addresses the service worker caches for the officer: {"pages": [...], "assets": [...]}
    (URLs only: ids, never names)."""
    last = today + datetime.timedelta(days=KEEP_DAYS)
    coming = list(visits.due_between(today, last, officer)[:MAX_FORMS])
    # Then the overdue ones, the latest first, as many as there is room for.
    late = visits.overdue(today, officer).order_by("-due_on", "-pk")[: MAX_FORMS - len(coming)]
    forms = [
        reverse("monitoring:visit_new", args=[planned.participant_id]) + f"?planned={planned.pk}"
        for planned in [*coming, *late]
    ]
    week = reverse("monitoring:visit_list") + "?tab=week&officer=me"
    today_list = reverse("monitoring:visit_list") + "?tab=today&officer=me"
    return {"pages": [week, today_list, *forms], "assets": [static(name) for name in ASSETS]}
