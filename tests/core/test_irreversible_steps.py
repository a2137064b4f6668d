"""Every step that cannot be undone asks for a confirmation the server checks (a required "I
confirm" box, no script: the CSP allows none): without it the step is refused with a Polish
message next to the box and nothing changes. The steps are enumerated here; the apps' tests
post each without the box (test_confirmations.py of lending and procurement, finance's
test_claims.py, training's test_certificate_issue.py, recruitment's approval in test_lists.py and
withdrawal in tests/security). The cancellation of a draft agreement is a button with its own
box (lending:agreement_cancel, tests/lending/test_confirmations.py)."""

import pytest
from django.utils import translation

from finance import forms as finance_forms
from lebork_einclusion import roles
from lebork_einclusion.forms import CONFIRM
from lending import forms as lending_forms
from procurement import forms as procurement_forms
from recruitment import forms as recruitment_forms
from training import forms as training_forms

# url name -> the form of the step (its POST goes through lebork_einclusion.pages.form_page or
# checks form.is_valid() itself).
IRREVERSIBLE = {
    "recruitment:ranking": recruitment_forms.ApproveListsForm,  # approval of the lists
    "recruitment:application_withdraw": recruitment_forms.WithdrawalForm,
    "lending:participant_end": lending_forms.EndParticipationForm,  # termination, resignation
    "lending:exclusion_decide": lending_forms.ExclusionDecisionForm,  # exclusion
    "lending:agreement_sign": lending_forms.SignForm,
    "lending:annex_sign": lending_forms.AnnexSignForm,
    "lending:agreement_transfer": lending_forms.TransferForm,  # transfer of ownership
    "lending:transfer_all": lending_forms.TransferForm,
    "lending:note_fill_in": lending_forms.FillInForm,
    "lending:note_release": lending_forms.NoteReleaseForm,  # the note returned or destroyed
    "lending:asset_write_off": lending_forms.WriteOffForm,
    "procurement:procedure_award": procurement_forms.AwardForm,
    "procurement:procedure_annul": procurement_forms.AnnulForm,
    "procurement:procedure_sign_contract": procurement_forms.ContractSignForm,
    "finance:claim_step": finance_forms.FileClaimForm,  # filing a payment claim
    "training:trainee_certificate_issue": training_forms.IssueCertificateForm,
}


@pytest.mark.parametrize(("url_name", "form_class"), IRREVERSIBLE.items())
def test_an_irreversible_step_requires_its_confirmation(url_name, form_class):
    assert url_name in roles.ACCESS, url_name
    field = form_class.base_fields[CONFIRM]
    assert field.required
    with translation.override("pl"):
        assert str(field.label).startswith("Potwierdzam")
        refusal = str(field.error_messages["required"])
    assert refusal.startswith("Potwierdź ") and "nie można" in refusal
