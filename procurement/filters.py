import django_filters
from django import forms
from django.db.models import Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from lebork_einclusion import clock

from .models import Contract, Procedure, Supplier


class StyledFilterSet(django_filters.FilterSet):
    """Bootstrap classes on the filter widgets (the list pages lay the filters out in a row)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if is_select else "form-control"


def _procedure_years():
    years = (
        Procedure.objects.annotate(y=ExtractYear("announcement_date"))
        .exclude(y=None)
        .order_by()
        .values_list("y", flat=True)
        .distinct()
    )
    return [(str(y), str(y)) for y in sorted(years, reverse=True)]


class ProcedureFilter(StyledFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", help_text=_("Subject, BZP number or case reference")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Procedure.Status.choices, empty_label=_("all")
    )
    procedure_type = django_filters.ChoiceFilter(
        label=_("Procedure type"), choices=Procedure.ProcedureType.choices, empty_label=_("all")
    )
    year = django_filters.ChoiceFilter(
        label=_("Year of the announcement"),
        choices=_procedure_years,
        empty_label=_("all"),
        method="by_year",
    )
    step = django_filters.ChoiceFilter(
        label=_("Next step"),
        choices=[("due", _("due now"))],
        empty_label=_("any"),
        method="by_step",
    )

    class Meta:
        model = Procedure
        fields = ["q", "status", "procedure_type", "year", "step"]

    def by_step(self, queryset, name, value):
        return queryset.with_step_due(clock.now())

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(subject__icontains=value)
            | Q(announcement_number__icontains=value)
            | Q(reference__icontains=value)
        )

    def by_year(self, queryset, name, value):
        return queryset.filter(announcement_date__year=int(value))


class SupplierFilter(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Name or NIP"), method="search")

    class Meta:
        model = Supplier
        fields = ["q"]

    def search(self, queryset, name, value):
        digits = value.replace("-", "").strip()
        return queryset.filter(Q(name__icontains=value) | Q(nip__startswith=digits))


class ContractFilter(StyledFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", help_text=_("Number, supplier or subject")
    )
    in_force_on = django_filters.DateFilter(
        label=_("In force on"),
        method="in_force",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    ending = django_filters.ChoiceFilter(
        label=_("Term ending"),
        choices=[("90", _("within 90 days"))],
        empty_label=_("any time"),
        method="by_ending",
    )

    class Meta:
        model = Contract
        fields = ["q", "in_force_on", "ending"]

    def by_ending(self, queryset, name, value):
        return queryset.ending(clock.today(), int(value))

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value)
            | Q(supplier__name__icontains=value)
            | Q(procedure__subject__icontains=value)
        )

    def in_force(self, queryset, name, value):
        return queryset.in_force_on(value)
