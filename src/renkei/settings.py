"""Renkei's one settings module, configured only by environment variables.

Every variable is documented in `.env.example` and docs/operations.md. A bad value fails
at start-up (see renkei.env).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from renkei.env import (
    ConfigurationError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("RENKEI_DATA_DIR", str(BASE_DIR / "data")))
NODE_MODULES = BASE_DIR / "node_modules"

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    raise ConfigurationError(
        "SECRET_KEY is not set. `./renkei` creates one for local use in the data folder; "
        "in production set it in the environment."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Whether the site is served over HTTPS (behind a TLS-terminating proxy in production).
HTTPS = env_bool("HTTPS", not DEBUG)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "ninja",
    "renkei.core",
    "renkei.contacts",
    "renkei.funnel",
    "renkei.imports",
    "renkei.marketing",
    "renkei.scoring",
    "renkei.analytics",
    "renkei.web",
    "anymail",
    "renkei.nurture",
    "renkei.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "renkei.core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "renkei.urls"
WSGI_APPLICATION = "renkei.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "renkei.web.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'renkei.sqlite3'}")
_is_sqlite = DATABASE_URL.startswith("sqlite:")
# Persistent connections save a connection set-up per request on PostgreSQL (measured:
# see docs/performance.md); SQLite connections are cheap and files are local.
_db = dj_database_url.parse(
    DATABASE_URL,
    conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if _is_sqlite else 60),
    conn_health_checks=True,
)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        # WAL lets readers and the writer work at once; IMMEDIATE takes the write lock at
        # the start of a transaction so concurrent writers wait instead of failing.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA cache_size=-64000; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    _db.setdefault("TEST", {})["NAME"] = env_str("TEST_DATABASE_NAME") or None
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHE_BACKEND = env_choice("CACHE_BACKEND", "locmem", {"locmem", "redis"})
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if CACHE_BACKEND == "redis"
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Background tasks -----------------------------------------------------------------
TASKS_BACKEND = env_choice("TASKS_BACKEND", "database", {"database", "rq", "immediate"})
_task_backends = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
TASKS = {
    "default": {
        "BACKEND": _task_backends[TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
# Large import files are read and prepared in a second process (renkei.imports.pipeline).
IMPORT_PARALLEL = env_bool("IMPORT_PARALLEL", True)
# Native threads a predictive-scoring fit or evaluation may use (renkei.scoring.model).
SCORING_THREADS = env_int("SCORING_THREADS", 1)

# --- Auth -----------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = env_choice("LANGUAGE_CODE", "ja", {"ja", "en"})
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Tokyo")
USE_I18N = True
USE_TZ = True

# --- Static files (front-end packages come from node_modules, pinned in package-lock) ---
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# (URL prefix, package folder in node_modules, the files pages use) — see web/finders.py.
VENDOR_STATIC = [
    (
        "vendor/tabler",
        "@tabler/core/dist",
        [
            "css/tabler.min.css",
            "css/tabler.min.css.map",
            "js/tabler.min.js",
            "js/tabler.min.js.map",
        ],
    ),
    ("vendor/tabler-icons", "@tabler/icons-webfont/dist", ["tabler-icons.min.css", "fonts/*"]),
    ("vendor/htmx", "htmx.org/dist", ["htmx.min.js"]),
    ("vendor/echarts", "echarts/dist", ["echarts.min.js"]),
    (
        "vendor/noto-sans-jp",
        "@fontsource/noto-sans-jp",
        ["400.css", "700.css", "files/*-400-normal.woff*", "files/*-700-normal.woff*"],
    ),
]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "renkei.web.finders.VendorFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = DATA_DIR / "media"

# --- Email ----------------------------------------------------------------------------
EMAIL_BACKEND_NAME = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
_mail_options = {}
if EMAIL_BACKEND_NAME.endswith("smtp.EmailBackend"):
    _mail_options = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER") or None,
        "password": env_str("EMAIL_HOST_PASSWORD") or None,
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
        "timeout": env_int("EMAIL_TIMEOUT", 10),
    }
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_NAME, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Renkei <renkei@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Marketing email (renkei.nurture): links in messages point at SITE_URL; the worker sends
# at most EMAIL_SEND_RATE messages a second (0 = no limit), EMAIL_BATCH_SIZE at a time, and
# gives up after EMAIL_MAX_ATTEMPTS tries for temporary SMTP errors.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
NURTURE_SEND_RATE = env_int("EMAIL_SEND_RATE", 10)
NURTURE_BATCH_SIZE = env_int("EMAIL_BATCH_SIZE", 200)
NURTURE_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 5)
if NURTURE_SEND_RATE < 0 or NURTURE_BATCH_SIZE < 1 or NURTURE_MAX_ATTEMPTS < 1:
    raise ConfigurationError(
        "EMAIL_SEND_RATE must be >= 0, EMAIL_BATCH_SIZE and EMAIL_MAX_ATTEMPTS >= 1."
    )
# Email-provider webhooks (bounces, complaints) through django-anymail: the shared secret
# "user:password" the provider sends as HTTP basic auth; without it the webhooks answer 403.
# Provider credentials for an anymail EMAIL_BACKEND: ANYMAIL_<ESP>_<SETTING> variables,
# e.g. ANYMAIL_POSTMARK_SERVER_TOKEN or ANYMAIL_SENDGRID_API_KEY.
ANYMAIL = {
    "WEBHOOK_SECRET": env_str("ANYMAIL_WEBHOOK_SECRET"),
    **{
        key.removeprefix("ANYMAIL_"): value
        for key, value in os.environ.items()
        if key.startswith("ANYMAIL_") and key != "ANYMAIL_WEBHOOK_SECRET" and value
    },
}

# --- Security -------------------------------------------------------------------------
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = ["security.W021"] if not SECURE_HSTS_PRELOAD else []

# --- Logging --------------------------------------------------------------------------
LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Renkei ---------------------------------------------------------------------------
CONTACTS_PER_PAGE = 50
API_PAGE_SIZE_MAX = 200
# Largest file the web import accepts, in megabytes.
IMPORT_MAX_UPLOAD_MB = env_int("IMPORT_MAX_UPLOAD_MB", 100)

# --- Privacy requests (renkei.privacy) --------------------------------------------------
# Days to answer an APPI request ("without delay"); GDPR requests get one month.
PRIVACY_REQUEST_DUE_DAYS = env_int("PRIVACY_REQUEST_DUE_DAYS", 14)
