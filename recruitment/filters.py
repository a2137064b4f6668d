import django_filters
from django import forms
from django.db.models import CharField, Exists, F, Func, OuterRef, Q, Subquery, Value
from django.utils.translation import gettext_lazy as _

from lebork_einclusion.forms import style_widgets

from . import domain
from .models import Application, ApplicationDocument, HouseholdMember

WARNING_CHOICES = [
    ("any", _("any warning")),
    (domain.CRITERION_NOT_CREDITED, _("criterion claimed without its document")),
    (domain.SAME_ADDRESS_AS, _("same address as another application")),
    ("none", _("no warnings")),
]


def applications_for_list(call):
    """Applications of a call with what a list row shows, in one query: the live evaluation,
    the applicant's name and whether documents wait for verification."""
    applicant = HouseholdMember.objects.filter(application=OuterRef("pk"), role=domain.APPLICANT)
    return (
        Application.objects.filter(call=call)
        .select_related("evaluation")
        .annotate(
            applicant_first_name=Subquery(applicant.values("first_name")[:1]),
            applicant_last_name=Subquery(applicant.values("last_name")[:1]),
            pending_documents=Exists(
                ApplicationDocument.objects.filter(
                    application=OuterRef("pk"), verified_at__isnull=True
                )
            ),
        )
    )


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Number or surname"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), field_name="evaluation__status", choices=list(domain.STATUSES.items())
    )
    criterion = django_filters.ChoiceFilter(
        label=_("Credited criterion"), choices=list(domain.CRITERIA.items()), method="by_criterion"
    )
    points_min = django_filters.NumberFilter(
        label=_("Points from"), field_name="evaluation__points", lookup_expr="gte"
    )
    points_max = django_filters.NumberFilter(
        label=_("Points to"), field_name="evaluation__points", lookup_expr="lte"
    )
    warnings = django_filters.ChoiceFilter(
        label=_("Warnings"), choices=WARNING_CHOICES, method="by_warning"
    )
    pending = django_filters.BooleanFilter(
        label=_("Documents not yet verified"),
        method="by_pending",
        widget=forms.CheckboxInput,
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("sequence", "number"),
            ("evaluation__rank", "rank"),
            ("evaluation__points", "points"),
            ("applicant_last_name", "surname"),
            ("received_on", "received"),
        ),
        field_labels={
            "sequence": _("number"),
            "evaluation__rank": _("rank"),
            "evaluation__points": _("points"),
            "applicant_last_name": _("surname"),
            "received_on": _("date received"),
        },
    )

    class Meta:
        model = Application
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self.form)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Exists(
                HouseholdMember.objects.filter(
                    application=OuterRef("pk"), last_name__icontains=value
                )
            )
        )

    def by_criterion(self, queryset, name, value):
        return queryset.filter(evaluation__criteria__contains=[value])

    def by_warning(self, queryset, name, value):
        if value == "any":
            return queryset.exclude(evaluation__warnings=[])
        if value == "none":
            return queryset.filter(evaluation__warnings=[])
        # Warnings are "code:detail"; match the code in the array joined as text.
        joined = Func(
            F("evaluation__warnings"),
            Value(" "),
            function="array_to_string",
            output_field=CharField(),
        )
        return queryset.alias(warning_text=joined).filter(warning_text__contains=f"{value}:")

    def by_pending(self, queryset, name, value):
        return queryset.filter(pending_documents=True) if value else queryset
