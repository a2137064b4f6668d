"""Background files of training: a module's sign-in sheets and certificates, one PDF each
(the page polls core:generated_file and offers the download)."""

from lebork_einclusion.background import run_generation, task

from . import papers
from .models import TrainingModule


@task()
def module_sheets(file_id: str, module_id: int) -> None:
    def build(progress):
        progress(0, 1)
        content = papers.module_sheets_pdf(TrainingModule.objects.get(pk=module_id))
        progress(1, 1)
        return content

    run_generation(file_id, build)


@task()
def module_certificates(file_id: str, module_id: int) -> None:
    def build(progress):
        progress(0, 1)
        content = papers.module_certificates_pdf(TrainingModule.objects.get(pk=module_id))
        progress(1, 1)
        return content

    run_generation(file_id, build)
