from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from .formkeys import once
from .twofactor import second_factor_first
from .views import access_log, accounts, archive, audit, documents, notices, privacy, project

core_patterns = (
    [
        path("project/", project.project, name="project"),
        path("project/edit/", project.project_edit, name="project_edit"),
        path("project/pdf/", project.project_pdf, name="project_pdf"),
        path("units/", project.public_unit_list, name="public_unit_list"),
        path("units/new/", once(project.public_unit_edit), name="public_unit_new"),
        path("units/<int:pk>/edit/", project.public_unit_edit, name="public_unit_edit"),
        path("officeholders/", project.officeholder_list, name="officeholder_list"),
        path("officeholders/new/", once(project.officeholder_edit), name="officeholder_new"),
        path("officeholders/<int:pk>/edit/", project.officeholder_edit, name="officeholder_edit"),
        path("archive/<int:pk>/", archive.archived_paper, name="archived_paper"),
        path("archive/<int:pk>/paper.pdf", archive.archived_paper_pdf, name="archived_paper_pdf"),
        path("archive/<int:pk>/scan/", archive.archived_paper_scan, name="archived_paper_scan"),
        path("audit/", audit.audit_log, name="audit_log"),
        path("files/<uuid:pk>/", documents.generated_file, name="generated_file"),
        path(
            "files/<uuid:pk>/status/", documents.generated_file_status, name="generated_file_status"
        ),
        path("files/<uuid:pk>/retry/", documents.generated_file_retry, name="generated_file_retry"),
        path(
            "files/<uuid:pk>/download/",
            documents.generated_file_download,
            name="generated_file_download",
        ),
        path("users/", accounts.user_list, name="user_list"),
        path("users/<int:pk>/deactivate/", accounts.user_deactivate, name="user_deactivate"),
        path(
            "users/<int:pk>/reset-two-factor/",
            accounts.user_reset_two_factor,
            name="user_reset_two_factor",
        ),
        path("personal-data-log/", access_log.personal_data_log, name="personal_data_log"),
        path(
            "personal-data-log/export/",
            access_log.personal_data_log_export,
            name="personal_data_log_export",
        ),
        path("privacy-notice/edit/", notices.privacy_notice_edit, name="privacy_notice_edit"),
        path(
            "accessibility/edit/",
            notices.accessibility_statement_edit,
            name="accessibility_statement_edit",
        ),
        path("gdpr/register/", privacy.processing_register, name="processing_register"),
        path("gdpr/legal-holds/", privacy.legal_holds, name="legal_holds"),
        path(
            "gdpr/legal-holds/<int:pk>/release/",
            privacy.legal_hold_release,
            name="legal_hold_release",
        ),
        path("gdpr/subject-export/", privacy.subject_export, name="subject_export"),
    ],
    "core",
)

handler400 = "lebork_einclusion.security.bad_request"
handler403 = "lebork_einclusion.security.permission_denied"

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", accounts.two_factor, name="two_factor"),
    path("accounts/two-factor/verify/", accounts.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/setup/", accounts.two_factor_setup, name="two_factor_setup"),
    path(
        "accounts/two-factor/recovery-codes/",
        accounts.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("privacy/", notices.privacy_notice, name="privacy_notice"),
    path("accessibility/", notices.accessibility_statement, name="accessibility_statement"),
    path(
        "accounts/password/",
        second_factor_first(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("core/", include(core_patterns)),
    path("recruitment/", include("recruitment.urls")),
    path("procurement/", include("procurement.urls")),
    path("finance/", include("finance.urls")),
    path("lending/", include("lending.urls")),
    path("training/", include("training.urls")),
    path("", include("monitoring.urls")),
]
