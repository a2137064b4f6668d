"""Batches of papers: laid out by a pool of worker processes, each document to its own file,
then joined on disk; a job started again makes only what is missing; an empty batch and a
dead worker are said plainly and leave no file to download."""

import io
import os

import pytest
from django.urls import reverse
from pypdf import PdfReader

from lebork_einclusion import pdf, roles
from lebork_einclusion.background import job_folder, run_generation, start_generation, task
from lebork_einclusion.models import GeneratedFile


def texts(path) -> list[str]:
    reader = PdfReader(io.BytesIO(path.read_bytes()) if hasattr(path, "read_bytes") else path)
    return [page.extract_text() for page in reader.pages]


@pytest.fixture(autouse=True)
def plain_html(monkeypatch):
    """Each document's HTML says its context's text (rendered in the parent, as in life)."""
    monkeypatch.setattr(pdf, "render_to_string", lambda name, context: f"<p>{context['text']}</p>")


def documents(*words):
    return [(word, {"text": f"Dokument {word}"}) for word in words]


def test_a_batch_is_made_by_two_workers_in_order_and_counts_rendering_then_joining(
    tmp_path, settings
):
    settings.EINCLUSION_PDF_WORKERS = 2
    calls = []
    path = pdf.render_pdf_files(
        "x.html",
        documents("alfa", "beta", "gamma"),
        3,
        tmp_path,
        progress=lambda *args: calls.append(args),
    )
    assert path == tmp_path / "joined.pdf"
    pages = texts(path)
    assert [p.strip() for p in pages] == ["Dokument alfa", "Dokument beta", "Dokument gamma"]
    assert calls == [
        (1, 3),
        (2, 3),
        (3, 3),
        (1, 3, "joining"),
        (2, 3, "joining"),
        (3, 3, "joining"),
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "alfa.pdf",
        "beta.pdf",
        "gamma.pdf",
        "joined.pdf",
    ]


def test_a_document_already_made_is_not_made_again(tmp_path, settings):
    settings.EINCLUSION_PDF_WORKERS = 1
    pdf.render_pdf_files("x.html", [("beta", {"text": "Zrobiony wcześniej"})], 1, tmp_path)
    (tmp_path / "joined.pdf").unlink()
    path = pdf.render_pdf_files("x.html", documents("alfa", "beta"), 2, tmp_path)
    assert [p.strip() for p in texts(path)] == ["Dokument alfa", "Zrobiony wcześniej"]


def test_a_paper_given_as_a_file_is_copied_not_rendered(tmp_path, settings):
    settings.EINCLUSION_PDF_WORKERS = 2
    signed = tmp_path / "archive" / "signed.pdf"
    pdf.render_pdf_files("x.html", [("s", {"text": "Podpisana umowa"})], 1, signed.parent)
    signed.write_bytes((signed.parent / "s.pdf").read_bytes())
    work = tmp_path / "job"
    path = pdf.render_pdf_files(
        "x.html", [("a", {"text": "Nowa"}), ("signed", signed)], 2, work, progress=None
    )
    assert [p.strip() for p in texts(path)] == ["Nowa", "Podpisana umowa"]


def test_an_empty_batch_is_refused_and_makes_no_file(tmp_path):
    with pytest.raises(pdf.EmptyBatch, match="Nie ma czego drukować"):
        pdf.render_pdf_files("x.html", [], 0, tmp_path)
    assert not (tmp_path / "joined.pdf").exists()


def dying_render(html, path, fetcher=None):
    """A worker killed while laying out the document of "beta" (as by the OOM killer)."""
    if path.endswith("beta.pdf"):
        os._exit(9)
    pdf_render(html, path, fetcher)


pdf_render = pdf._render_part


def test_a_worker_killed_mid_batch_fails_clearly_and_keeps_what_was_made(
    tmp_path, settings, monkeypatch
):
    settings.EINCLUSION_PDF_WORKERS = 2
    monkeypatch.setattr(pdf, "_render_part", dying_render)
    with pytest.raises(pdf.BatchInterrupted, match="spróbuj ponownie"):
        pdf.render_pdf_files("x.html", documents("alfa", "beta"), 2, tmp_path)
    assert not (tmp_path / "joined.pdf").exists()
    assert not (tmp_path / "beta.pdf").exists()


@task()
def print_words(file_id: str, *words) -> None:
    run_generation(
        file_id,
        lambda progress: pdf.render_pdf_files(
            "x.html", documents(*words), len(words), job_folder(file_id), progress
        ),
    )


