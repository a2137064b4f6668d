"""People in groups: household members or newcomers put in a group, and taken out."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lebork_einclusion import clock
from lebork_einclusion import pesel as pesel_rules
from lebork_einclusion.dates import short_date
from lebork_einclusion.records import locked, service
from lending.models import Participant
from recruitment.models import HouseholdMember

from .. import papers, rules
from ..models import (
    ELearningEnrolment,
    Trainee,
    TrainingGroup,
    TrainingSession,
)
from ..standings import with_hours
from ._shared import lock_schedule, raise_errors, time_text


@dataclass
class Person:
    """Someone to put in a group: a household member, or a person not yet a member."""

    participant: Participant
    member: HouseholdMember | None = None
    first_name: str = ""
    last_name: str = ""
    pesel: str = ""
    reason: str = ""

    @property
    def name(self) -> str:
        if self.member is not None:
            return f"{self.member.first_name} {self.member.last_name}"
        return f"{self.first_name} {self.last_name}"

    @property
    def person_pesel(self) -> str:
        return self.member.pesel if self.member is not None else self.pesel


def places_of(pesels: Iterable[str]):
    """Trainee rows of these people in any module (as members or not)."""
    pesels = [p for p in pesels if p]
    return Trainee.objects.filter(Q(member__pesel__in=pesels) | Q(pesel__in=pesels))


def took_part_on(participant: Participant, day: datetime.date) -> bool:
    """Was the household taking part on that day (joined, not yet ended)?"""
    if participant.ended_on is None:
        return participant.status == Participant.Status.ACTIVE and participant.joined_on <= day
    return participant.joined_on <= day <= participant.ended_on


def _person_errors(group: TrainingGroup, people: list[Person], on: datetime.date) -> list[str]:
    """`on`: the enrolment date. Records typed in later (from the paper register) enrol people
    of households that took part then, even if they have left since."""
    module = group.module
    errors = []
    pesels = [p.person_pesel for p in people]
    already = {
        place.person_pesel: place
        for place in places_of(pesels).filter(module=module).select_related("member", "group")
    }
    seen = set()
    for person in people:
        participant = person.participant
        if not took_part_on(participant, on):
            errors.append(
                _("%(name)s: household %(number)s no longer takes part in the project.")
                % {"name": person.name, "number": participant.application.number}
            )
        if person.member is not None and person.member.application_id != participant.application_id:
            errors.append(
                _("%(name)s is not a member of household %(number)s.")
                % {"name": person.name, "number": participant.application.number}
            )
        key = person.person_pesel
        if key in seen:
            errors.append(_("%(name)s is chosen twice.") % {"name": person.name})
        seen.add(key)
        place = already.get(key)
        if place is not None:
            errors.append(
                _(
                    "%(name)s is already in %(group)s of this module: a person is in one group of a module."
                )
                % {"name": person.name, "group": place.group.name}
            )
    return errors


def _schedule_clash_errors(group: TrainingGroup, people: list[Person]) -> list[str]:
    """People whose other groups meet at the same time as this group's sessions."""
    mine = list(group.sessions.all())
    if not mine:
        return []
    places = list(
        places_of(p.person_pesel for p in people)
        .exclude(group=group)
        .select_related("member", "group")
    )
    if not places:
        return []
    theirs = TrainingSession.objects.filter(
        group_id__in={p.group_id for p in places}, date__in={s.date for s in mine}
    ).select_related("group")
    errors = []
    for other in theirs:
        for session in mine:
            if other.date == session.date and rules.overlaps(
                session.starts_at, session.ends_at, other.starts_at, other.ends_at
            ):
                names = sorted({p.full_name for p in places if p.group_id == other.group_id})
                errors.append(
                    _(
                        "%(names)s would be in two sessions at once: %(group)s meets on %(date)s "
                        "%(start)s–%(end)s, when %(other)s meets too."
                    )
                    % {
                        "names": ", ".join(names),
                        "group": group.name,
                        "date": short_date(session.date),
                        "start": time_text(session.starts_at),
                        "end": time_text(session.ends_at),
                        "other": other.group.name,
                    }
                )
    return errors


def _sex_and_age(pesel: str, on: datetime.date) -> tuple[str, int]:
    return pesel_rules.sex(pesel), max(0, pesel_rules.age_on(pesel, on))


def _enrol_e_learning(trainee: Trainee) -> None:
    ELearningEnrolment.objects.create(
        trainee=trainee, login=f"LBK{trainee.module.number}-{trainee.pk:05d}"
    )


