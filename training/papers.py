"""Training's papers: sign-in sheets (one session, a group's or a module's in one PDF), the
group's attendance register, and certificates of completion (one trainee or all who completed
in a group or a module). Printed in the office's language whatever the screen's."""

import datetime
import tempfile
from collections import defaultdict
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PdfReader
from weasyprint.urls import URLFetcherResponse

from lebork_einclusion import archive, clock
from lebork_einclusion.models import Project
from lebork_einclusion.office_language import in_office_language
from lebork_einclusion.pdf import BASE_URL, StaticOnlyFetcher, render_pdf, render_pdf_files
from lebork_einclusion.uploads import CONTENT_TYPES, kind_of

from .models import Trainee, TrainingGroup, TrainingSession
from .rules import format_hours
from .standings import standing, with_hours

STATUS_MARKS = {"present": "ob.", "absent": "nb.", "excused": "usp."}


def _by_name(trainees):
    return sorted(trainees, key=lambda t: (t.sort_name, t.pk))


def _trainees_by_group(group_ids) -> dict[int, list[Trainee]]:
    grouped = defaultdict(list)
    for trainee in Trainee.objects.filter(group_id__in=group_ids).select_related("member"):
        grouped[trainee.group_id].append(trainee)
    return {pk: _by_name(items) for pk, items in grouped.items()}


def sheet_sessions(sessions):
    return sessions.select_related("group__module__contract__supplier").order_by(
        "group__module__number", "group_id", "date", "starts_at"
    )


def sign_in_sheets_context(sessions) -> dict:
    sessions = list(sheet_sessions(sessions))
    trainees = _trainees_by_group({s.group_id for s in sessions})
    return {
        "project": Project.current(),
        "sheets": [{"session": s, "trainees": trainees.get(s.group_id, [])} for s in sessions],
    }


@in_office_language
def sign_in_sheets_pdf(sessions) -> bytes:
    """One sign-in sheet (lista obecności) per session, in one PDF."""
    return render_pdf("training/pdf/sign_in_sheets.html", sign_in_sheets_context(sessions))


def register_rows(group: TrainingGroup):
    """The attendance register: sessions as columns, trainees as rows, with their standing."""
    sessions = list(group.sessions.order_by("date", "starts_at"))
    marks = defaultdict(dict)
    for session_id, trainee_id, status in group.sessions.values_list(
        "pk", "attendance__trainee_id", "attendance__status"
    ):
        if trainee_id:
            marks[trainee_id][session_id] = status
    rows = []
    for trainee in _by_name(with_hours(Trainee.objects.filter(group=group))):
        rows.append(
            {
                "trainee": trainee,
                "marks": [marks[trainee.pk].get(s.pk, "") for s in sessions],
                "standing": standing(trainee),
            }
        )
    return sessions, rows


@in_office_language
def register_pdf(group: TrainingGroup) -> bytes:
    sessions, rows = register_rows(group)
    return render_pdf(
        "training/pdf/register.html",
        {
            "project": Project.current(),
            "group": group,
            "module": group.module,
            "sessions": sessions,
            "rows": rows,
            "marks": STATUS_MARKS,
            "printed_at": timezone.localtime(clock.now()),
        },
    )


def certificate_refusal(trainee: Trainee) -> str | None:
    """Why no certificate can be printed for this trainee (None: it can)."""
    state = standing(trainee)
    if state.completed:
        return None
    module = trainee.module
    if module.is_e_learning:
        return _(
            "%(name)s has not completed %(module)s: %(progress)s%% of the course done, "
            "%(needed)s%% needed. No certificate is issued."
        ) % {
            "name": trainee.full_name,
            "module": module.name,
            "progress": format_hours(state.progress) if state.progress is not None else "0",
            "needed": module.completion_percent,
        }
    return _(
        "%(name)s attended %(attended)s h of %(planned)s h, below the %(needed)s h needed to "
        "complete %(module)s. No certificate is issued."
    ) % {
        "name": trainee.full_name,
        "attended": format_hours(state.attended),
        "planned": format_hours(state.planned),
        "needed": format_hours(state.required),
        "module": module.name,
    }


