"""The chronicle's hand-written entries and the milestones they tell of.

A refused change raises ValidationError with a Polish (translated) message, keyed by the form
field at fault where there is one; nothing is written then.
"""

from collections.abc import Sequence

from django.utils.translation import gettext as _

from lebork_einclusion.records import locked, save_changed, service

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


@service
def do_save_chronicle_entry(
    entry: ChronicleEntry | None, data: dict, *, actor, milestones=None
) -> ChronicleEntry:
    """Write (`entry` None or not saved yet) or correct a chronicle entry: the office's form,
    the demo, an import.

    `data`: the entry's fields (date, end_date, precision, kind, title, source, link,
    description, covers, published, editorial_note) and the `version` a form was opened with
    (an entry saved by someone else since is refused). `milestones`: the apps' milestones when
    the caller adds many entries and has computed them once (adding an entry changes none)."""
    values = {name: value for name, value in data.items() if name != "version"}
    values["covers"] = list(values.get("covers") or [])
    new = entry is None or entry.pk is None
    raise_errors(coverage_errors(ChronicleEntry() if new else entry, values["covers"], milestones))
    entry = (
        ChronicleEntry(created_by=actor)
        if new
        else locked(entry, expected_version=data.get("version"))
    )
    for name, value in values.items():
        setattr(entry, name, value)
    if new:
        entry.full_clean()
        entry.save()
    else:
        save_changed(entry)
    return entry
