from django.urls import path

from lebork_einclusion.formkeys import once

from .views import annexes, applications, calls, lists

app_name = "recruitment"

urlpatterns = [
    path("calls/", calls.call_list, name="call_list"),
    path("calls/new/", once(calls.call_edit), name="call_new"),
    path("calls/<int:pk>/", calls.call_detail, name="call_detail"),
    path("calls/<int:pk>/edit/", calls.call_edit, name="call_edit"),
    path("calls/<int:pk>/import/", calls.call_import, name="call_import"),
    path("calls/<int:pk>/meetings/", calls.meeting_list, name="meeting_list"),
    path("calls/<int:pk>/meetings/new/", once(calls.meeting_edit), name="meeting_new"),
    path("calls/<int:pk>/meetings/<int:meeting_pk>/", calls.meeting_edit, name="meeting_edit"),
    path("calls/<int:pk>/ranking/", lists.ranking, name="ranking"),
    path("calls/<int:pk>/ranking/export.<str:fmt>", lists.ranking_export, name="ranking_export"),
    path("calls/<int:pk>/lists/<int:number>/", lists.version_detail, name="version_detail"),
    path("calls/<int:pk>/lists/<int:number>/protocol.pdf", lists.protocol_pdf, name="protocol_pdf"),
    path("calls/<int:pk>/lists/<int:number>/letters.pdf", lists.letters_pdf, name="letters_pdf"),
    path("calls/<int:pk>/annexes/", annexes.annex_list, name="annex_list"),
    path(
        "calls/<int:pk>/annexes/<int:number>.pdf", annexes.annex_blank_pdf, name="annex_blank_pdf"
    ),
    path("calls/<int:pk>/results/", lists.results, name="results"),
    path("calls/<int:pk>/results.pdf", lists.results_pdf, name="results_pdf"),
    path("applications/", applications.application_list, name="application_list"),
    path("applications/export.xlsx", applications.application_export, name="application_export"),
    path("applications/new/", once(applications.application_new), name="application_new"),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", applications.application_edit, name="application_edit"),
    path(
        "applications/<int:pk>/review/", applications.application_review, name="application_review"
    ),
    path(
        "applications/<int:pk>/withdraw/",
        applications.application_withdraw,
        name="application_withdraw",
    ),
    path("applications/<int:pk>/letter.pdf", applications.letter_pdf, name="letter_pdf"),
    path(
        "applications/<int:pk>/application.pdf",
        applications.application_pdf,
        name="application_pdf",
    ),
    path(
        "applications/<int:pk>/annexes/",
        annexes.application_annexes,
        name="application_annexes",
    ),
    path(
        "applications/<int:pk>/annexes/<int:number>.pdf",
        annexes.annex_filled_pdf,
        name="annex_filled_pdf",
    ),
    path(
        "applications/<int:pk>/notifications/",
        once(applications.notification_new),
        name="notification_new",
    ),
    path("documents/<int:pk>/scan/", applications.document_scan, name="document_scan"),
]
