"""Personal data training holds: trainees (people not yet household members are named here,
members only linked), their attendance and its corrections, the scans of signed sheets, the
e-learning logins and progress, and the trainers' names."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lebork_einclusion import gdpr
from lebork_einclusion.uploads import delete_on_commit

from .models import (
    Attendance,
    AttendanceCorrection,
    ELearningEnrolment,
    Trainee,
    TrainingSession,
)

PURPOSE = _(
    "training of final beneficiaries and the duty to attend it (§3.3, §6.7 of the Regulation)"
)
BASIS = _("Art. 6(1)(c) and (e) GDPR: the project agreement and its reporting duties")
RECIPIENTS = _(
    "the training provider (names on sign-in sheets, e-learning logins), the managing authority of the programme and auditors"
)


def _trainees(pesel: str):
    return Trainee.objects.filter(Q(pesel=pesel) | Q(member__pesel=pesel))


def _export_trainee(trainee: Trainee) -> dict:
    return {
        "id": trainee.pk,
        str(_("name")): trainee.full_name,
        str(_("module")): trainee.module.name,
        str(_("group")): trainee.group.name,
        str(_("household")): trainee.participant.application.number,
        str(_("enrolled on")): trainee.enrolled_on.isoformat(),
        str(_("why this person is not a member of the household")): trainee.reason,
    }


def _anonymise_trainee(trainee: Trainee, actor) -> None:
    """Names, PESEL and reason go; sex and age (for the figures) and attendance stay."""
    gdpr.overwrite(
        trainee, first_name="", last_name="", pesel="", reason="", anonymised_at=timezone.now()
    )


def _export_attendance(mark: Attendance) -> dict:
    return {
        "id": mark.pk,
        str(_("session")): f"{mark.session.group.name}, {mark.session.date.isoformat()}",
        str(_("attendance")): str(mark.get_status_display()),
        str(_("reason for the absence")): mark.reason,
    }


# An excused absence keeps a reason (a database rule): after retention it is only a dash.
REMOVED = "—"


def _anonymise_reason(mark: Attendance, actor) -> None:
    gdpr.overwrite(mark, reason=REMOVED if mark.status == Attendance.Status.EXCUSED else "")


def _anonymise_scan(session: TrainingSession, actor) -> None:
    delete_on_commit(session.sheet_scan)
    TrainingSession.objects.filter(pk=session.pk).update(sheet_scan="")


gdpr.register(
    gdpr.PersonalDataSource(
        model="training.Trainee",
        subjects=_("trainees: members of participating households and people living with them"),
        purpose=PURPOSE,
        legal_basis=BASIS,
        fields={
            "first_name": gdpr.IDENTITY,
            "last_name": gdpr.IDENTITY,
            "pesel": gdpr.PESEL,
            "reason": gdpr.FAMILY,
        },
        recipients=RECIPIENTS,
        find=_trainees,
        export=_export_trainee,
        pesels=lambda trainee: [trainee.person_pesel],
        expired=gdpr.after_project_retention(
            lambda: Trainee.objects.filter(anonymised_at__isnull=True).exclude(
                last_name="", pesel="", reason=""
            )
        ),
        anonymise=_anonymise_trainee,
    )
)

gdpr.register(
    gdpr.PersonalDataSource(
        model="training.Attendance",
        subjects=_("trainees"),
        purpose=PURPOSE,
        legal_basis=BASIS,
        fields={"trainee": gdpr.IDENTITY, "status": gdpr.ACTIVITY, "reason": gdpr.ACTIVITY},
        recipients=RECIPIENTS,
        find=lambda pesel: Attendance.objects.filter(trainee__in=_trainees(pesel)).select_related(
            "session__group"
        ),
        export=_export_attendance,
        pesels=lambda mark: [mark.trainee.person_pesel],
        expired=gdpr.after_project_retention(
            lambda: Attendance.objects.exclude(reason="").exclude(reason=REMOVED)
        ),
        anonymise=_anonymise_reason,
    )
)

gdpr.register(
    gdpr.PersonalDataSource(
        model="training.AttendanceCorrection",
        subjects=_("trainees"),
        purpose=_("corrections of attendance after the signed sheet was attached"),
        legal_basis=BASIS,
        fields={
            "previous_reason": gdpr.ACTIVITY,
            "new_reason": gdpr.ACTIVITY,
            "reason": gdpr.ACTIVITY,
        },
        recipients=RECIPIENTS,
        find=lambda pesel: AttendanceCorrection.objects.filter(
            attendance__trainee__in=_trainees(pesel)
        ),
        pesels=lambda correction: [correction.attendance.trainee.person_pesel],
        expired=gdpr.after_project_retention(
            lambda: AttendanceCorrection.objects.exclude(
                previous_reason="", new_reason="", reason=REMOVED
            )
        ),
        anonymise=gdpr.overwriting(previous_reason="", new_reason="", reason=REMOVED),
    )
)

gdpr.register(
    gdpr.PersonalDataSource(
        model="training.TrainingSession",
        subjects=_("trainees (signatures on the scanned sheets) and trainers"),
        purpose=_("proof of attendance: scans of the signed sign-in sheets"),
        legal_basis=BASIS,
        fields={"sheet_scan": gdpr.DOCUMENTS, "trainer": gdpr.IDENTITY},
        recipients=RECIPIENTS,
        find=lambda pesel: (
            TrainingSession.objects.filter(group__trainees__in=_trainees(pesel))
            .exclude(sheet_scan="")
            .distinct()
        ),
        pesels=lambda session: [],
        expired=gdpr.after_project_retention(
            lambda: TrainingSession.objects.exclude(sheet_scan="")
        ),
        anonymise=_anonymise_scan,
    )
)

gdpr.register(
    gdpr.PersonalDataSource(
        model="training.TrainingGroup",
        subjects=_("trainers of the training provider"),
        purpose=_("organisation of the training: who teaches each group"),
        legal_basis=BASIS,
        fields={"trainer": gdpr.IDENTITY},
        recipients=RECIPIENTS,
        find=lambda pesel: [],
    )
)

gdpr.register(
    gdpr.PersonalDataSource(
        model="training.ELearningEnrolment",
        subjects=_("trainees of the e-learning module"),
        purpose=_("e-learning: the login handed over and the progress the provider reports"),
        legal_basis=BASIS,
        fields={
            "login": gdpr.NETWORK,
            "progress_percent": gdpr.ACTIVITY,
            "last_activity_on": gdpr.ACTIVITY,
        },
        recipients=RECIPIENTS,
        find=lambda pesel: ELearningEnrolment.objects.filter(trainee__in=_trainees(pesel)),
        pesels=lambda enrolment: [enrolment.trainee.person_pesel],
        expired=gdpr.after_project_retention(
            lambda: ELearningEnrolment.objects.exclude(login__startswith="anon-")
        ),
        anonymise=lambda enrolment, actor: gdpr.overwrite(
            enrolment, login=f"anon-{enrolment.pk}", last_activity_on=None
        ),
    )
)

# Read from the PESEL: never shown in the audit trail either.
gdpr.hide_in_audit_trail("training.Trainee", "sex", "age")
