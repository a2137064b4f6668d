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

from .concurrency import ConcurrentEditError, merge_stale
from .forms import CONFIRM, add_service_error
from .records import StaleVersion


def refuse_stale(form, error: StaleVersion, *, record=None) -> None:
    """The refusal of a stale save on the form, as a three-way merge (concurrency.merge_stale):
    field by field the saved value, the user's and who saved; the fields the user did not
    change take the saved values; the form carries the stored version. `record`: the versioned
    record of a form that is not a model form (who saved it is read from its history)."""
    instance = getattr(form, "instance", None)
    current = None
    if instance is not None and instance.pk:
        current = type(instance)._default_manager.get(pk=instance.pk)
    merge_stale(
        form,
        current_version=error.current_version,
        current=current,
        record=record,
        message=error.message,
    )


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
        # The "I confirm" box of an irreversible step (forms.confirmation_field) has done its
        # work once the form is valid: the step itself is given the data without it.
        data = {name: value for name, value in form.cleaned_data.items() if name != CONFIRM}
        try:
            target = perform(data)
        except StaleVersion as error:
            refuse_stale(form, error)
        except ValidationError as error:
            add_service_error(form, error)
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
