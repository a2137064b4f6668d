"""The chronicle's hand-written entries and the milestones they tell of.

A refused change raises ValidationError with a Polish (translated) message, keyed by the form
field at fault where there is one; nothing is written then.
"""

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from lebork_einclusion.concurrency import save_versioned

from .. import chronicle
from ..models import (
    ChronicleEntry,
)
from .errors import raise_errors

# --- the chronicle ---------------------------------------------------------------------------


def coverage_errors(
    entry: ChronicleEntry, covers: Sequence[str], milestones: list | None = None
) -> dict:
    """A milestone can be told of by one entry only, and must exist (`milestones`: the apps'
    milestones when the caller has them already)."""
    allowed = {key for key, _label in chronicle.milestone_choices(entry, milestones)}
    unknown = [key for key in covers if key not in allowed]
    if not unknown:
        return {}
    others = ChronicleEntry.objects.exclude(pk=entry.pk).filter(covers__overlap=unknown).first()
    if others:
        return {
            "covers": _("Another entry already tells of this milestone: %(entry)s.")
            % {"entry": others}
        }
    return {"covers": _("Choose milestones from the list.")}


def do_save_chronicle_entry(form, *, actor) -> ChronicleEntry:
    """Write or correct a chronicle entry (ChronicleEntryForm, VersionedForm)."""
    entry = form.instance
    raise_errors(coverage_errors(entry, form.cleaned_data.get("covers") or []))
    with transaction.atomic():
        if entry.pk is None:
            entry.created_by = actor
        return save_versioned(form)


def do_add_chronicle_entry(*, actor, covers=(), milestones=None, **fields) -> ChronicleEntry:
    """Add an entry without a form (the demo, an import): checked like the form's.

    `milestones`: the apps' milestones when the caller adds many entries and has computed
    them once (adding an entry changes none of them)."""
    entry = ChronicleEntry(created_by=actor, covers=list(covers), **fields)
    raise_errors(coverage_errors(entry, entry.covers, milestones))
    entry.full_clean()
    with transaction.atomic():
        entry.save()
        return entry
