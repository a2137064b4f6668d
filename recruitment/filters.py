"""The application list: one row per application, read from its live evaluation so that every
order and count the page needs is an index walk on the evaluation table, whatever the call's
size (its own call, status, place, points and registration order are columns there)."""

import django_filters
from django import forms
from django.db.models import CharField, Exists, F, Func, OuterRef, Q, Subquery, Value
from django.utils.translation import gettext_lazy as _

from lebork_einclusion.forms import style_widgets
from lebork_einclusion.search import search_text

from . import domain
from .models import ApplicationDocument, Evaluation, HouseholdMember
from .queries import verified_by_reviewer

WARNING_CHOICES = [
    ("any", _("any warning")),
    (domain.CRITERION_NOT_CREDITED, _("criterion claimed without its document")),
    (domain.SAME_ADDRESS_AS, _("same address as another application")),
    ("none", _("no warnings")),
]


def evaluations_for_list(call):
    """A call's evaluations with what a list row shows, in one query: the application, the
    applicant's name and whether documents wait for verification."""
    applicant = HouseholdMember.objects.filter(
        application=OuterRef("application_id"), role=domain.APPLICANT
    ).order_by("pk")
    return (
        Evaluation.objects.filter(call=call)
        .select_related("application")
        .annotate(
            applicant_first_name=Subquery(applicant.values("first_name")[:1]),
            applicant_last_name=Subquery(applicant.values("last_name")[:1]),
            # Only for the grammar of the row ("zakończyła udział"): never shown.
            applicant_pesel=Subquery(applicant.values("pesel")[:1]),
            pending_documents=Exists(
                ApplicationDocument.objects.filter(
                    application=OuterRef("application_id"), verified_at__isnull=True
                )
            ),
        )
    )


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Number or surname"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=list(domain.STATUSES.items()))
    criterion = django_filters.ChoiceFilter(
        label=_("Credited criterion"), choices=list(domain.CRITERIA.items()), method="by_criterion"
    )
    points_min = django_filters.NumberFilter(
        label=_("Points from"), field_name="points", lookup_expr="gte"
    )
    points_max = django_filters.NumberFilter(
        label=_("Points to"), field_name="points", lookup_expr="lte"
    )
    warnings = django_filters.ChoiceFilter(
        label=_("Warnings"), choices=WARNING_CHOICES, method="by_warning"
    )
    pending = django_filters.BooleanFilter(
        label=_("Documents not yet verified"), method="by_pending", widget=forms.CheckboxInput
    )
    mine = django_filters.BooleanFilter(
        label=_("Verification I have begun"), method="by_mine", widget=forms.CheckboxInput
    )
    # Orders an index walks (surnames are found by the search); equal points in the ranking's
    # order (the earlier effective date, then the earlier registration).
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("sequence", "number"), ("points", "points")),
        field_labels={"sequence": _("number"), "points": _("points")},
    )

    class Meta:
        model = Evaluation
        fields = []

    def __init__(self, *args, call, user=None, **kwargs):
        self.user = user
        super().__init__(*args, queryset=evaluations_for_list(call).order_by("sequence"), **kwargs)
        style_widgets(self.form)

    @property
    def qs(self):
        qs = super().qs
        order = list(qs.query.order_by)
        if "-points" in order:  # the ranking's order (an index walk: evaluation_by_points)
            qs = qs.order_by(*order, "submitted_on", "sequence")
        elif "points" in order:  # the same walked backwards
            qs = qs.order_by(*order, "-submitted_on", "-sequence")
        return qs

    def search(self, queryset, name, value):
        value = search_text(value)
        if not value:
            return queryset
        return queryset.filter(
            Q(application__number__icontains=value)
            | Exists(
                HouseholdMember.objects.filter(
                    application=OuterRef("application_id"), last_name__icontains=value
                )
            )
        )

    def by_criterion(self, queryset, name, value):
        return queryset.filter(criteria__contains=[value])

    def by_warning(self, queryset, name, value):
        if value == "any":
            return queryset.exclude(warnings=[])
        if value == "none":
            return queryset.filter(warnings=[])
        # Warnings are "code:detail"; match the code in the array joined as text.
        joined = Func(
            F("warnings"), Value(" "), function="array_to_string", output_field=CharField()
        )
        return queryset.alias(warning_text=joined).filter(warning_text__contains=f"{value}:")

    def by_pending(self, queryset, name, value):
        return queryset.filter(pending_documents=True) if value else queryset

    def by_mine(self, queryset, name, value):
        if not value or self.user is None:
            return queryset
        return queryset.filter(pending_documents=True).filter(verified_by_reviewer(self.user))
