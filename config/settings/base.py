"""Settings shared by every environment.

Everything that differs between installations is read from the environment (see README, "配置").
The defaults here give a working single-machine install on SQLite under ``var/``.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Set when the app runs behind the nginx of README "部署": the client address then comes from X-Real-IP.
TRUST_X_REAL_IP = env.bool("TRUST_X_REAL_IP", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "sme.core",
    "sme.accounts",
    "sme.regions",
    "sme.organizations",
    "sme.enterprises",
    "sme.workdays",
    "sme.certification",
    "sme.assessment",
    "sme.catalog",
    "sme.orders",
    "sme.demands",
    "sme.tickets",
    "sme.moderation",
    "sme.notifications",
    "sme.exports",
    "sme.stats",
    "sme.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sme.core.request_context.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sme.core.input_guard.ControlCharacterGuardMiddleware",
    "sme.accounts.middleware.IdleSessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sme" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sme.core.context_processors.platform",
                "sme.notifications.context_processors.unread",
            ],
        },
    },
]

VAR_DIR.mkdir(exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)


def server_database(database: dict[str, Any]) -> dict[str, Any]:
    """Connection settings of a database server (PostgreSQL); production uses them too."""
    database["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    database["CONN_HEALTH_CHECKS"] = True
    if database["ENGINE"].endswith("postgresql"):
        # A page's queries take milliseconds; starting parallel workers for one costs about 5 ms more
        # and takes the cores other requests need (bench/: the keyword search). 0 turns them off for
        # this platform's connections; the nightly aggregates stay well inside their time without.
        workers = env.int("DB_PARALLEL_WORKERS_PER_QUERY", default=0)
        database.setdefault("OPTIONS", {}).setdefault(
            "options", f"-c max_parallel_workers_per_gather={workers}"
        )
    return database


DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers proceed while one request writes; busy timeout avoids "database is locked"
    # under the few concurrent writers a single-machine install sees.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "timeout": 20}
    )
    # Covering-index columns (INCLUDE) are a PostgreSQL speed-up; SQLite builds the index without them.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
else:
    server_database(DATABASES["default"])

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["sme.accounts.backends.UsernameOrMobileBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "sme.accounts.password_validation.MinimumLengthChineseValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "sme.accounts.password_validation.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "sme.accounts.password_validation.MobileNumberValidator"},
]

# 等保 2.0 三级: lock after repeated failures, end idle sessions. Both adjustable per installation.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
SESSION_IDLE_TIMEOUT = timedelta(minutes=env.int("SESSION_IDLE_MINUTES", default=30))
SESSION_COOKIE_AGE = int(SESSION_IDLE_TIMEOUT.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_ENGINE = env.str("SESSION_ENGINE", default="django.contrib.sessions.backends.db")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "sme" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))

# Files: local disk by default; set STORAGE_BACKEND=s3 (plus the AWS_* variables) for S3-compatible storage.
if env.str("STORAGE_BACKEND", default="local") == "s3":
    STORAGES = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
                "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
                "region_name": env.str("AWS_S3_REGION_NAME", default=None),
                "access_key": env.str("AWS_ACCESS_KEY_ID", default=None),
                "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default=None),
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@sme-platform.local")

PLATFORM_NAME = env.str("PLATFORM_NAME", default="中小企业信息化公共服务平台")
# The province or city whose divisions this installation serves (a Region code loaded by the regions app).
PLATFORM_JURISDICTION_CODE = env.str("PLATFORM_JURISDICTION_CODE", default="500000")
# Division and zone data files applied after every migrate (sme/regions/loader.py), in order.
REGION_DATA_FILES = env.list("REGION_DATA_FILES", default=["cn-provinces.json", "chongqing.json"])

# Background jobs (imports, scheduled checks, reminders). With no CELERY_BROKER_URL, tasks run in the
# calling process, which is what a single-machine install and the test suite want; production sets
# CELERY_BROKER_URL=redis://… and runs `celery -A config worker` and `celery -A config beat`.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Shanghai"
# `celery -A config beat`: the daily certification job (notices that ended, reminders, re-reviews,
# expiry) and the nightly rebuild of the assessment peer tables.
CELERY_BEAT_SCHEDULE = {
    # every app's daily job (sme.core.daily), in their registered order, shortly after midnight
    "daily": {"task": "core.run_daily", "schedule": crontab(hour=0, minute=20)},
    "assessment-peer-stats": {
        "task": "assessment.rebuild_peer_stats",
        "schedule": crontab(hour=2, minute=30),
    },
    "provider-figures": {
        "task": "sme.orders.tasks.provider_figures_rebuild",
        "schedule": crontab(hour=3, minute=0),
    },
}

# Uploaded materials: the size limit per file, in bytes (20 MB unless set).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# Registry import files (enterprise lists) may be far larger than one uploaded material.
ENTERPRISE_IMPORT_MAX_BYTES = env.int("ENTERPRISE_IMPORT_MAX_BYTES", default=500 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "sme.core.pagination.CappedCountPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "sme.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "中小企业信息化公共服务平台 API",
    "DESCRIPTION": "Public tools and authenticated endpoints of the SME informatization public service platform.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
