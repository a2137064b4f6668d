"""Settings for eInclusion Office, read from the environment with safe local defaults.

Local use needs no variables at all: `make run` points DATABASE_URL at the project's own
PostgreSQL cluster under var/. A production deployment sets DJANGO_PRODUCTION=1, a real
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL (docs/deploy.md).
"""

import datetime
import os
from pathlib import Path

import dj_database_url
import pghistory
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = envbool("DJANGO_PRODUCTION")
DEBUG = envbool("DJANGO_DEBUG") and not PRODUCTION

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_PRODUCTION=1.")
    # Local development and tests only: never used with DJANGO_PRODUCTION=1.
    SECRET_KEY = "local-development-key-not-for-production-use-0123456789abcdef"  # noqa: S105

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS")

# Our layers, lowest first: an app imports only from apps before it in this list.
PROJECT_APPS = [
    "lebork_einclusion",
    "recruitment",
    "procurement",
    "finance",
    "lending",
    "training",
    "monitoring",
]
INSTALLED_APPS = [
    "lebork_einclusion.apps.CoreConfig",
    *PROJECT_APPS[1:],
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "localflavor",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has the second factor been given in this session?
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Staff who must give a second factor (or enrol one) see nothing else until they have.
    "lebork_einclusion.security.TwoFactorMiddleware",
    # Every URL is checked against the role table (lebork_einclusion/roles.py).
    "lebork_einclusion.access.AccessMiddleware",
    # Who made a change goes into the audit trail's context.
    "pghistory.middleware.HistoryMiddleware",
    # Pages for logged-in users are never kept in a browser or proxy cache.
    "lebork_einclusion.security.NoStoreMiddleware",
    # Turns an axes lockout into the lockout page; last, so it sees the login view's result.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lebork_einclusion.urls"
WSGI_APPLICATION = "lebork_einclusion.wsgi.application"
ASGI_APPLICATION = "lebork_einclusion.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "lebork_einclusion.context_processors.site",
            ],
        },
    },
]

# Every form's labels in sentence case (lebork_einclusion/rendering.py).
FORM_RENDERER = "lebork_einclusion.rendering.OfficeFormRenderer"

# --- Database -------------------------------------------------------------------------------
# PostgreSQL only (tests too). `make run`/`make test` export DATABASE_URL for the project's
# own cluster under var/ unless the caller already set one.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Use `make run` / `make test`, which start the project's "
        "PostgreSQL cluster, or point DATABASE_URL at an existing PostgreSQL database."
    )
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Only PostgreSQL is supported (DATABASE_URL=postgres://...).")
# Every request that writes runs in one transaction: a failure leaves nothing half-saved.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Short queries that walk indexes: PostgreSQL's JIT compiler only adds tens of milliseconds to
# them when the planner's estimate for the unlimited query is large (a page of a big list).
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users, login, sessions --------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out username + IP before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "monitoring:home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = envint("DJANGO_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # the age above is an idle timeout
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "lebork_einclusion.security.csrf_failure"

# Login throttling (django-axes): failures are counted per username *and* IP address, so ten
# wrong passwords for one account lock that account from that address only; colleagues in the
# same office (one public IP) keep logging in. The lock lifts by itself after the cool-off.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = envint("EINCLUSION_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("EINCLUSION_LOGIN_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "lebork_einclusion.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "lebork_einclusion.security.client_ip"
# axes's own log lines mask usernames and addresses; ours (einclusion.security) name them.
AXES_VERBOSE = False
# Behind nginx the client's address is in X-Real-IP, which nginx overwrites on every request
# (deploy/nginx/einclusion.conf); without the proxy it would be the proxy's own address.
EINCLUSION_BEHIND_PROXY = envbool("DJANGO_BEHIND_PROXY", "1" if PRODUCTION else "0")

# Two-factor login (django-otp, TOTP apps such as FreeOTP or Google Authenticator, with
# one-time recovery codes). Anyone may enrol; EINCLUSION_REQUIRE_2FA=1 makes it compulsory
# for every account: after the password, a user without a device must enrol before anything.
EINCLUSION_REQUIRE_2FA = envbool("EINCLUSION_REQUIRE_2FA")
OTP_TOTP_ISSUER = os.environ.get("EINCLUSION_OTP_ISSUER", "eInclusion Office")
EINCLUSION_RECOVERY_CODES = 10

# --- E-mail (the daily digest of each user's to-dos, monitoring/digests.py) ----------------------
# Locally the mails are printed on the console (`make run` shows them); a deployment names its
# SMTP server with the standard variables.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("DJANGO_EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "einclusion@localhost")
# The address the links in e-mails start with (the site as its users open it).
EINCLUSION_SITE_URL = os.environ.get("EINCLUSION_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Internationalisation ------------------------------------------------------------------------
LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Warsaw"

# The demo clock (lebork_einclusion.clock): EINCLUSION_DEMO_TODAY=YYYY-MM-DD moves the office's
# "today" for a demo; logins, sessions and lockouts keep real time. Never in production.
DEMO_TODAY = None
if os.environ.get("EINCLUSION_DEMO_TODAY"):
    if PRODUCTION:
        raise ImproperlyConfigured("EINCLUSION_DEMO_TODAY cannot be used with DJANGO_PRODUCTION=1.")
    try:
        DEMO_TODAY = datetime.date.fromisoformat(os.environ["EINCLUSION_DEMO_TODAY"])
    except ValueError:
        raise ImproperlyConfigured("EINCLUSION_DEMO_TODAY must be a date: YYYY-MM-DD.") from None
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["lebork_einclusion.formats"]

# --- Static files and uploads ----------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "var" / "staticfiles"))
# Uploaded scans hold personal data: stored outside the static tree and never served
# directly, only through permission-checked views.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Several web servers behind one load balancer must share the uploads: either MEDIA_ROOT on
# shared storage (NFS) or an S3-compatible store through django-storages (docs/deploy.md).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if os.environ.get("EINCLUSION_S3_BUCKET"):
    # Needs `pip install django-storages[s3]` (docs/deploy.md). Files stay private: no public
    # ACL, every download goes through the permission-checked view.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["EINCLUSION_S3_BUCKET"],
            "endpoint_url": os.environ.get("EINCLUSION_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("EINCLUSION_S3_REGION") or None,
            "access_key": os.environ.get("EINCLUSION_S3_ACCESS_KEY"),
            "secret_key": os.environ.get("EINCLUSION_S3_SECRET_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Audit trail (django-pghistory): database triggers record every write, bulk and raw too ---
PGHISTORY_DEFAULT_TRACKERS = (
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
)
PGHISTORY_APPEND_ONLY = True  # event rows cannot be updated or deleted
# The event tables copy the tracked fields; they keep plain text where the tracked table has a
# length limit (lebork_einclusion/fields.py): history written before a limit stays as it was.
PGHISTORY_EXCLUDE_FIELD_KWARGS = {"lebork_einclusion.fields.BoundedTextField": ["max_length"]}
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

# --- Background tasks (django-tasks backport; Django 6: django.tasks.backends...) ------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# A background job whose worker died is failed (with a retry button) once its heartbeat is this
# old; the running task beats every EINCLUSION_JOB_HEARTBEAT_SECONDS (lebork_einclusion/background.py).
EINCLUSION_JOB_STALE_MINUTES = int(os.environ.get("EINCLUSION_JOB_STALE_MINUTES", "15"))
EINCLUSION_JOB_HEARTBEAT_SECONDS = int(os.environ.get("EINCLUSION_JOB_HEARTBEAT_SECONDS", "60"))
# Batches of papers (lebork_einclusion/pdf.py render_pdf_files): as many worker processes as
# cores by default; each job's finished documents wait in a folder of its own under
# EINCLUSION_JOB_ROOT (local scratch of the worker's machine) until they are joined.
EINCLUSION_PDF_WORKERS = envint("EINCLUSION_PDF_WORKERS", os.cpu_count() or 1)
if EINCLUSION_PDF_WORKERS < 1:
    raise ImproperlyConfigured("EINCLUSION_PDF_WORKERS must be 1 or more.")
EINCLUSION_JOB_ROOT = Path(os.environ.get("EINCLUSION_JOB_ROOT", BASE_DIR / "var" / "jobs"))
REDIS_URL = os.environ.get("EINCLUSION_REDIS_URL", "")
if REDIS_URL:
    # Tasks in Redis instead of the database: needs `pip install django-tasks-rq`; the worker
    # becomes `manage.py rqworker --job-class django_tasks_rq.Job default` (docs/deploy.md).
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}

# --- Security headers --------------------------------------------------------------------------------
# django-csp 4 now; on Django 6 this becomes SECURE_CSP with the same directives.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # The visit pages' service worker (/monitoring/sw.js, monitoring/static/js/visit-sw.js).
        "worker-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", "1")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Logging: no personal data in log lines (see lebork_einclusion/logfilters.py) ------------------
# Everything goes to standard output (journald or the container log). einclusion.security holds
# logins, failures, lockouts, refused requests and account changes.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_pesel": {"()": "lebork_einclusion.logfilters.RedactPeselFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_pesel"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "einclusion.security": {"level": "INFO"},
        # axes repeats our security log at INFO (with masked names); keep its warnings.
        "axes": {"level": "WARNING"},
    },
}