def _group_facts(group_ids) -> dict[int, dict]:
    """Each group's first and last session day and its topics in order."""
    facts = {}
    for session in TrainingSession.objects.filter(group_id__in=group_ids).order_by(
        "date", "starts_at"
    ):
        fact = facts.setdefault(
            session.group_id, {"first": session.date, "last": session.date, "topics": []}
        )
        fact["last"] = session.date
        if session.topic not in fact["topics"]:
            fact["topics"].append(session.topic)
    return facts


def certificates_context(trainees, today: datetime.date | None = None) -> dict:
    trainees = list(trainees)
    facts = _group_facts({t.group_id for t in trainees})
    today = today or clock.today()
    certificates = []
    for trainee in trainees:
        module = trainee.module
        fact = facts.get(trainee.group_id, {})
        certificates.append(
            {
                "trainee": trainee,
                "module": module,
                "standing": standing(trainee),
                "first": fact.get("first", module.starts_on),
                "last": fact.get("last", module.ends_on),
                "topics": fact.get("topics", []),
                "issued_on": trainee.certificate_issued_on or min(today, module.ends_on),
            }
        )
    return {"project": Project.current(), "certificates": certificates}


CERTIFICATES_TEMPLATE = "training/pdf/certificates.html"


@in_office_language
def certificates_pdf(trainees, today=None, draft: bool = False) -> bytes:
    """Certificates of completion (zaświadczenia), one page each; refused for anyone who did
    not complete the module. A draft (not issued yet) says "PROJEKT" across the page."""
    trainees = list(trainees)
    for trainee in trainees:
        refusal = certificate_refusal(trainee)
        if refusal:
            raise ValidationError(refusal)
    context = certificates_context(trainees, today)
    return render_pdf(CERTIFICATES_TEMPLATE, {**context, "draft": draft})


# A trainee's certificate is binding once issued (do_issue_certificate stores it then, on
# commit); before that it prints live as a draft. (Its label is the core's:
# lebork_einclusion.archive._LABELS.)
CERTIFICATE = "training.certificate"


def certificate_renderer(trainee_id: int):
    """render(draft) of one trainee's certificate, read afresh (with the hours attended)."""

    def render(draft: bool) -> bytes:
        trainee = with_hours(
            Trainee.objects.select_related("participant__application", "module__contract__supplier")
        ).get(pk=trainee_id)
        return certificates_pdf([trainee], draft=draft)

    return render


def archive_certificate(trainee: Trainee, *, actor) -> None:
    """Store the certificate as issued once the issue commits."""
    archive.store_on_commit(trainee, CERTIFICATE, certificate_renderer(trainee.pk), actor=actor)


def batch_trainees(queryset) -> tuple[list[Trainee], dict]:
    """Those of the queryset whose certificate goes into a batch, by group and name: everyone
    who completed the module, and everyone whose certificate was issued or archived (what was
    issued stays issued, whatever the hours say now); with their archived certificates by
    trainee."""
    trainees = list(
        with_hours(queryset.select_related("module__contract__supplier", "participant"))
    )
    archived = archive.found_for(trainees, CERTIFICATE)
    chosen = [
        t
        for t in trainees
        if t.pk in archived or t.certificate_issued_on is not None or standing(t).completed
    ]
    return sorted(chosen, key=lambda t: (t.group_id, t.sort_name, t.pk)), archived


@in_office_language
def certificates_file(queryset, folder: Path, progress=None, *, actor=None) -> Path:
    """The certificates of a group or a module in one PDF file in `folder` (batch_trainees()),
    each its own document made by the pool of PDF workers: a certificate archived as issued is
    its stored file, copied, not rendered again; one issued but not archived yet (issued
    while archiving was suspended) is rendered as issued and archived from the part just made;
    one not issued yet prints as a draft ("PROJEKT" across the page). Refused (EmptyBatch)
    when there is no certificate to print."""
    trainees, archived = batch_trainees(queryset)
    project = Project.current()
    contexts = certificates_context([t for t in trainees if t.pk not in archived])["certificates"]
    by_trainee = {item["trainee"].pk: item for item in contexts}
    to_archive: dict[int, Path] = {}

    def documents():
        for trainee in trainees:
            stored = archived.get(trainee.pk)
            if stored is not None:
                yield (f"certificate-{trainee.pk}-{stored.sha256[:16]}", Path(stored.file.path))
                continue
            issued = trainee.certificate_issued_on is not None
            key = f"certificate-{trainee.pk}-{'issued' if issued else 'draft'}"
            if issued:
                to_archive[trainee.pk] = folder / f"{key}.pdf"
            yield (
                key,
                {"project": project, "certificates": [by_trainee[trainee.pk]], "draft": not issued},
            )

    path = render_pdf_files(
        CERTIFICATES_TEMPLATE, documents(), len(trainees), folder, progress=progress
    )
    for trainee in trainees:
        if trainee.pk in to_archive:
            content = to_archive[trainee.pk].read_bytes()
            archive.store(trainee, CERTIFICATE, lambda draft, c=content: c, actor=actor)
    return path


