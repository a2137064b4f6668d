"""Background files of training: a module's sign-in sheets and certificates, one PDF each
(the page polls core:generated_file and offers the download)."""

from lebork_einclusion.background import job_folder, run_generation, task
from lebork_einclusion.models import GeneratedFile

from . import papers
from .models import Trainee, TrainingSession


@task()
def module_sheets(file_id: str, module_id: int) -> None:
    """The module's sign-in sheets made by the pool of PDF workers in the job's folder (the
    signed ones copied from their scans: papers.sheets_file)."""
    run_generation(
        file_id,
        lambda progress: papers.sheets_file(
            TrainingSession.objects.filter(group__module_id=module_id),
            job_folder(file_id),
            progress,
        ),
    )


@task()
def module_certificates(file_id: str, module_id: int) -> None:
    """The module's certificates made by the pool of PDF workers in the job's folder (issued
    ones copied from the archive, the others as drafts: papers.certificates_file)."""
    actor = GeneratedFile.objects.get(pk=file_id).created_by
    run_generation(
        file_id,
        lambda progress: papers.certificates_file(
            Trainee.objects.filter(module_id=module_id),
            job_folder(file_id),
            progress,
            actor=actor,
        ),
    )