@pytest.fixture
def owner(make_user):
    return make_user(roles.ASSISTANT)


def test_a_job_whose_worker_died_fails_then_a_retry_makes_only_the_rest(
    client, owner, settings, monkeypatch
):
    settings.EINCLUSION_PDF_WORKERS = 1
    monkeypatch.setattr(pdf, "_render_part", dying_render_in_process)
    generated = start_generation(owner, "Słowa", "slowa.pdf", print_words, "alfa", "beta")
    assert generated.status == GeneratedFile.Status.FAILED
    assert "Dokumenty gotowe do tej pory zostały zachowane" in generated.error
    assert not generated.file
    assert sorted(p.name for p in job_folder(generated.pk).iterdir()) == ["alfa.pdf"]
    client.force_login(owner)
    assert (
        client.get(reverse("core:generated_file_download", args=[generated.pk])).status_code == 404
    )

    monkeypatch.setattr(pdf, "_render_part", counting_render)
    rendered.clear()
    response = client.post(reverse("core:generated_file_retry", args=[generated.pk]))
    assert response.status_code == 302
    generated.refresh_from_db()
    assert generated.status == GeneratedFile.Status.DONE
    assert rendered == ["beta.pdf"]  # alfa was made by the first attempt
    assert [p.strip() for p in texts(generated.file.open("rb"))] == [
        "Dokument alfa",
        "Dokument beta",
    ]
    assert not job_folder(generated.pk).exists()  # the parts go once the file is stored


rendered = []


def counting_render(html, path, fetcher=None):
    rendered.append(os.path.basename(path))
    pdf_render(html, path, fetcher)


class WorkerDied(Exception):
    pass


def dying_render_in_process(html, path, fetcher=None):
    if path.endswith("beta.pdf"):
        raise pdf.BatchInterrupted() from WorkerDied()
    pdf_render(html, path, fetcher)


def test_an_empty_batch_job_says_so_and_offers_no_file(owner):
    generated = start_generation(owner, "Nic", "nic.pdf", print_words)
    assert generated.status == GeneratedFile.Status.FAILED
    assert generated.error == "Nie ma czego drukować: lista dokumentów jest pusta."
    assert not generated.file


def test_the_same_file_asked_for_again_while_it_is_made_is_the_first_one(owner):
    first = GeneratedFile.objects.create(
        title="Słowa",
        filename="slowa.pdf",
        created_by=owner,
        task_path=print_words.module_path,
        task_args=["alfa"],
        status=GeneratedFile.Status.RUNNING,
    )
    again = start_generation(owner, "Słowa", "slowa.pdf", print_words, "alfa")
    assert again.pk == first.pk
    assert GeneratedFile.objects.filter(created_by=owner).count() == 1


def test_the_progress_says_the_files_are_being_joined(client, owner):
    generated = GeneratedFile.objects.create(
        title="Umowy", filename="umowy.pdf", created_by=owner, done=40, total=75
    )
    GeneratedFile.objects.filter(pk=generated.pk).update(
        status=GeneratedFile.Status.RUNNING, stage="joining"
    )
    client.force_login(owner)
    status = client.get(reverse("core:generated_file_status", args=[generated.pk])).json()
    assert status["status_label"] == "łączenie plików…"
    page = client.get(reverse("core:generated_file", args=[generated.pk])).content.decode()
    assert "łączenie plików… (40/75)" in page


def font_names(path) -> set[str]:
    names = set()
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def test_workers_keep_their_fonts_across_documents_and_leave_no_font_copies(
    tmp_path, settings, monkeypatch
):
    """Each worker registers the bundled fonts once and lays out every document it gets with
    them: every page of the batch is in the bundled font, regular and bold, with its Polish
    letters; WeasyPrint's copies of the fonts are gone when the batch ends."""
    settings.EINCLUSION_PDF_WORKERS = 2
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    styled = '<link rel="stylesheet" href="/static/css/print.css">Zażółć <b>gęślą jaźń</b> {}'
    batch = [(f"d{n}", {"text": styled.format(n)}) for n in range(5)]
    path = pdf.render_pdf_files("x.html", batch, 5, tmp_path / "job")
    assert [p.strip() for p in texts(path)] == [f"Zażółć gęślą jaźń {n}" for n in range(5)]
    for n in range(5):
        assert font_names(tmp_path / "job" / f"d{n}.pdf") == {"Print-Sans", "Print-Sans-Bold"}
    assert list(scratch.iterdir()) == []
