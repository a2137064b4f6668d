"""Procurement's personal data in the registry (lebork_einclusion.gdpr): the contact persons of
suppliers and bidders (a name, a phone, an e-mail). The suppliers themselves are firms named in
the public register of procedures and contracts, which is kept as it is; their contact persons'
details are blanked after the project's retention period."""

from django.utils.translation import gettext_lazy as _

from lebork_einclusion import gdpr

from .models import Supplier

gdpr.register(
    gdpr.PersonalDataSource(
        model="procurement.Supplier",
        subjects=_("contact persons of suppliers and bidders"),
        purpose=_("public procurement: contact with bidders and contractors"),
        legal_basis=_(
            "Art. 6(1)(c) GDPR: the Public Procurement Law and the project agreement "
            "(documentation of procedures)"
        ),
        fields={"contact_person": gdpr.IDENTITY, "phone": gdpr.CONTACT, "email": gdpr.CONTACT},
        recipients=_("bidders and the public (the register of procedures), auditors"),
        find=lambda pesel: [],
        expired=gdpr.after_project_retention(
            lambda: Supplier.objects.exclude(contact_person="", phone="", email="")
        ),
        anonymise=gdpr.overwriting(contact_person="", phone="", email=""),
    )
)
