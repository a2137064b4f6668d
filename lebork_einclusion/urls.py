from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from . import views
from .formkeys import once
from .twofactor import second_factor_first

core_patterns = (
    [
        path("project/", views.project, name="project"),
        path("project/edit/", views.project_edit, name="project_edit"),
        path("project/pdf/", views.project_pdf, name="project_pdf"),
        path("units/", views.public_unit_list, name="public_unit_list"),
        path("units/new/", once(views.public_unit_edit), name="public_unit_new"),
        path("units/<int:pk>/edit/", views.public_unit_edit, name="public_unit_edit"),
        path("audit/", views.audit_log, name="audit_log"),
        path("files/<uuid:pk>/", views.generated_file, name="generated_file"),
        path("files/<uuid:pk>/status/", views.generated_file_status, name="generated_file_status"),
        path("files/<uuid:pk>/retry/", views.generated_file_retry, name="generated_file_retry"),
        path(
            "files/<uuid:pk>/download/",
            views.generated_file_download,
            name="generated_file_download",
        ),
        path("users/", views.user_list, name="user_list"),
        path("users/<int:pk>/deactivate/", views.user_deactivate, name="user_deactivate"),
        path(
            "users/<int:pk>/reset-two-factor/",
            views.user_reset_two_factor,
            name="user_reset_two_factor",
        ),
        path("personal-data-log/", views.personal_data_log, name="personal_data_log"),
        path(
            "personal-data-log/export/",
            views.personal_data_log_export,
            name="personal_data_log_export",
        ),
        path("privacy-notice/edit/", views.privacy_notice_edit, name="privacy_notice_edit"),
        path(
            "accessibility/edit/",
            views.accessibility_statement_edit,
            name="accessibility_statement_edit",
        ),
        path("gdpr/register/", views.processing_register, name="processing_register"),
        path("gdpr/legal-holds/", views.legal_holds, name="legal_holds"),
        path(
            "gdpr/legal-holds/<int:pk>/release/",
            views.legal_hold_release,
            name="legal_hold_release",
        ),
        path("gdpr/subject-export/", views.subject_export, name="subject_export"),
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
    path("accounts/two-factor/", views.two_factor, name="two_factor"),
    path("accounts/two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path(
        "accounts/two-factor/recovery-codes/",
        views.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("privacy/", views.privacy_notice, name="privacy_notice"),
    path("accessibility/", views.accessibility_statement, name="accessibility_statement"),
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
    path("lending/", include("lending.urls")),
    path("training/", include("training.urls")),
    path("", include("monitoring.urls")),
]
