from django.urls import path

from lebork_einclusion.formkeys import once

from . import views

app_name = "lending"

urlpatterns = [
    path("participants/", views.participant_list, name="participant_list"),
    path("participants/<int:pk>/", views.participant_detail, name="participant_detail"),
    path("participants/<int:pk>/end/", views.participant_end, name="participant_end"),
    path("participants/<int:pk>/agreement/", once(views.agreement_new), name="agreement_new"),
    path("participants/<int:pk>/connect/", once(views.connection_new), name="connection_new"),
    path(
        "participants/<int:pk>/propose-exclusion/",
        views.exclusion_propose,
        name="exclusion_propose",
    ),
    path("ends/<int:pk>/", views.participation_end_detail, name="participation_end_detail"),
    path("exclusions/", views.exclusion_list, name="exclusion_list"),
    path("exclusions/<int:pk>/", views.exclusion_decide, name="exclusion_decide"),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/print-all/", views.agreements_batch_pdf, name="agreements_batch_pdf"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/sign/", views.agreement_sign, name="agreement_sign"),
    path("agreements/<int:pk>/handover/", views.agreement_handover, name="agreement_handover"),
    path("agreements/<int:pk>/end/", views.agreement_end, name="agreement_end"),
    path("agreements/<int:pk>/return/", views.agreement_return, name="agreement_return"),
    path("agreements/<int:pk>/cancel/", views.agreement_cancel, name="agreement_cancel"),
    path("agreements/<int:pk>/agreement.pdf", views.agreement_pdf, name="agreement_pdf"),
    path("agreements/<int:pk>/declaration.pdf", views.declaration_pdf, name="declaration_pdf"),
    path("agreements/<int:pk>/handover.pdf", views.handover_pdf, name="handover_pdf"),
    path("agreements/<int:pk>/return.pdf", views.return_pdf, name="return_pdf"),
    path("notes/", views.note_list, name="note_list"),
    path("notes/<int:pk>/release/", views.note_release, name="note_release"),
    path("equipment/", views.asset_list, name="asset_list"),
    path("equipment/export.xlsx", views.asset_export, name="asset_export"),
    path("equipment/import/", views.asset_import, name="asset_import"),
    path("equipment/place/", views.asset_place, name="asset_place"),
    path("equipment/<int:pk>/", views.asset_detail, name="asset_detail"),
    path("equipment/<int:pk>/edit/", views.asset_edit, name="asset_edit"),
    path("equipment/<int:pk>/back-to-stock/", views.asset_unit_return, name="asset_unit_return"),
    path("equipment/<int:pk>/write-off/", views.asset_write_off, name="asset_write_off"),
    path("equipment/<int:pk>/service/", views.asset_service, name="asset_service"),
    path("equipment/<int:pk>/damage/", views.asset_damage, name="asset_damage"),
    path("service/<int:pk>/complete/", views.service_complete, name="service_complete"),
    path("claims/<int:pk>/settle/", views.claim_settle, name="claim_settle"),
    path("connections/", views.connection_list, name="connection_list"),
    path("connections/<int:pk>/", views.connection_detail, name="connection_detail"),
    path("connections/<int:pk>/status/", views.connection_status, name="connection_status"),
    path("connections/<int:pk>/outage/", once(views.outage_new), name="outage_new"),
    path("units/<int:pk>/connect/", once(views.unit_connection_new), name="unit_connection_new"),
    path("outages/<int:pk>/close/", views.outage_close, name="outage_close"),
    path("due/", views.due, name="due"),
]
