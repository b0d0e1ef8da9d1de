"""Django settings, all from the environment.

DATABASE_URL   SQLite file (default, WAL) or postgres://… (production)
SECRET_KEY     required when DEBUG is off
JIANGXIN_AUDIT_KEY   HMAC key of the audit chain, kept outside the database; required when DEBUG is off
JIANGXIN_FIELD_KEY   key for ID numbers encrypted at rest (Fernet); defaults to one derived from SECRET_KEY
JIANGXIN_EMAIL_ENABLED / EMAIL_HOST …  outgoing mail (off by default)
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("JIANGXIN_VAR_DIR", Path.cwd() / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "jiangxin-development-only-not-for-production"
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",  # the database task backend (`make demo` runs its worker); tests keep ImmediateBackend
    "ninja",
    "jiangxin.platform.core",
    "jiangxin.platform.accounts",
    "jiangxin.platform.orgs",
    "jiangxin.platform.audit",
    "jiangxin.platform.people",
    "jiangxin.platform.rounds",
    "jiangxin.platform.applications",
    "jiangxin.platform.api",
    "jiangxin.platform.demo",
    "jiangxin.platform.academy",
    "jiangxin.platform.portal",
    "jiangxin.platform.notifications",
    "jiangxin.platform.publicity",
    "jiangxin.platform.documents",
    "jiangxin.platform.panels",
    "jiangxin.platform.review",
    "jiangxin.platform.designations",
    "jiangxin.platform.worklog",
    "jiangxin.platform.park",
    "jiangxin.platform.assessments",
    "jiangxin.platform.ledger",
    "jiangxin.platform.cultivation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jiangxin.platform.core.locale.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jiangxin.platform.accounts.middleware.SecurityPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "jiangxin.platform.audit.middleware.RequestContextMiddleware",
    "jiangxin.platform.api.limits.ApiBodyLimitMiddleware",
]

ROOT_URLCONF = "jiangxin.platform.urls"
WSGI_APPLICATION = "jiangxin.platform.wsgi.application"

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.template.context_processors.i18n",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "jiangxin.platform.core.context.navigation",
    ]},
}]

DATABASES = {"default": dj_database_url.parse(
    os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jiangxin.sqlite3'}"), conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:my_tasks"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jiangxin.platform.accounts.validators.CharacterClassValidator"},
]
#: lock an account after this many consecutive failed logins (等保 practice)
JIANGXIN_LOCKOUT_FAILURES = 5
JIANGXIN_LOCKOUT_MINUTES = 30
#: log out after 30 idle minutes
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves from finders in development too
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("JIANGXIN_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
#: evidence uploads
JIANGXIN_UPLOAD_MAX_BYTES = int(os.environ.get("JIANGXIN_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
#: online academy (academy app): course file limit, trainee import limit, teacher-pool refresh period
JIANGXIN_COURSE_UPLOAD_MAX_BYTES = int(os.environ.get("JIANGXIN_COURSE_UPLOAD_MAX_BYTES", 500 * 1024 * 1024))
JIANGXIN_TRAINEE_IMPORT_MAX_BYTES = int(os.environ.get("JIANGXIN_TRAINEE_IMPORT_MAX_BYTES", 512 * 1024 * 1024))
JIANGXIN_TEACHER_REFRESH_DAYS = int(os.environ.get("JIANGXIN_TEACHER_REFRESH_DAYS", 365))
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

#: ID numbers at rest: a pluggable cipher class with encrypt(str)->str / decrypt(str)->str
JIANGXIN_ID_CIPHER = os.environ.get("JIANGXIN_ID_CIPHER", "jiangxin.platform.people.crypto.FernetCipher")
JIANGXIN_FIELD_KEY = os.environ.get("JIANGXIN_FIELD_KEY", "")

#: audit chain (安全审计): HMAC key kept outside the database. Required when DEBUG is off; demo and tests use a
#: fixed development key. Daily signed checkpoints (the anchor outside the table) go to JIANGXIN_AUDIT_CHECKPOINT_DIR.
JIANGXIN_AUDIT_KEY = os.environ.get("JIANGXIN_AUDIT_KEY", "")
if not JIANGXIN_AUDIT_KEY:
    if not DEBUG:
        raise RuntimeError("JIANGXIN_AUDIT_KEY must be set when DEBUG is off")
    JIANGXIN_AUDIT_KEY = "jiangxin-development-audit-key-not-for-production"
JIANGXIN_AUDIT_CHECKPOINT_DIR = Path(os.environ.get("JIANGXIN_AUDIT_CHECKPOINT_DIR", VAR_DIR / "audit-checkpoints"))

#: background tasks (django.tasks API): run inside the request by default (tests); `make demo` sets
#: JIANGXIN_TASK_BACKEND=django_tasks_db.DatabaseBackend and runs `db_worker` beside the web server
TASKS = {"default": {"BACKEND": os.environ.get(
    "JIANGXIN_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")}}

#: background jobs (trainee import, yearly run): a heartbeat every few seconds; a running job silent for
#: JIANGXIN_JOB_STALE_SECONDS is taken as dead (worker killed) and rolled back by whoever looks next
JIANGXIN_JOB_HEARTBEAT_SECONDS = float(os.environ.get("JIANGXIN_JOB_HEARTBEAT_SECONDS", "5"))
JIANGXIN_JOB_STALE_SECONDS = float(os.environ.get("JIANGXIN_JOB_STALE_SECONDS", "30"))

#: annual assessments: remind units that have not filed this many days before the self-report deadline
#: reporting of state-field changes outside a registered transition (core/transitions.py): "off" in
#: production, "record" or "raise" in tests
JIANGXIN_TRANSITIONS_CHECK = os.environ.get("JIANGXIN_TRANSITIONS_CHECK", "off")
JIANGXIN_ASSESSMENT_REMINDER_DAYS = int(os.environ.get("JIANGXIN_ASSESSMENT_REMINDER_DAYS", "7"))
#: publicity objections one sender address may file per hour (I-PUB-04)
JIANGXIN_OBJECTION_LIMIT = int(os.environ.get("JIANGXIN_OBJECTION_LIMIT", "5"))
#: notifications also go out by e-mail only when this is on (off by default)
JIANGXIN_EMAIL_ENABLED = os.environ.get("JIANGXIN_EMAIL_ENABLED") == "1"
EMAIL_BACKEND = ("django.core.mail.backends.smtp.EmailBackend"
                 if JIANGXIN_EMAIL_ENABLED
                 else "django.core.mail.backends.locmem.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "jiangxin@localhost")

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = os.environ.get("SECURE_COOKIES", "0") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
