"""The equipment register: the list and export, the delivery import, an asset's page and its
steps (units, write-off, service, damage claims)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lebork_einclusion import clock
from lebork_einclusion.forms import add_service_error, explain_empty_choice
from lebork_einclusion.models import PublicUnit
from lebork_einclusion.pages import form_page
from lebork_einclusion.paging import query_without_page, seek_page
from lebork_einclusion.search import search_text
from lebork_einclusion.tables import read_table, xlsx_response

from ..forms import (
    AssetForm,
    CompleteServiceForm,
    DamageClaimForm,
    DateAndNoteForm,
    DeliveryImportForm,
    PlaceInUnitForm,
    ServiceForm,
    SettleClaimForm,
    WriteOffForm,
)
from ..models import (
    Asset,
)
from ..services.equipment import (
    do_complete_service,
    do_import_delivery,
    do_open_damage_claim,
    do_place_in_unit,
    do_record_service,
    do_return_from_unit,
    do_settle_claim,
    do_update_asset,
    do_write_off,
)
from ..workflow import possible_actions
from ._common import (
    asset_crumbs,
    asset_or_404,
    claim_or_404,
    service_or_404,
)


def _asset_rows(request):
    """The asset register filtered by status, kind, holder and serial."""
    assets = Asset.objects.with_holder()
    status = request.GET.get("status", "")
    if status in Asset.Status.values:
        assets = assets.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind in Asset.Kind.values:
        assets = assets.filter(kind=kind)
    holder = request.GET.get("holder", "")
    if holder == "household":
        assets = assets.filter(participant__isnull=False)
    elif holder == "stock":
        assets = assets.filter(participant__isnull=True, public_unit__isnull=True)
    elif holder.startswith("unit-") and holder[5:].isdigit():
        assets = assets.filter(public_unit_id=int(holder[5:]))
    query = search_text(request.GET.get("q"))
    if query:
        assets = assets.filter(
            Q(serial_number__icontains=query) | Q(inventory_number__icontains=query)
        )
    filters = {"status": status, "kind": kind, "holder": holder, "q": query}
    return assets.order_by("serial_number"), filters


def asset_list(request):
    assets, filters = _asset_rows(request)
    page = seek_page(request, assets)
    return render(
        request,
        "lending/asset_list.html",
        {
            "page": page,
            "filters": filters,
            "statuses": Asset.Status.choices,
            "kinds": Asset.Kind.choices,
            "units": PublicUnit.objects.order_by("name"),
            "query": query_without_page(request),
        },
    )


def asset_export(request):
    """The asset register as a spreadsheet (the list's filters apply)."""
    assets, _filters = _asset_rows(request)
    headers = [
        _("Serial number"),
        _("Inventory number"),
        _("Kind"),
        _("Make and model"),
        _("Value, gross (PLN)"),
        _("Delivered on"),
        _("Contract"),
        _("Supplier"),
        _("Warranty until"),
        _("Insurance"),
        _("Condition"),
        _("Status"),
        _("Holder"),
    ]

    def rows():
        for asset in assets.select_related("contract__supplier", "insurance_contract").iterator(
            chunk_size=500
        ):
            if asset.participant:
                holder = asset.participant.application.number
            elif asset.public_unit:
                holder = asset.public_unit.name
            else:
                holder = ""
            yield [
                asset.serial_number,
                asset.inventory_number,
                asset.get_kind_display(),
                asset.make_model,
                asset.value,
                asset.delivered_on,
                asset.contract.number,
                asset.contract.supplier.name,
                asset.warranty_until,
                asset.insurance_contract.number
                if asset.insurance_contract
                else asset.insurance_policy,
                asset.get_condition_display(),
                asset.get_status_display(),
                holder,
            ]

    return xlsx_response("rejestr-sprzetu.xlsx", _("Equipment"), headers, rows())


def asset_import(request):
    form = DeliveryImportForm(
        request.POST or None, request.FILES or None, initial={"delivered_on": clock.today()}
    )
    problems = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            table = read_table(data["file"])
        except ValidationError as error:
            form.add_error("file", error)
            table = None
        if table is not None:
            try:
                assets = do_import_delivery(
                    table,
                    data["contract"],
                    data["delivered_on"],
                    insurance_contract=data["insurance_contract"],
                    insurance_policy=data["insurance_policy"],
                    actor=request.user,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    add_service_error(form, error)
                else:  # the problems of the file's rows, each on its own line
                    problems = error.messages
                    form.add_error(
                        "file", _("The file has errors (listed below). Nothing has been saved.")
                    )
            else:
                messages.success(
                    request, _("%(n)d assets have been registered.") % {"n": len(assets)}
                )
                return redirect(reverse("lending:asset_list") + "?status=in_stock")
    return render(request, "lending/asset_import.html", {"form": form, "problems": problems})


def asset_detail(request, pk):
    asset = asset_or_404(pk)
    return render(
        request,
        "lending/asset_detail.html",
        {
            "asset": asset,
            "actions": possible_actions("asset", asset.status),
            "events": asset.history.select_related(
                "participant__application", "public_unit", "actor"
            ),
            "items": asset.loan_items.select_related(
                "agreement__participant__application"
            ).order_by("-pk"),
            "services": asset.service_records.select_related("recorded_by"),
            "claims": asset.claims.select_related("agreement", "note"),
        },
    )


def asset_edit(request, pk):
    asset = asset_or_404(pk)
    form = AssetForm(request.POST or None, instance=asset)

    def perform(data):
        data = dict(data)
        version = data.pop("version")
        do_update_asset(asset, data, expected_version=version, actor=request.user)
        return reverse("lending:asset_detail", args=[pk])

    return form_page(
        request,
        form,
        perform,
        template="lending/form.html",
        success=_("The asset has been saved."),
        back=reverse("lending:asset_detail", args=[pk]),
        context={
            "title": _("Correct asset %(serial)s") % {"serial": asset.serial_number},
            "crumbs": asset_crumbs(asset),
        },
    )


def asset_place(request):
    """Equipment from stock to a public unit's computer lab (several at once)."""
    stock = Asset.objects.in_stock().order_by("kind", "serial_number")
    chosen = [value for value in request.GET.getlist("asset") if value.isdigit()]
    form = PlaceInUnitForm(
        request.POST or None, assets=stock, initial={"placed_on": clock.today(), "assets": chosen}
    )
    explain_empty_choice(
        form.fields["assets"],
        _(
            "No equipment is in stock: every set is lent, placed in a unit or written off. Equipment comes back into stock with a recorded return, or is added to the register after a delivery."
        ),
        reverse("lending:asset_import"),
        _("Add delivered equipment to the register"),
    )

    def perform(data):
        do_place_in_unit(list(data["assets"]), data["unit"], data["placed_on"], actor=request.user)
        return reverse("lending:asset_list") + f"?holder=unit-{data['unit'].pk}"

    return form_page(
        request,
        form,
        perform,
        template="lending/form.html",
        success=_("The equipment has been placed in the unit."),
        back=reverse("lending:asset_list"),
        context={
            "title": _("Place equipment in a public unit"),
            "crumbs": [(_("Equipment"), reverse("lending:asset_list"))],
            "submit": _("Place"),
        },
    )


def asset_unit_return(request, pk):
    asset = asset_or_404(pk)
    form = DateAndNoteForm(request.POST or None, initial={"day": clock.today()})

    def perform(data):
        do_return_from_unit(asset, data["day"], data["note"], actor=request.user)
        return reverse("lending:asset_detail", args=[pk])

    return form_page(
        request,
        form,
        perform,
        template="lending/form.html",
        success=_("The asset is back in stock."),
        back=reverse("lending:asset_detail", args=[pk]),
        context={
            "title": _("Asset %(serial)s back from the unit to stock")
            % {"serial": asset.serial_number},
            "crumbs": asset_crumbs(asset),
        },
    )


def asset_write_off(request, pk):
    asset = asset_or_404(pk)
    form = WriteOffForm(request.POST or None, initial={"written_off_on": clock.today()})

    def perform(data):
        do_write_off(asset, data["written_off_on"], data["reason"], actor=request.user)
        return reverse("lending:asset_detail", args=[pk])

    return form_page(
        request,
        form,
        perform,
        template="lending/form.html",
        success=_("The asset has been written off."),
        back=reverse("lending:asset_detail", args=[pk]),
        context={
            "title": _("Write off asset %(serial)s") % {"serial": asset.serial_number},
            "crumbs": asset_crumbs(asset),
            "submit": _("Write off"),
        },
    )


def asset_service(request, pk):
    asset = asset_or_404(pk)
    form = ServiceForm(request.POST or None, initial={"started_on": clock.today()})

    def perform(data):
        do_record_service(
            asset,
            data["description"],
            kind=data["kind"],
            started_on=data["started_on"],
            completed_on=data["completed_on"],
            provider=data["provider"],
            cost=data["cost"],
            taken_away=data["taken_away"],
            actor=request.user,
        )
        return reverse("lending:asset_detail", args=[pk])

    return form_page(
        request,
        form,
        perform,
        template="lending/form.html",
        success=_("The service has been recorded."),
        back=reverse("lending:asset_detail", args=[pk]),
        context={
            "title": _("Service of asset %(serial)s") % {"serial": asset.serial_number},
            "crumbs": asset_crumbs(asset),
        },
    )


def service_complete(request, pk):
    record = service_or_404(pk)
    form = CompleteServiceForm(request.POST or None, initial={"completed_on": clock.today()})

    def perform(data):
        do_complete_service(
            record,
            data["completed_on"],
            cost=data["cost"],
            condition=data["condition"] or None,
            actor=request.user,
        )
        return reverse("lending:asset_detail", args=[record.asset_id])

    return form_page(
        request,
        form,
        perform,
        template="lending/form.html",
        success=_("The service has been completed."),
        back=reverse("lending:asset_detail", args=[record.asset_id]),
        context={
            "title": _("Service of %(serial)s completed") % {"serial": record.asset.serial_number},
            "lead": record.description,
            "crumbs": asset_crumbs(record.asset),
        },
    )


def asset_damage(request, pk):
    asset = asset_or_404(pk)
    form = DamageClaimForm(request.POST or None, initial={"occurred_on": clock.today()})

    def perform(data):
        do_open_damage_claim(
            asset,
            data["description"],
            occurred_on=data["occurred_on"],
            kind=data["kind"],
            amount=data["amount"],
            condition=data["condition"],
            actor=request.user,
        )
        return reverse("lending:asset_detail", args=[pk])

    return form_page(
        request,
        form,
        perform,
        template="lending/form.html",
        success=_("The damage claim has been recorded."),
        back=reverse("lending:asset_detail", args=[pk]),
        context={
            "title": _("Damage or loss of asset %(serial)s") % {"serial": asset.serial_number},
            "intro": _(
                "A lent asset's claim is secured by the household's promissory note (§6.3-4)."
            ),
            "crumbs": asset_crumbs(asset),
            "submit": _("Record the claim"),
        },
    )


def claim_settle(request, pk):
    claim = claim_or_404(pk)
    form = SettleClaimForm(
        request.POST or None, initial={"settled_on": clock.today(), "amount": claim.amount}
    )

    def perform(data):
        do_settle_claim(
            claim,
            data["status"],
            data["settled_on"],
            data["note"],
            amount=data["amount"],
            actor=request.user,
        )
        return reverse("lending:asset_detail", args=[claim.asset_id])

    return form_page(
        request,
        form,
        perform,
        template="lending/form.html",
        success=_("The claim has been settled."),
        back=reverse("lending:asset_detail", args=[claim.asset_id]),
        context={
            "title": _("Settle the claim for %(serial)s") % {"serial": claim.asset.serial_number},
            "lead": claim.description,
            "crumbs": asset_crumbs(claim.asset),
        },
    )
