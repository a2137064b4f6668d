"""The e-learning module: logins handed over and the provider's progress imported."""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lebork_einclusion import clock
from lebork_einclusion.records import locked, service

from ..models import (
    ELearningEnrolment,
    ProgressImport,
    TrainingModule,
)


@service
def do_hand_over_login(
    enrolment: ELearningEnrolment, *, handed_over_on: datetime.date, actor
) -> ELearningEnrolment:
    enrolment = locked(enrolment)
    if handed_over_on > clock.today():
        raise ValidationError({"handed_over_on": _("The date cannot be in the future.")})
    enrolment.login_handed_over_on = handed_over_on
    enrolment.save(update_fields=["login_handed_over_on"])
    return enrolment


@dataclass(frozen=True)
class ImportProblem:
    row: int | None
    column: str
    message: str


@dataclass(frozen=True)
class ProgressRow:
    enrolment_id: int
    percent: Decimal
    last_activity: datetime.date | None


# What the provider's export calls its columns (Polish or English, any case).
COLUMNS = {
    "login": ("login", "użytkownik", "nazwa użytkownika", "username", "user"),
    "percent": (
        "postęp",
        "postęp (%)",
        "postęp %",
        "ukończono",
        "ukończono (%)",
        "procent",
        "progress",
        "progress (%)",
        "percent",
        "completed",
    ),
    "last_activity": (
        "ostatnia aktywność",
        "ostatnie logowanie",
        "last activity",
        "last access",
        "last login",
    ),
    "name": ("imię i nazwisko", "uczestnik", "nazwisko i imię", "name", "full name"),
}
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S")


def _column(headers: Iterable[str], kind: str) -> str | None:
    for header in headers:
        if header in COLUMNS[kind]:
            return header
    return None


def _percent(value) -> Decimal:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value))
    text = str(value or "").strip().rstrip("%").strip().replace(",", ".").replace("\xa0", "")
    return Decimal(text)


def _activity(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _normal(name: str) -> str:
    return " ".join(re.split(r"\s+", str(name or "").strip())).casefold()


def check_progress(module: TrainingModule, rows: list[dict]) -> tuple[list[ImportProblem], list]:
    """Every row of the provider's export checked: problems, or the rows to save."""
    problems: list[ImportProblem] = []
    if not rows:
        return [ImportProblem(None, "", _("The file has no rows."))], []
    headers = [h for h in rows[0] if h != "_row"]
    login_col = _column(headers, "login")
    percent_col = _column(headers, "percent")
    activity_col = _column(headers, "last_activity")
    name_col = _column(headers, "name")
    missing = {
        "login": _("The file has no login column (expected one of: %(names)s)."),
        "percent": _("The file has no progress column (expected one of: %(names)s)."),
    }
    for kind, column in (("login", login_col), ("percent", percent_col)):
        if column is None:
            problems.append(
                ImportProblem(None, kind, missing[kind] % {"names": ", ".join(COLUMNS[kind])})
            )
    if problems:
        return problems, []
    enrolments = {
        e.login.casefold(): e
        for e in ELearningEnrolment.objects.filter(trainee__module=module).select_related(
            "trainee__member"
        )
    }
    parsed, seen = [], {}
    for row in rows:
        number = row["_row"]
        login = str(row.get(login_col) or "").strip()
        enrolment = enrolments.get(login.casefold())
        if not login:
            problems.append(ImportProblem(number, login_col, _("The login is empty.")))
        elif enrolment is None:
            problems.append(
                ImportProblem(
                    number,
                    login_col,
                    _("Nobody in %(module)s has the login %(login)s.")
                    % {"module": module.name, "login": login},
                )
            )
        elif login.casefold() in seen:
            problems.append(
                ImportProblem(
                    number,
                    login_col,
                    _("The login %(login)s is also in row %(other)d.")
                    % {"login": login, "other": seen[login.casefold()]},
                )
            )
        else:
            seen[login.casefold()] = number
        if enrolment is not None and name_col and row.get(name_col):
            given = _normal(row[name_col])
            trainee = enrolment.trainee
            expected = {_normal(trainee.full_name), _normal(" ".join(reversed(trainee.sort_name)))}
            expected.add(_normal(f"{trainee.sort_name[0]} {trainee.sort_name[1]}"))
            if given not in expected:
                problems.append(
                    ImportProblem(
                        number,
                        name_col,
                        _(
                            "The name %(given)s is not that of the trainee with this login (%(name)s)."
                        )
                        % {"given": row[name_col], "name": trainee.full_name},
                    )
                )
        percent = None
        try:
            percent = _percent(row.get(percent_col))
        except (InvalidOperation, ValueError):
            problems.append(
                ImportProblem(
                    number,
                    percent_col,
                    _("%(value)s is not a percentage.") % {"value": row.get(percent_col) or "—"},
                )
            )
        else:
            if not Decimal(0) <= percent <= Decimal(100):
                problems.append(
                    ImportProblem(
                        number,
                        percent_col,
                        _("The percentage must be between 0 and 100, not %(value)s.")
                        % {"value": row.get(percent_col)},
                    )
                )
        activity = None
        if activity_col:
            try:
                activity = _activity(row.get(activity_col))
            except ValueError:
                problems.append(
                    ImportProblem(
                        number,
                        activity_col,
                        _("%(value)s is not a date (e.g. 2013-12-10 or 10.12.2013).")
                        % {"value": row.get(activity_col)},
                    )
                )
            else:
                if activity and activity > clock.today():
                    problems.append(
                        ImportProblem(number, activity_col, _("The date cannot be in the future."))
                    )
        if enrolment is not None and percent is not None:
            parsed.append(ProgressRow(enrolment.pk, percent.quantize(Decimal("0.01")), activity))
    return problems, parsed


@dataclass
class ImportResult:
    problems: list[ImportProblem]
    imported: int = 0


@service
def do_import_progress(
    module: TrainingModule, rows: list[dict], *, file_name: str, actor
) -> ImportResult:
    """The provider's progress export: every row is checked first; one problem and nothing is
    saved (every problem is listed)."""
    if not module.is_e_learning:
        return ImportResult(
            [ImportProblem(None, "", _("Progress is imported for e-learning modules only."))]
        )
    problems, parsed = check_progress(module, rows)
    if problems:
        return ImportResult(problems)
    now = clock.now()
    enrolments = ELearningEnrolment.objects.select_for_update().in_bulk(
        [row.enrolment_id for row in parsed]
    )
    for row in parsed:
        enrolment = enrolments[row.enrolment_id]
        enrolment.progress_percent = row.percent
        enrolment.last_activity_on = row.last_activity
        enrolment.progress_imported_at = now
    ELearningEnrolment.objects.bulk_update(
        enrolments.values(), ["progress_percent", "last_activity_on", "progress_imported_at"]
    )
    ProgressImport.objects.create(
        module=module, file_name=file_name[:200], rows=len(parsed), imported_by=actor
    )
    return ImportResult([], len(parsed))
