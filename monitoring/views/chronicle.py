"""The chronicle: the office's list and entry form, and the public page (published text only)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lebork_einclusion.concurrency import ConcurrentEditError
from lebork_einclusion.forms import add_service_error
from lebork_einclusion.models import Project

from .. import chronicle
from ..forms import (
    ChronicleEntryForm,
)
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
    if request.method == "POST" and form.is_valid():
        try:
            do_save_chronicle_entry(form, actor=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        except ConcurrentEditError:
            pass
        else:
            messages.success(request, _("The chronicle entry has been saved."))
            return redirect(reverse("monitoring:chronicle") + f"#entry-{form.instance.pk}")
    return render(request, "monitoring/chronicle_form.html", {"form": form, "entry": entry})


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
