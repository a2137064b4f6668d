"""The chronicle: the office's list and entry form, and the public page (published text only)."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lebork_einclusion.models import Project
from lebork_einclusion.pages import form_page

from .. import chronicle
from ..forms.chronicle import ChronicleEntryForm
from ..models import (
    ChronicleEntry,
)
from ..services.chronicle import do_save_chronicle_entry

# --- the chronicle ---------------------------------------------------------------------------


def chronicle_list(request):
    """The office's view: every entry (published or not) and every milestone, with the entry
    that tells of it."""
    items = chronicle.chronicle(public=False)
    return render(
        request,
        "monitoring/chronicle_list.html",
        {
            "items": items,
            "entries": sum(1 for i in items if not i.is_milestone),
            "milestones": sum(1 for i in items if i.is_milestone),
        },
    )


def chronicle_edit(request, pk=None):
    entry = get_object_or_404(ChronicleEntry.objects.all(), pk=pk) if pk else ChronicleEntry()
    form = ChronicleEntryForm(request.POST or None, instance=entry)

    def perform(data):
        saved = do_save_chronicle_entry(entry, data, actor=request.user, milestones=form.milestones)
        return reverse("monitoring:chronicle") + f"#entry-{saved.pk}"

    return form_page(
        request,
        form,
        perform,
        template="monitoring/chronicle_form.html",
        context={"entry": entry},
        success=_("The chronicle entry has been saved."),
    )


def public_chronicle(request):
    items = chronicle.chronicle(public=True)
    all_years = chronicle.years(items)
    year = request.GET.get("year", "")
    if year.isdigit() and int(year) in all_years:
        year = int(year)
        items = [i for i in items if i.date.year == year]
    else:
        year = None
    return render(
        request,
        "monitoring/public_chronicle.html",
        {"items": items, "years": all_years, "year": year, "project": Project.current()},
    )
