"""The one form page: form -> service -> message -> redirect, a refusal next to its field.

    def contract_edit(request, pk):
        contract = get_object_or_404(Contract, pk=pk)
        form = ContractEditForm(request.POST or None, instance=contract)
        return form_page(
            request, form,
            lambda data: services.do_update_contract(contract, data, actor=request.user),
            template="procurement/contract_form.html",
            context={"contract": contract, "title": _("Edit the contract")},
            success=_("The contract has been saved."),
            back=reverse("procurement:contract_detail", args=[contract.pk]),
        )

On a valid POST `perform(cleaned_data)` runs (the service checks everything again in its own
transaction) and returns where to go (None: `back`). A ValidationError goes onto the form,
next to the field it names, and the page is shown again with everything the user typed.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from .concurrency import ConcurrentEditError
from .forms import add_service_error


def carry_current_version(form, error: ValidationError) -> None:
    """After a refused stale save (records.StaleVersion) the form keeps the user's entries and
    now carries the stored version: the next "Save" overwrites knowingly."""
    current = getattr(error, "current_version", None)
    if current is None or "version" not in form.fields:
        return
    data = form.data.copy()
    data[form.add_prefix("version")] = str(current)
    form.data = data


def form_page(
    request,
    form,
    perform,
    *,
    template: str,
    success,
    back: str = "",
    context: dict | None = None,
):
    if request.method == "POST" and form.is_valid():
        try:
            target = perform(form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            carry_current_version(form, error)
        except ConcurrentEditError:
            pass  # save_versioned() already explained it on the form
        else:
            messages.success(request, success)
            return redirect(target or back)
    page = {
        "form": form,
        "back": back,
        "submit": _("Save"),
        "multipart": form.is_multipart(),
    }
    page.update(context or {})
    return render(request, template, page)
