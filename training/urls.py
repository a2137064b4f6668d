from django.urls import path

from lebork_einclusion.formkeys import once

from .views import attendance, e_learning, modules, sessions, trainees

app_name = "training"

urlpatterns = [
    path("", modules.module_list, name="module_list"),
    path("modules/new/", once(modules.module_edit), name="module_new"),
    path("modules/<int:pk>/", modules.module_detail, name="module_detail"),
    path("modules/<int:pk>/edit/", modules.module_edit, name="module_edit"),
    path("modules/<int:pk>/sheets/", modules.module_sheets, name="module_sheets"),
    path("modules/<int:pk>/certificates/", modules.module_certificates, name="module_certificates"),
    path("modules/<int:pk>/progress/", e_learning.progress_import, name="progress_import"),
    path("modules/<int:module_pk>/groups/new/", once(modules.group_edit), name="group_new"),
    path("groups/<int:pk>/", modules.group_detail, name="group_detail"),
    path("groups/<int:pk>/edit/", modules.group_edit, name="group_edit"),
    path("groups/<int:pk>/add/", trainees.group_add_members, name="group_add_members"),
    path("groups/<int:pk>/add-newcomer/", trainees.group_add_newcomer, name="group_add_newcomer"),
    path("groups/<int:group_pk>/sessions/new/", once(sessions.session_edit), name="session_new"),
    path("groups/<int:pk>/sheets.pdf", modules.group_sheets_pdf, name="group_sheets_pdf"),
    path("groups/<int:pk>/register.pdf", modules.group_register_pdf, name="group_register_pdf"),
    path("groups/<int:pk>/register.xlsx", modules.group_register_xlsx, name="group_register_xlsx"),
    path(
        "groups/<int:pk>/certificates.pdf",
        modules.group_certificates_pdf,
        name="group_certificates_pdf",
    ),
    path("sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", sessions.session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", sessions.session_delete, name="session_delete"),
    path(
        "sessions/<int:pk>/attendance/",
        once(attendance.session_attendance),
        name="session_attendance",
    ),
    path("sessions/<int:pk>/sheet/", attendance.session_desk, name="session_desk"),
    path("sessions/<int:pk>/sheet.pdf", sessions.session_sheet_pdf, name="session_sheet_pdf"),
    path("sessions/<int:pk>/scan/", sessions.session_scan, name="session_scan"),
    path("schedule/", sessions.schedule, name="schedule"),
    path("sessions/", sessions.session_list, name="session_list"),
    path("trainees/", trainees.trainee_list, name="trainee_list"),
    path("trainees/<int:pk>/", trainees.trainee_detail, name="trainee_detail"),
    path(
        "trainees/<int:pk>/certificate.pdf",
        trainees.trainee_certificate_pdf,
        name="trainee_certificate_pdf",
    ),
    path(
        "trainees/<int:pk>/certificate/issue/",
        trainees.trainee_certificate_issue,
        name="trainee_certificate_issue",
    ),
    path("trainees/<int:pk>/remove/", trainees.trainee_remove, name="trainee_remove"),
    path("trainees/<int:pk>/login/", e_learning.trainee_login, name="trainee_login"),
    path("obligations/", trainees.obligations, name="obligations"),
]
