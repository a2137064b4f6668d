from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from . import views

core_patterns = (
    [
        path("project/", views.project, name="project"),
        path("project/edit/", views.project_edit, name="project_edit"),
        path("project/pdf/", views.project_pdf, name="project_pdf"),
        path("units/", views.public_unit_list, name="public_unit_list"),
        path("units/new/", views.public_unit_edit, name="public_unit_new"),
        path("units/<int:pk>/edit/", views.public_unit_edit, name="public_unit_edit"),
        path("audit/", views.audit_log, name="audit_log"),
        path("files/<uuid:pk>/", views.generated_file, name="generated_file"),
        path("files/<uuid:pk>/status/", views.generated_file_status, name="generated_file_status"),
        path(
            "files/<uuid:pk>/download/",
            views.generated_file_download,
            name="generated_file_download",
        ),
    ],
    "core",
)

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("core/", include(core_patterns)),
    path("procurement/", include("procurement.urls")),
    path("", include("monitoring.urls")),
]
