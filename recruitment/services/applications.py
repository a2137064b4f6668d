"""Writes of an application: register, edit, review, notify, withdraw (each a `@service`)."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lebork_einclusion import clock
from lebork_einclusion.records import locked, save_changed, service
from lebork_einclusion.uploads import delete_on_commit

from ..models import (
    Application,
    ApplicationDocument,
    Call,
    HouseholdMember,
    Notification,
    RankingEntry,
    ReviewNote,
)
from ..queries import latest_version
from .evaluation import forget, reassess


def next_number(call: Call) -> tuple[str, int]:
    last = Application.objects.filter(call=call).aggregate(m=Max("sequence"))["m"] or 0
    return f"{call.code}/{last + 1:03d}", last + 1


def sequence_of(number: str) -> int:
    tail = number.rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def refuse_registered_pesels(call: Call, pesels, exclude: Application | None = None) -> None:
    """A person is in one application of a call: refuse a PESEL already in another one that is
    not withdrawn. The caller holds the call's row lock, so two saves never both pass."""
    taken = HouseholdMember.objects.filter(
        application__call=call, application__withdrawn_at__isnull=True, pesel__in=set(pesels)
    )
    if exclude is not None:
        taken = taken.exclude(application=exclude)
    numbers = sorted(set(taken.values_list("application__number", flat=True)))
    if numbers:
        raise ValidationError(
            _(
                "A member of this household is already listed in application %(numbers)s of "
                "this call. An application is registered once; correct that application instead."
            )
            % {"numbers": ", ".join(numbers)},
            code="pesel_registered",
        )


@service
def do_create_application(
    call: Call, fields: dict, members: list[dict], received: dict, *, actor
) -> Application:
    """Register an application (number assigned in registration order), its members and the
    documents handed in (doc type -> uploaded scan or None)."""
    Call.objects.select_for_update().filter(pk=call.pk).exists()
    refuse_registered_pesels(call, [m["pesel"] for m in members])
    number = fields.pop("number", None)
    if number:
        sequence = sequence_of(number)
    else:
        number, sequence = next_number(call)
    application = Application.objects.create(
        call=call, number=number, sequence=sequence, created_by=actor, **fields
    )
    for data in members:
        data = dict(data)
        personal = data.pop("documents", ())
        member = HouseholdMember.objects.create(application=application, **data)
        _set_personal_documents(member, personal)
    for doc_type, scan in received.items():
        document = ApplicationDocument(application=application, doc_type=doc_type)
        if scan:
            document.scan.save(scan.name, scan, save=False)
        document.save()
    reassess(application)
    return application


@service
def do_set_documents(application: Application, received: dict, *, actor) -> None:
    """Bring the checklist to `received` (doc type -> new scan or None). A document taken off
    the list is removed with its scan; a new scan replaces the old one and needs a new
    verification (the committee has not seen it)."""
    current = {d.doc_type: d for d in application.documents.filter(member__isnull=True)}
    for doc_type, document in current.items():
        if doc_type not in received:
            delete_on_commit(document.scan)
            document.delete()
    for doc_type, scan in received.items():
        document = current.get(doc_type) or ApplicationDocument(
            application=application, doc_type=doc_type
        )
        if scan:
            delete_on_commit(document.scan)
            document.scan.save(scan.name, scan, save=False)
            document.verified_at = None
            document.verified_by = None
        document.save()


def _set_personal_documents(member: HouseholdMember, wanted) -> None:
    """A person's own documents (criteria 3-5) as ticked on the member's row: a new one waits
    for the committee's verification, one kept keeps it, one unticked is removed."""
    current = {d.doc_type: d for d in member.documents.all()}
    for doc_type, document in current.items():
        if doc_type not in wanted:
            delete_on_commit(document.scan)
            document.delete()
    for doc_type in wanted:
        if doc_type not in current:
            ApplicationDocument.objects.create(
                application_id=member.application_id, member=member, doc_type=doc_type
            )


EDITED_SINCE = gettext_lazy(
    "Someone else saved this application while you were working on it. Nothing of yours has "
    "been saved yet. The fields you did not change now show the saved values; the fields you "
    "changed keep yours. Check them and save again."
)


def _refuse_withdrawn(application: Application) -> None:
    if application.withdrawn:
        raise ValidationError(
            _("Application %(number)s has been withdrawn: it can no longer be changed.")
            % {"number": application.number},
            code="withdrawn",
        )


