"""One settings module, driven by environment variables (STYLE 12).

Embedded default: SQLite in var/, tasks run in-process, console senders.
Production: DATABASE_URL (PostgreSQL), REDIS_URL (cache + Celery broker), LIANXIN_HTTPS=true.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("LIANXIN_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("LIANXIN_TESTING", "pytest" in sys.modules)
HTTPS = env_bool("LIANXIN_HTTPS", False)

_DEV_SECRET = "lianxin-embedded-default-insecure-key-change-me-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET)
# Key for personal-data fields (SEC-2). Separate from SECRET_KEY so rotating one does not
# make the other unreadable. A urlsafe base64 32-byte Fernet key, or any passphrase.
DATA_ENCRYPTION_KEY = os.environ.get("LIANXIN_DATA_KEY", SECRET_KEY)
# Key for blind indexes (exact-match lookups on encrypted fields, e.g. a citizen's phone).
DATA_INDEX_KEY = os.environ.get("LIANXIN_INDEX_KEY", DATA_ENCRYPTION_KEY + ":index")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# What QR codes carry (SEC-6). The public face may live on another host than the staff site.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# "all" serves staff and public routes; "public" serves the citizens' portal alone (SEC-6).
SITE_FACE = os.environ.get("LIANXIN_SITE_FACE", "all")

# Client address is read from this header only when set, i.e. behind a trusted proxy.
TRUSTED_PROXY_HEADER = os.environ.get("LIANXIN_TRUSTED_PROXY_HEADER", "")

INSTALLED_APPS = [
    "lianxin.admin_site.LianxinAdminConfig",  # the admin for the system administrator
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "lianxin.common",
    "lianxin.regions",
    "lianxin.holidays",
    "lianxin.accounts",
    "lianxin.audit",
    "lianxin.directory",
    "lianxin.notifications",
    "lianxin.cases",
    "lianxin.portal",
    "lianxin.activities",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lianxin.accounts.middleware.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lianxin.common.middleware.StaffNoStoreMiddleware",
]

ROOT_URLCONF = "lianxin.urls"
WSGI_APPLICATION = "lianxin.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lianxin.accounts.context_processors.actor",
                "lianxin.notifications.context_processors.unread",
            ],
        },
    }
]

# Database: SQLite (WAL, immediate transactions) unless DATABASE_URL is set.
_sqlite_path = VAR_DIR / "lianxin.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{_sqlite_path}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis backend reusing its client objects (lianxin.common.cache).
            "BACKEND": "lianxin.common.cache.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    # The database cache is shared by every process of one machine (unlike locmem),
    # so login throttling holds across gunicorn workers.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "lianxin_cache",
        }
    }

# Passwords (SEC-3): Argon2 first.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "lianxin.accounts.validators.CharacterClassValidator"},
]

# Sessions (SEC-3): idle timeout, rotated at login by Django's login().
SESSION_COOKIE_AGE = int(os.environ.get("LIANXIN_SESSION_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("LIANXIN_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("LIANXIN_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("LIANXIN_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Internationalisation: Chinese by default, English available (promise 4).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("LIANXIN_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING or DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = TESTING or DEBUG

# ORG-10: how many deputies each standing committee member links (inclusive range).
LIANXIN_LINKS_PER_MEMBER = (4, 6)

# REST API (API-1)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["lianxin.accounts.api_permissions.ActorPermission"],
    "DEFAULT_PAGINATION_CLASS": "lianxin.common.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "lianxin.common.api.exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
}
# django-filter: an empty choice reads as words, never "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("全部")

SPECTACULAR_SETTINGS = {
    "TITLE": "Lianxin API",
    "DESCRIPTION": "连心桥 数智人大 platform — REST API v1",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Tags come from the path after /api/v1/ (Open311's views carry their own tag).
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "StationKindEnum": "lianxin.directory.models.Station.Kind",
        "UnitKindEnum": "lianxin.directory.models.HandlingUnit.Kind",
        "BodyKindEnum": "lianxin.directory.models.Body.Kind",
        "MandateKindEnum": "lianxin.directory.models.Mandate.Kind",
        "CalendarDayKindEnum": "lianxin.holidays.models.CalendarDay.Kind",
        "DutyRoleEnum": "lianxin.activities.models.duty.DutyRole",
        "ContactMethodEnum": "lianxin.activities.models.voters.ContactMethod",
        "ActivityKindEnum": "lianxin.activities.models.activity.ActivityKind",
        "CongressLevelEnum": "lianxin.directory.models.Congress.Level",
    },
}

# Background work: Celery with Redis in production; in-process in the embedded default.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_TASK_ALWAYS_EAGER = TESTING or not bool(os.environ.get("CELERY_BROKER_URL", REDIS_URL))
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Periodic sweeps; in the embedded default the gunicorn master runs them on a timer.
SWEEP_INTERVAL_SECONDS = int(os.environ.get("LIANXIN_SWEEP_SECONDS", "300"))
RUN_SWEEPS_IN_PROCESS = env_bool("LIANXIN_INPROCESS_SWEEPS", CELERY_TASK_ALWAYS_EAGER)
# Without a Celery worker (the embedded default), a roster solve (DUTY-2) runs in a thread of
# the serving process after the request's commit, so the page answers at once and shows progress.
SOLVE_IN_THREAD = env_bool("LIANXIN_SOLVE_IN_THREAD", CELERY_TASK_ALWAYS_EAGER and not TESTING)

# Duty rosters (DUTY-2, DUTY-3): reminders, check-in codes, 空岗 and absences. Each reader falls
# back to the same default when the setting is absent.
LIANXIN_DUTY_REMIND_HOURS = int(os.environ.get("LIANXIN_DUTY_REMIND_HOURS", "24"))
LIANXIN_DUTY_CODE_MINUTES = int(os.environ.get("LIANXIN_DUTY_CODE_MINUTES", "5"))
LIANXIN_DUTY_CHECKIN_EARLY_MINUTES = int(os.environ.get("LIANXIN_DUTY_CHECKIN_EARLY_MINUTES", "30"))
LIANXIN_DUTY_CHECKIN_KEY = os.environ.get("LIANXIN_DUTY_CHECKIN_KEY", "")
LIANXIN_DUTY_EMPTY_AFTER_MINUTES = int(os.environ.get("LIANXIN_DUTY_EMPTY_AFTER_MINUTES", "30"))
LIANXIN_DUTY_LATE_MINUTES = int(os.environ.get("LIANXIN_DUTY_LATE_MINUTES", "15"))
LIANXIN_DUTY_ABSENCE_ESCALATE = int(os.environ.get("LIANXIN_DUTY_ABSENCE_ESCALATE", "2"))
LIANXIN_DUTY_ABSENCE_WINDOW_DAYS = int(os.environ.get("LIANXIN_DUTY_ABSENCE_WINDOW_DAYS", "90"))

# Notifications (NOTE-1): pluggable senders, console by default.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "lianxin@localhost")
SMS_SENDER = os.environ.get("LIANXIN_SMS_SENDER", "lianxin.notifications.senders.ConsoleSmsSender")

# Audit (SEC-4): at least 6 months (网络安全法 §21).
AUDIT_RETENTION_DAYS = max(183, int(os.environ.get("LIANXIN_AUDIT_RETENTION_DAYS", "365")))

# Second factor at login (SEC-3): the roles that must use one, e.g. "office,sysadmin";
# empty: optional for every account.
MFA_REQUIRED_ROLES = [
    r.strip() for r in os.environ.get("LIANXIN_MFA_REQUIRED_ROLES", "").split(",") if r.strip()
]

# Login throttling (SEC-3)
LOGIN_THROTTLE = {
    "ACCOUNT_FREE_FAILURES": 5,
    "ADDRESS_FREE_FAILURES": 30,
    "BASE_DELAY_SECONDS": 2,
    "MAX_DELAY_SECONDS": 300,
    "WINDOW_SECONDS": 3600,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Tracking links (/p/t/<token>/) are masked in every record (SEC-2, CASE-1).
    "filters": {"tracking_tokens": {"()": "lianxin.common.logging.MaskTrackingTokens"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["tracking_tokens"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["tracking_tokens"]},
    },
}