def certificates_batch_pdf(queryset, *, actor=None) -> bytes:
    """certificates_file() as bytes, made in a scratch folder."""
    with tempfile.TemporaryDirectory(prefix="certificates-") as folder:
        return certificates_file(queryset, Path(folder), actor=actor).read_bytes()


SHEETS_TEMPLATE = "training/pdf/sign_in_sheets.html"
SIGNED_SHEET_TEMPLATE = "training/pdf/signed_sheet.html"
SCANS_PREFIX = "sheet-scans/"


class SignedSheetFetcher(StaticOnlyFetcher):
    """The PDF pipeline's fetcher (static files only), also answering the images of the signed
    sheets a batch names (their paths on disk, read by the worker that lays the page out)."""

    def __init__(self):
        super().__init__()
        self.files: dict[str, str] = {}

    def add(self, field_file, name: str) -> str:
        self.files[name] = field_file.path
        return SCANS_PREFIX + name

    def fetch(self, url, headers=None):
        prefix = BASE_URL + SCANS_PREFIX
        name = url[len(prefix) :] if url.startswith(prefix) else None
        if name in self.files:
            content = Path(self.files[name]).read_bytes()
            self.served.append(url[len(BASE_URL) :])
            return URLFetcherResponse(
                url, content, {"Content-Type": CONTENT_TYPES[kind_of(content)]}
            )
        return super().fetch(url, headers)


def _joinable_pdf(path: Path) -> bool:
    """A scan in PDF that pypdf can join (a damaged file goes in as a page naming it)."""
    try:
        return len(PdfReader(path).pages) > 0
    except Exception:
        return False


@in_office_language
def sheets_file(sessions, folder: Path, progress=None) -> Path:
    """The sign-in sheets of the sessions (a group's or a module's) in one PDF file in `folder`,
    each its own document made by the pool of PDF workers. A session whose signed sheet is
    attached is that scan as it was signed: a PDF copied page for page, an image put on a page
    of its own as it is (never the blank form rendered again with today's names); the others
    are blank forms to sign."""
    sessions = list(sheet_sessions(sessions))
    trainees = _trainees_by_group({s.group_id for s in sessions})
    project = Project.current()
    fetcher = SignedSheetFetcher()

    def documents():
        for session in sessions:
            if session.sheet_scan:
                path = Path(session.sheet_scan.path)
                key = f"sheet-{session.pk}-signed-v{session.version}"
                kind = kind_of(path.open("rb").read(16))
                if kind == "pdf" and _joinable_pdf(path):
                    yield key, path
                    continue
                image = fetcher.add(session.sheet_scan, f"{session.pk}{path.suffix}")
                yield (
                    key,
                    {
                        "project": project,
                        "session": session,
                        "image": image if kind in ("jpeg", "png") else "",
                        "template": SIGNED_SHEET_TEMPLATE,
                    },
                )
                continue
            yield (
                f"sheet-{session.pk}-v{session.version}",
                {
                    "project": project,
                    "sheets": [
                        {"session": session, "trainees": trainees.get(session.group_id, [])}
                    ],
                    "template": SHEETS_TEMPLATE,
                },
            )

    return render_pdf_files(
        "training/pdf/sheet_part.html",
        documents(),
        len(sessions),
        folder,
        progress=progress,
        fetcher=fetcher,
    )


def sheets_batch_pdf(sessions) -> bytes:
    """sheets_file() as bytes, made in a scratch folder."""
    with tempfile.TemporaryDirectory(prefix="sheets-") as folder:
        return sheets_file(sessions, Path(folder)).read_bytes()
