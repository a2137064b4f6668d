"""The personal-data access log: who viewed PESEL, income or disability data, when, which
record, through which page; on screen and as a spreadsheet."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import clock
from ..forms import PersonalDataLogFilterForm
from ..models import PersonalDataAccess
from ..paging import query_without_page, seek_page
from ..tables import xlsx_response


def record_type_label(object_type: str) -> str:
    """A record type ("app_label.modelname") as people read it (the model's verbose name)."""
    if object_type == "gdpr.subject_export":
        return _("data-subject export (search by PESEL)")
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(model._meta.verbose_name)


def _kinds_label(kinds: str) -> str:
    labels = dict(PersonalDataAccess.Kind.choices)
    return ", ".join(str(labels.get(k, k)) for k in kinds.split(",") if k)


def _personal_data_log_rows(request):
    users = get_user_model().objects.order_by("username")
    types = sorted(
        PersonalDataAccess.objects.order_by().values_list("object_type", flat=True).distinct()
    )
    form = PersonalDataLogFilterForm(
        request.GET or None,
        user_choices=[(u.pk, u.get_full_name() or u.username) for u in users],
        type_choices=[(t, record_type_label(t)) for t in types],
    )
    entries = PersonalDataAccess.objects.select_related("user").order_by("-at", "-pk")
    if form.is_valid():
        data = form.cleaned_data
        if data["user"]:
            entries = entries.filter(user_id=data["user"])
        if data["object_type"]:
            entries = entries.filter(object_type=data["object_type"])
        if data["date_from"]:
            entries = entries.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            entries = entries.filter(at__date__lte=data["date_to"])
    elif form.is_bound:
        entries = entries.none()
    return form, entries


def personal_data_log(request):
    """Who viewed PESEL, income or disability data: when, which record, through which page."""
    form, entries = _personal_data_log_rows(request)
    page = seek_page(request, entries)
    rows = [
        {
            "entry": entry,
            "type": record_type_label(entry.object_type),
            "kinds": _kinds_label(entry.kinds),
        }
        for entry in page
    ]
    return render(
        request,
        "core/personal_data_log.html",
        {"form": form, "page": page, "rows": rows, "query": query_without_page(request)},
    )


def personal_data_log_export(request):
    _form, entries = _personal_data_log_rows(request)
    rows = (
        (
            timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
            (entry.user.get_full_name() or entry.user.username) if entry.user else "",
            entry.user.username if entry.user else "",
            entry.view_name,
            record_type_label(entry.object_type),
            entry.object_id,
            _kinds_label(entry.kinds),
        )
        for entry in entries.iterator(chunk_size=2000)
    )
    return xlsx_response(
        f"dostep-do-danych-{clock.today():%Y%m%d}.xlsx",
        _("Access to personal data"),
        [_("When"), _("User"), _("Login"), _("Page"), _("Record type"), _("Record"), _("Data")],
        rows,
    )