@service
def do_add_trainees(
    group: TrainingGroup, people: list[Person], *, actor, enrolled_on=None
) -> list[Trainee]:
    """Put people of participating households in a group: all of them, or none.

    Refused: a group over its places, a household that no longer takes part, a member of
    another household, a person already in a group of the module, and a person whose other
    groups meet at the same time.
    """
    if not people:
        raise ValidationError(_("Choose at least one person."))
    group = TrainingGroup.objects.select_for_update().select_related("module").get(pk=group.pk)
    lock_schedule()
    taken = Trainee.objects.filter(group=group).count()
    errors = []
    if taken + len(people) > group.capacity:
        errors.append(
            ngettext(
                "%(group)s has %(capacity)d places and %(taken)d are taken: %(n)d more "
                "person does not fit.",
                "%(group)s has %(capacity)d places and %(taken)d are taken: %(n)d more "
                "people do not fit.",
                len(people),
            )
            % {
                "group": group.name,
                "capacity": group.capacity,
                "taken": taken,
                "n": len(people),
            }
        )
    enrolled_on = enrolled_on or clock.today()
    errors += _person_errors(group, people, enrolled_on)
    errors += _schedule_clash_errors(group, people)
    if errors:
        raise ValidationError(errors)
    module = group.module
    created = []
    for person in people:
        sex, age = _sex_and_age(person.person_pesel, module.starts_on)
        trainee = Trainee.objects.create(
            module=module,
            group=group,
            participant=person.participant,
            member=person.member,
            first_name="" if person.member else person.first_name.strip(),
            last_name="" if person.member else person.last_name.strip(),
            pesel="" if person.member else person.pesel,
            reason="" if person.member else person.reason.strip(),
            sex=sex,
            age=age,
            enrolled_on=enrolled_on,
        )
        if module.is_e_learning:
            _enrol_e_learning(trainee)
        created.append(trainee)
    return created


@service
def do_add_members(group, members: Iterable[HouseholdMember], *, actor, enrolled_on=None):
    """Household members into a group (the usual case)."""
    members = list(members)
    participants = {
        p.application_id: p
        for p in Participant.objects.select_related("application").filter(
            application_id__in={m.application_id for m in members}
        )
    }
    people = []
    for member in members:
        participant = participants.get(member.application_id)
        if participant is None:
            raise ValidationError(
                _("%(name)s: the household does not take part in the project.")
                % {"name": f"{member.first_name} {member.last_name}"}
            )
        people.append(Person(participant=participant, member=member))
    return do_add_trainees(group, people, actor=actor, enrolled_on=enrolled_on)


@service
def do_add_newcomer(
    group: TrainingGroup,
    participant: Participant,
    *,
    first_name: str,
    last_name: str,
    pesel: str,
    reason: str,
    actor,
    enrolled_on=None,
) -> Trainee:
    """A person of the household who is not (yet) a member in its application, with the reason."""
    errors = {}
    if not first_name.strip():
        errors["first_name"] = _("Enter the first name.")
    if not last_name.strip():
        errors["last_name"] = _("Enter the last name.")
    try:
        pesel = pesel_rules.validate_pesel(pesel)
    except ValidationError as error:
        errors["pesel"] = error.messages[0]
    if not reason.strip():
        errors["reason"] = _(
            "Say why this person is not a member of the household (e.g. moved in on ...)."
        )
    if "pesel" not in errors:
        member = participant.application.members.filter(pesel=pesel).first()
        if member is not None:
            errors["pesel"] = _(
                "%(name)s is a member of this household: choose them from the household's list."
            ) % {"name": f"{member.first_name} {member.last_name}"}
    raise_errors(errors)
    person = Person(
        participant=participant,
        first_name=first_name,
        last_name=last_name,
        pesel=pesel,
        reason=reason,
    )
    return do_add_trainees(group, [person], actor=actor, enrolled_on=enrolled_on)[0]


@service
def do_remove_trainee(trainee: Trainee, *, actor) -> None:
    """Take someone out of a group before any attendance is recorded for them."""
    trainee = locked(trainee)
    marks = trainee.attendance.count()
    if marks:
        raise ValidationError(
            ngettext(
                "%(name)s has attendance recorded in %(n)d session: the record stays.",
                "%(name)s has attendance recorded in %(n)d sessions: the record stays.",
                marks,
            )
            % {"name": trainee.full_name, "n": marks}
        )
    ELearningEnrolment.objects.filter(trainee=trainee).delete()
    trainee.delete()


@service
def do_issue_certificate(trainee: Trainee, issued_on: datetime.date, *, actor) -> Trainee:
    """Issue the trainee's certificate of completion, once: recorded with its date and who
    issued it, and its PDF archived as issued (papers.archive_certificate); refused for a
    trainee who did not complete the module, a date in the future or before the module began."""
    trainee = locked(trainee)
    if trainee.certificate_issued_on is not None:
        raise ValidationError(
            _("The certificate of %(name)s was issued on %(date)s: it is issued only once.")
            % {"name": trainee.full_name, "date": short_date(trainee.certificate_issued_on)}
        )
    refusal = papers.certificate_refusal(
        with_hours(Trainee.objects.select_related("module")).get(pk=trainee.pk)
    )
    if refusal:
        raise ValidationError(refusal)
    if issued_on > clock.today():
        raise ValidationError({"issued_on": _("The date cannot be in the future.")})
    if issued_on < trainee.module.starts_on:
        raise ValidationError(
            {"issued_on": _("A certificate cannot be issued before the module began.")}
        )
    trainee.certificate_issued_on, trainee.certificate_issued_by = issued_on, actor
    trainee.save(update_fields=["certificate_issued_on", "certificate_issued_by"])
    papers.archive_certificate(trainee, actor=actor)
    return trainee
