from django.urls import path

from lebork_einclusion.formkeys import once

from .views import agreements, connections, due, durability, equipment, participation

app_name = "lending"

urlpatterns = [
    path("participants/", participation.participant_list, name="participant_list"),
    path("participants/<int:pk>/", participation.participant_detail, name="participant_detail"),
    path("participants/<int:pk>/end/", participation.participant_end, name="participant_end"),
    path("participants/<int:pk>/agreement/", once(agreements.agreement_new), name="agreement_new"),
    path("participants/<int:pk>/connect/", once(connections.connection_new), name="connection_new"),
    path(
        "participants/<int:pk>/propose-exclusion/",
        participation.exclusion_propose,
        name="exclusion_propose",
    ),
    path("ends/<int:pk>/", participation.participation_end_detail, name="participation_end_detail"),
    path("exclusions/", participation.exclusion_list, name="exclusion_list"),
    path("exclusions/<int:pk>/", participation.exclusion_decide, name="exclusion_decide"),
    path("agreements/", agreements.agreement_list, name="agreement_list"),
    path("agreements/print-all/", agreements.agreements_batch_pdf, name="agreements_batch_pdf"),
    path("agreements/<int:pk>/", agreements.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/sign/", agreements.agreement_sign, name="agreement_sign"),
    path("agreements/<int:pk>/handover/", agreements.agreement_handover, name="agreement_handover"),
    path("agreements/<int:pk>/end/", agreements.agreement_end, name="agreement_end"),
    path("agreements/<int:pk>/return/", agreements.agreement_return, name="agreement_return"),
    path("agreements/<int:pk>/cancel/", agreements.agreement_cancel, name="agreement_cancel"),
    path("agreements/<int:pk>/annex/", once(durability.annex_new), name="annex_new"),
    path("annexes/<int:pk>/sign/", durability.annex_sign, name="annex_sign"),
    path("annexes/<int:pk>/annex.pdf", durability.annex_pdf, name="annex_pdf"),
    path("agreements/<int:pk>/transfer/", durability.agreement_transfer, name="agreement_transfer"),
    path("agreements/transfer-all/", durability.transfer_all, name="transfer_all"),
    path("transfers/<int:pk>/protocol.pdf", durability.transfer_pdf, name="transfer_pdf"),
    path("agreements/<int:pk>/agreement.pdf", agreements.agreement_pdf, name="agreement_pdf"),
    path("agreements/<int:pk>/declaration.pdf", agreements.declaration_pdf, name="declaration_pdf"),
    path("agreements/<int:pk>/handover.pdf", agreements.handover_pdf, name="handover_pdf"),
    path("agreements/<int:pk>/return.pdf", agreements.return_pdf, name="return_pdf"),
    path("notes/", agreements.note_list, name="note_list"),
    path("notes/<int:pk>/release/", agreements.note_release, name="note_release"),
    path("notes/<int:pk>/notice/", once(durability.note_notice), name="note_notice"),
    path("notes/<int:pk>/fill-in/", durability.note_fill_in, name="note_fill_in"),
    path("notes/<int:pk>/protocol.pdf", durability.note_protocol_pdf, name="note_protocol_pdf"),
    path("equipment/", equipment.asset_list, name="asset_list"),
    path("equipment/export.xlsx", equipment.asset_export, name="asset_export"),
    path("equipment/import/", equipment.asset_import, name="asset_import"),
    path("equipment/place/", equipment.asset_place, name="asset_place"),
    path("equipment/<int:pk>/", equipment.asset_detail, name="asset_detail"),
    path("equipment/<int:pk>/edit/", equipment.asset_edit, name="asset_edit"),
    path(
        "equipment/<int:pk>/back-to-stock/", equipment.asset_unit_return, name="asset_unit_return"
    ),
    path("equipment/<int:pk>/write-off/", equipment.asset_write_off, name="asset_write_off"),
    path("equipment/<int:pk>/service/", equipment.asset_service, name="asset_service"),
    path("equipment/<int:pk>/damage/", equipment.asset_damage, name="asset_damage"),
    path("service/<int:pk>/complete/", equipment.service_complete, name="service_complete"),
    path("claims/<int:pk>/settle/", equipment.claim_settle, name="claim_settle"),
    path("connections/", connections.connection_list, name="connection_list"),
    path("connections/move/", connections.connections_move, name="connections_move"),
    path("connections/<int:pk>/", connections.connection_detail, name="connection_detail"),
    path("connections/<int:pk>/status/", connections.connection_status, name="connection_status"),
    path("connections/<int:pk>/outage/", once(connections.outage_new), name="outage_new"),
    path(
        "units/<int:pk>/connect/", once(connections.unit_connection_new), name="unit_connection_new"
    ),
    path("outages/<int:pk>/close/", connections.outage_close, name="outage_close"),
    path("due/", due.due, name="due"),
]
