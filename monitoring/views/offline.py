"""The visit pages' service worker and the list of what it keeps (monitoring/offline.py)."""

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from lebork_einclusion import clock

from .. import offline

WORKER = "js/visit-sw.js"


@require_GET
def service_worker(request):
    """The service worker's script, served from /monitoring/ so that it may control the visit
    pages (a script under /static/ could control only /static/). The same file for everyone:
    no personal data in it; what it keeps comes from offline_pages."""
    path = finders.find(WORKER)
    if path is None:
        raise Http404
    with open(path, encoding="utf-8") as handle:
        script = handle.read()
    response = HttpResponse(script, content_type="application/javascript; charset=utf-8")
    # The browser checks for a new version on every visit page it opens.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline_pages(request):
    """The addresses the service worker keeps for the officer who asks (their own visits)."""
    return JsonResponse(offline.pages_to_keep(request.user, clock.today()))
