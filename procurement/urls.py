from django.urls import path

from lebork_einclusion.formkeys import once

from . import views

app_name = "procurement"

urlpatterns = [
    path("", views.procedure_list, name="procedure_list"),
    path("register.xlsx", views.procedure_export, name="procedure_export"),
    path("ocds.json", views.ocds_export, name="ocds_export"),
    path("new/", once(views.procedure_edit), name="procedure_new"),
    path("<int:pk>/", views.procedure_detail, name="procedure_detail"),
    path("<int:pk>/edit/", views.procedure_edit, name="procedure_edit"),
    path("<int:pk>/siwz/", views.procedure_document, name="procedure_document"),
    path("<int:pk>/announce/", views.procedure_announce, name="procedure_announce"),
    path("<int:pk>/open-offers/", views.procedure_open_offers, name="procedure_open_offers"),
    path("<int:pk>/offers/new/", once(views.offer_new), name="offer_new"),
    path("<int:pk>/award/", views.procedure_award, name="procedure_award"),
    path("<int:pk>/contract/", views.procedure_sign_contract, name="procedure_sign_contract"),
    path("<int:pk>/annul/", views.procedure_annul, name="procedure_annul"),
    path("<int:pk>/reannounce/", views.procedure_reannounce, name="procedure_reannounce"),
    path("offers/<int:pk>/", views.offer_edit, name="offer_edit"),
    path("suppliers/", views.supplier_list, name="supplier_list"),
    path("suppliers/new/", once(views.supplier_edit), name="supplier_new"),
    path("suppliers/<int:pk>/", views.supplier_detail, name="supplier_detail"),
    path("suppliers/<int:pk>/edit/", views.supplier_edit, name="supplier_edit"),
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/edit/", views.contract_edit, name="contract_edit"),
    path("contracts/<int:pk>/amend/", views.contract_amend, name="contract_amend"),
    path(
        "contracts/<int:pk>/attachments/new/",
        once(views.contract_attachment_new),
        name="contract_attachment_new",
    ),
    path(
        "contracts/attachments/<int:pk>/",
        views.contract_attachment,
        name="contract_attachment",
    ),
]
