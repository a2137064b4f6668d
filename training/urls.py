from django.urls import path

from lebork_einclusion.formkeys import once

from . import views

app_name = "training"

urlpatterns = [
    path("", views.module_list, name="module_list"),
    path("modules/new/", once(views.module_edit), name="module_new"),
    path("modules/<int:pk>/", views.module_detail, name="module_detail"),
    path("modules/<int:pk>/edit/", views.module_edit, name="module_edit"),
    path("modules/<int:pk>/sheets/", views.module_sheets, name="module_sheets"),
    path("modules/<int:pk>/certificates/", views.module_certificates, name="module_certificates"),
    path("modules/<int:pk>/progress/", views.progress_import, name="progress_import"),
    path("modules/<int:module_pk>/groups/new/", once(views.group_edit), name="group_new"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("groups/<int:pk>/add/", views.group_add_members, name="group_add_members"),
    path("groups/<int:pk>/add-newcomer/", views.group_add_newcomer, name="group_add_newcomer"),
    path("groups/<int:group_pk>/sessions/new/", once(views.session_edit), name="session_new"),
    path("groups/<int:pk>/sheets.pdf", views.group_sheets_pdf, name="group_sheets_pdf"),
    path("groups/<int:pk>/register.pdf", views.group_register_pdf, name="group_register_pdf"),
    path("groups/<int:pk>/register.xlsx", views.group_register_xlsx, name="group_register_xlsx"),
    path(
        "groups/<int:pk>/certificates.pdf",
        views.group_certificates_pdf,
        name="group_certificates_pdf",
    ),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("sessions/<int:pk>/attendance/", views.session_attendance, name="session_attendance"),
    path("sessions/<int:pk>/sheet/", views.session_desk, name="session_desk"),
    path("sessions/<int:pk>/sheet.pdf", views.session_sheet_pdf, name="session_sheet_pdf"),
    path("sessions/<int:pk>/scan/", views.session_scan, name="session_scan"),
    path("schedule/", views.schedule, name="schedule"),
    path("trainees/", views.trainee_list, name="trainee_list"),
    path("trainees/<int:pk>/", views.trainee_detail, name="trainee_detail"),
    path(
        "trainees/<int:pk>/certificate.pdf",
        views.trainee_certificate_pdf,
        name="trainee_certificate_pdf",
    ),
    path("trainees/<int:pk>/remove/", views.trainee_remove, name="trainee_remove"),
    path("trainees/<int:pk>/login/", views.trainee_login, name="trainee_login"),
    path("obligations/", views.obligations, name="obligations"),
]