def _locked_application(application: Application, expected_version) -> Application:
    """The application's row, locked; refused when withdrawn (that refusal first) or saved by
    someone else since the form was opened."""
    try:
        current = locked(application, expected_version=expected_version, message=EDITED_SINCE)
    except ValidationError:
        _refuse_withdrawn(Application.objects.get(pk=application.pk))
        raise
    _refuse_withdrawn(current)
    return current


@service
def do_update_application(
    application: Application,
    fields: dict,
    members: list[dict],
    received: dict,
    *,
    expected_version,
    actor,
) -> Application:
    """Save an edited application: its fields, members (dicts with "id" for existing ones;
    those left out are removed) and document checklist, refusing a concurrent edit."""
    current = _locked_application(application, expected_version)
    # The application's row first, then the call's (the order every save of it takes).
    Call.objects.select_for_update().filter(pk=current.call_id).exists()
    refuse_registered_pesels(current.call, [m["pesel"] for m in members], exclude=current)
    for name, value in fields.items():
        setattr(current, name, value)
    save_changed(current)
    existing = {m.pk: m for m in current.members.all()}
    # Removed members go first, so a PESEL moved to a new row does not collide with itself.
    wanted = {m.get("id") for m in members if m.get("id")}
    for pk, member in existing.items():
        if pk not in wanted:
            member.delete()
    for data in members:
        data = dict(data)
        pk = data.pop("id", None)
        personal = data.pop("documents", None)
        if pk and pk in existing:
            member = existing[pk]
            changed = [name for name, value in data.items() if getattr(member, name) != value]
            if changed:
                for name in changed:
                    setattr(member, name, data[name])
                member.save(update_fields=changed)
        else:
            member = HouseholdMember.objects.create(application=current, **data)
        if personal is not None:
            _set_personal_documents(member, personal)
    do_set_documents(current, received, actor=actor)
    reassess(current)
    application.version = current.version
    return current


@service
def do_review(
    application: Application, verified: set[str], note: str, *, expected_version, actor
) -> None:
    """The committee's review: confirm the documents that are in order (un-confirm the others)
    and leave a note. Optimistic locking: a concurrent save of the same application is refused."""
    current = _locked_application(application, expected_version)
    now = clock.now()
    for document in current.documents.all():
        if document.key in verified and not document.verified:
            document.verified_at, document.verified_by = now, actor
            document.save(update_fields=["verified_at", "verified_by"])
        elif document.key not in verified and document.verified:
            document.verified_at, document.verified_by = None, None
            document.save(update_fields=["verified_at", "verified_by"])
    if note.strip():
        ReviewNote.objects.create(application=current, author=actor, text=note.strip())
    save_changed(current)  # its documents and notes changed: a form opened before is stale
    application.version = current.version
    reassess(current)


@service
def do_add_notification(
    application: Application, channel: str, sent_on: datetime.date, note: str, *, actor
) -> Notification:
    if sent_on > clock.today():
        raise ValidationError({"sent_on": _("The date cannot be in the future.")})
    version = latest_version(application.call)
    return Notification.objects.create(
        application=application,
        version=version,
        channel=channel,
        sent_on=sent_on,
        note=note,
        sent_by=actor,
    )


@service
def do_withdraw_application(
    application: Application, reason: str, *, actor, expected_version=None
) -> Application:
    """Withdraw an application registered by mistake (twice, or for the wrong household): kept
    with who withdrew it, when and why, never deleted; it leaves the evaluation, and with it the
    live lists, and so every later approved version and the public results. Refused once it is
    on an approved version of the lists: a place there is freed by a resignation instead."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    current = _locked_application(application, expected_version)
    Call.objects.select_for_update().filter(pk=current.call_id).exists()
    on_list = (
        RankingEntry.objects.filter(application=current)
        .order_by("version__number")
        .values_list("version__number", flat=True)
        .first()
    )
    if on_list is not None:
        raise ValidationError(
            _(
                "Application %(number)s is on the approved lists (version %(version)d): it "
                "cannot be withdrawn. A place on the lists is freed by a resignation."
            )
            % {"number": current.number, "version": on_list},
            code="on_approved_list",
        )
    current.withdrawn_at = clock.now()
    current.withdrawn_by = actor
    current.withdrawal_reason = reason[:500]
    save_changed(current, "withdrawn_at", "withdrawn_by", "withdrawal_reason")
    forget(current)
    application.version = current.version
    return current