# --- The project's own parameters --------------------------------------------------------------------
# Shown in a banner on every page while the database holds synthetic demo data.
DEMO_BANNER = envbool("EINCLUSION_DEMO_BANNER", "0" if PRODUCTION else "1")
# Upload limit for scans of documents (bytes).
SCAN_MAX_BYTES = envint("EINCLUSION_SCAN_MAX_BYTES", 5 * 1024 * 1024)
# How long the project's documents (and the personal data in them) are kept after the end of
# the durability period: full calendar years counted from 1 January after it (the archival
# rule of the office's filing instructions). `manage.py apply_retention` anonymises what is
# past it, except people under a legal hold.
RETENTION_YEARS_AFTER_DURABILITY = envint("EINCLUSION_RETENTION_YEARS", 10)
# Photos of a monitoring visit: the most pixels one photo may declare in its header, and the
# most the photos of one visit may decode to together (a JPEG counts at the reduced scale it is
# decoded at), in megapixels. Checked before anything is decoded (monitoring/photos.py).
PHOTO_MAX_MEGAPIXELS = envint("EINCLUSION_PHOTO_MAX_MEGAPIXELS", 24)
PHOTO_MAX_MEGAPIXELS_PER_VISIT = envint("EINCLUSION_PHOTO_MAX_MEGAPIXELS_PER_VISIT", 60)
# How long a file made in the background (all agreements of a call as one PDF, with PESEL
# numbers) is kept: `manage.py clear_generated_files` (a daily timer, docs/deploy.md) and
# `manage.py apply_retention` delete older ones. Backups never hold them.
GENERATED_FILES_KEEP_DAYS = envint("EINCLUSION_GENERATED_FILES_KEEP_DAYS", 2)
# Where `make backup` writes its archives (each holds the database dump and the uploads).
BACKUP_DIR = Path(os.environ.get("EINCLUSION_BACKUP_DIR", BASE_DIR / "var" / "backups"))
# The ocid prefix the Open Contracting Partnership registers for the town (OCDS export); the
# default is a placeholder to replace before the data is published.
OCDS_PREFIX = os.environ.get("EINCLUSION_OCDS_PREFIX", "ocds-000000")
