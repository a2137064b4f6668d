"""Files made in the background (all agreements of a call as one PDF, sign-in sheets...): the
waiting page, its progress, a retry, the download. Only their creator and the coordinator."""

import os

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import background
from ..models import GeneratedFile
from ..roles import COORDINATOR, has_role
from ..uploads import file_response


def _generated_file_for_user(request, pk):
    """The creator sees their file; the coordinator sees every file; anyone else gets 404."""
    generated = get_object_or_404(GeneratedFile, pk=pk)
    if generated.created_by_id != request.user.pk and not has_role(request.user, COORDINATOR):
        raise Http404
    return generated


def generated_file(request, pk):
    generated = _generated_file_for_user(request, pk)
    if background.fail_stale_jobs(pk=generated.pk):
        generated.refresh_from_db()
    return render(request, "core/generated_file.html", {"generated": generated})


@require_POST
def generated_file_retry(request, pk):
    """Queue a failed file's task again (the same task with the same arguments)."""
    generated = _generated_file_for_user(request, pk)
    if background.retry_generation(generated):
        messages.success(request, _("The file is being made again."))
    else:
        messages.error(request, _("Only a file that failed can be made again."))
    return redirect("core:generated_file", pk=generated.pk)


def generated_file_status(request, pk):
    generated = _generated_file_for_user(request, pk)
    if background.fail_stale_jobs(pk=generated.pk):
        generated.refresh_from_db()
    return JsonResponse(
        {
            "status": generated.status,
            "status_label": generated.progress_label,
            "done": generated.done,
            "total": generated.total,
            "percent": generated.percent,
            "error": generated.error,
            "retry": generated.can_retry,
            "download": reverse("core:generated_file_download", args=[generated.pk])
            if generated.status == GeneratedFile.Status.DONE
            else None,
        }
    )


def generated_file_download(request, pk):
    generated = _generated_file_for_user(request, pk)
    if generated.status != GeneratedFile.Status.DONE or not generated.file:
        raise Http404
    return file_response(generated.file, os.path.splitext(generated.filename)[0])
