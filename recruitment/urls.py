from django.urls import path

from lebork_einclusion.formkeys import once

from . import views

app_name = "recruitment"

urlpatterns = [
    path("calls/", views.call_list, name="call_list"),
    path("calls/new/", once(views.call_edit), name="call_new"),
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("calls/<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("calls/<int:pk>/import/", views.call_import, name="call_import"),
    path("calls/<int:pk>/meetings/", views.meeting_list, name="meeting_list"),
    path("calls/<int:pk>/meetings/new/", once(views.meeting_edit), name="meeting_new"),
    path("calls/<int:pk>/meetings/<int:meeting_pk>/", views.meeting_edit, name="meeting_edit"),
    path("calls/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("calls/<int:pk>/ranking/export.<str:fmt>", views.ranking_export, name="ranking_export"),
    path("calls/<int:pk>/lists/<int:number>/", views.version_detail, name="version_detail"),
    path("calls/<int:pk>/lists/<int:number>/protocol.pdf", views.protocol_pdf, name="protocol_pdf"),
    path("calls/<int:pk>/lists/<int:number>/letters.pdf", views.letters_pdf, name="letters_pdf"),
    path("calls/<int:pk>/results/", views.results, name="results"),
    path("calls/<int:pk>/results.pdf", views.results_pdf, name="results_pdf"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/export.xlsx", views.application_export, name="application_export"),
    path("applications/new/", once(views.application_new), name="application_new"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/review/", views.application_review, name="application_review"),
    path(
        "applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"
    ),
    path("applications/<int:pk>/letter.pdf", views.letter_pdf, name="letter_pdf"),
    path("applications/<int:pk>/application.pdf", views.application_pdf, name="application_pdf"),
    path(
        "applications/<int:pk>/notifications/",
        once(views.notification_new),
        name="notification_new",
    ),
    path("documents/<int:pk>/scan/", views.document_scan, name="document_scan"),
]
