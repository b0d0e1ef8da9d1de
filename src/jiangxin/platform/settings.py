"""Django settings, all from the environment.

DATABASE_URL   SQLite file (default, WAL) or postgres://… (production)
SECRET_KEY     required when DEBUG is off
JIANGXIN_AUDIT_KEY   HMAC key of the audit chain, kept outside the database; required when DEBUG is off
JIANGXIN_FIELD_KEY   key for ID numbers encrypted at rest (Fernet); defaults to one derived from SECRET_KEY
JIANGXIN_EMAIL_ENABLED / EMAIL_HOST …  outgoing mail (off by default)
DEBUG          off unless set to "1" (`make demo` and the tests set it; production never does)
JIANGXIN_API_TOKEN_DAYS   API tokens expire this many days after creation (default 90)
JIANGXIN_API_TOKEN_IDLE_DAYS  … and after this many days without use (default 30)
JIANGXIN_SECURITY_CONTACT / JIANGXIN_SECURITY_CONTACT_URL / JIANGXIN_SECURITY_POLICY_URL  the operator's
               security contact shown on /security/ and /.well-known/security.txt
SECURE_COOKIES / JIANGXIN_HSTS_SECONDS / JIANGXIN_SSL_REDIRECT / JIANGXIN_PROXY_SSL_HEADER  transport security
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("JIANGXIN_VAR_DIR", Path.cwd() / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("DEBUG", "0") == "1"
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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
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
    "jiangxin.platform.ops",
    "django_prometheus",
    "jiangxin.platform.screening",
    "jiangxin.platform.workcalendar",
    "jiangxin.platform.dashboards",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "jiangxin.platform.core.requestid.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "jiangxin.platform.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jiangxin.platform.core.sessions.IdleSessionMiddleware",
    "jiangxin.platform.core.locale.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "jiangxin.platform.accounts.middleware.SecurityPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "jiangxin.platform.audit.middleware.RequestContextMiddleware",
    "jiangxin.platform.workcalendar.middleware.CalendarYearMissingMiddleware",
    "jiangxin.platform.api.limits.ApiBodyLimitMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
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
        "jiangxin.platform.ops.context.app_version",
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
AUTH_PASSWORD_VALIDATORS: list[dict[str, Any]] = [
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
#: the idle window slides with activity, renewed at most once a minute (core.sessions.IdleSessionMiddleware)
#: instead of a session write on every request
SESSION_SAVE_EVERY_REQUEST = False
JIANGXIN_SESSION_RENEW_SECONDS = int(os.environ.get("JIANGXIN_SESSION_RENEW_SECONDS", "60"))
#: navigation and "my tasks" counts kept per user this many seconds (core.ui; 0: computed on every page)
JIANGXIN_NAV_CACHE_SECONDS = int(os.environ.get("JIANGXIN_NAV_CACHE_SECONDS", "30"))
#: dashboard and public statistics kept this many seconds per scope and filter (dashboards.snapshots; 0: always fresh)
JIANGXIN_STATS_CACHE_SECONDS = int(os.environ.get("JIANGXIN_STATS_CACHE_SECONDS", "300"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
#: the Chinese input formats with the ISO date first: a date picker (<input type="date">) shows only an ISO value
FORMAT_MODULE_PATH = ["jiangxin.platform.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves from finders in development too
STORAGES: dict[str, dict[str, Any]] = {
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
TASKS: dict[str, dict[str, Any]] = {"default": {"BACKEND": os.environ.get(
    "JIANGXIN_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")}}

#: background jobs (trainee import, yearly run): a heartbeat every few seconds; a running job silent for
#: JIANGXIN_JOB_STALE_SECONDS is taken as dead (worker killed) and rolled back by whoever looks next
JIANGXIN_JOB_HEARTBEAT_SECONDS = float(os.environ.get("JIANGXIN_JOB_HEARTBEAT_SECONDS", "5"))
JIANGXIN_JOB_STALE_SECONDS = float(os.environ.get("JIANGXIN_JOB_STALE_SECONDS", "30"))
#: a trainee import whose worker died is queued again automatically (another worker takes it) up to this many
#: starts in all; after that it stays failed with a retry button
JIANGXIN_JOB_AUTO_RETRIES = int(os.environ.get("JIANGXIN_JOB_AUTO_RETRIES", "1"))

#: programs kept outside src/jiangxin/programs (another deployment's own, or the test program of tests/programs):
#: comma-separated dotted packages, each a program folder like the shipped ones; added once at start (core.apps)
JIANGXIN_EXTRA_PROGRAMS = [p.strip() for p in os.environ.get("JIANGXIN_EXTRA_PROGRAMS", "").split(",") if p.strip()]
#: reporting of state-field changes outside a registered transition (core/transitions.py): "off" in
#: production, "record" or "raise" in tests
JIANGXIN_TRANSITIONS_CHECK = os.environ.get("JIANGXIN_TRANSITIONS_CHECK", "off")
#: annual assessments: remind units that have not filed this many days before the self-report deadline
JIANGXIN_ASSESSMENT_REMINDER_DAYS = int(os.environ.get("JIANGXIN_ASSESSMENT_REMINDER_DAYS", "7"))
#: publicity objections one sender address may file per hour (I-PUB-04)
JIANGXIN_OBJECTION_LIMIT = int(os.environ.get("JIANGXIN_OBJECTION_LIMIT", "5"))
#: signed PDFs (documents/signing.py, docs/decisions/0026): the signer class, and where the office certificates are.
#: JIANGXIN_PDF_SIGNING_DIR holds office-<organisation id>.key.pem/.cert.pem and ca.cert.pem (the demo writes its
#: test CA there); JIANGXIN_PDF_KEY_FILE/JIANGXIN_PDF_CERT_FILE one certificate for offices without their own;
#: JIANGXIN_PDF_KEY_PASSPHRASE_ENV names the variable holding the key passphrase; a PKCS#11 token is configured
#: with JIANGXIN_PDF_SIGNER=jiangxin.platform.documents.signing.Pkcs11Signer and JIANGXIN_PKCS11_* below.
JIANGXIN_PDF_SIGNER = os.environ.get("JIANGXIN_PDF_SIGNER", "jiangxin.platform.documents.signing.PadesKeyFileSigner")
JIANGXIN_PDF_SIGNING = {
    "key_dir": os.environ.get("JIANGXIN_PDF_SIGNING_DIR", str(VAR_DIR / "signing")),
    "key_file": os.environ.get("JIANGXIN_PDF_KEY_FILE", ""),
    "cert_file": os.environ.get("JIANGXIN_PDF_CERT_FILE", ""),
    "chain_files": [p for p in os.environ.get("JIANGXIN_PDF_CHAIN_FILES", "").split(os.pathsep) if p],
    "key_passphrase_env": os.environ.get("JIANGXIN_PDF_KEY_PASSPHRASE_ENV", ""),
    "pkcs11": {"module": os.environ.get("JIANGXIN_PKCS11_MODULE", ""),
               "token_label": os.environ.get("JIANGXIN_PKCS11_TOKEN", ""),
               "key_label": os.environ.get("JIANGXIN_PKCS11_KEY_LABEL", ""),
               "cert_label": os.environ.get("JIANGXIN_PKCS11_CERT_LABEL", ""),
               "pin_env": "JIANGXIN_PKCS11_PIN"},
}
#: the CJK TrueType font embedded (subset) in PDFs; empty = Debian's fonts-wqy-zenhei (make fonts)
JIANGXIN_PDF_FONT = os.environ.get("JIANGXIN_PDF_FONT", "")
#: the address printed in certificates' QR codes (the scheme and host users type, e.g. the intranet name of the platform); empty = the address the
#: issuing request came in on
JIANGXIN_PUBLIC_URL = os.environ.get("JIANGXIN_PUBLIC_URL", "")
#: public verify page look-ups allowed per client address and minute (counted in the database)
JIANGXIN_VERIFY_PER_MINUTE = int(os.environ.get("JIANGXIN_VERIFY_PER_MINUTE", "30"))
#: notifications also go out by e-mail only when this is on (off by default)
JIANGXIN_EMAIL_ENABLED = os.environ.get("JIANGXIN_EMAIL_ENABLED") == "1"
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or ("django.core.mail.backends.smtp.EmailBackend"
                                                   if JIANGXIN_EMAIL_ENABLED
                                                   else "django.core.mail.backends.locmem.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "jiangxin@localhost")

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
#: cookies travel over HTTPS only, unless DEBUG (demo over plain http) or SECURE_COOKIES=0 says otherwise
SESSION_COOKIE_SECURE = os.environ.get("SECURE_COOKIES", "0" if DEBUG else "1") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
#: HSTS (one year) and redirect to HTTPS when not DEBUG; behind a TLS-terminating proxy set
#: JIANGXIN_PROXY_SSL_HEADER=1 (trusts X-Forwarded-Proto from that proxy only)
SECURE_HSTS_SECONDS = int(os.environ.get("JIANGXIN_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = False
SECURE_SSL_REDIRECT = os.environ.get("JIANGXIN_SSL_REDIRECT", "0" if DEBUG else "1") == "1"
if os.environ.get("JIANGXIN_PROXY_SSL_HEADER") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = ["security.W021"]  # HSTS preload is a public-internet list; intranets never join it

#: Content-Security-Policy (django-csp): everything from this site, no inline script or style, no frames of us
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "media-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}}
#: Permissions-Policy header (core.security.SecurityHeadersMiddleware): no powerful browser features
JIANGXIN_PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
                               "microphone=(), payment=(), usb=(), interest-cohort=()")

#: API tokens expire this many days after they are created (also revoked on password change/reset, deactivation)
JIANGXIN_API_TOKEN_DAYS = int(os.environ.get("JIANGXIN_API_TOKEN_DAYS", "90"))
#: … and stop working after this many days without use (the tokens' idle timeout; 0 = no idle limit)
JIANGXIN_API_TOKEN_IDLE_DAYS = int(os.environ.get("JIANGXIN_API_TOKEN_IDLE_DAYS", "30"))
#: rate limits counted in the database (accounts.ratelimit): attempts per window per address / per account
JIANGXIN_RATE_LIMITS = {
    "login_address": (int(os.environ.get("JIANGXIN_LOGIN_PER_ADDRESS", "20")), 10 * 60),
    "login_account": (int(os.environ.get("JIANGXIN_LOGIN_PER_ACCOUNT", "10")), 10 * 60),
    "token_address": (20, 60 * 60),
    "token_account": (10, 60 * 60),
    "otp_account": (10, 10 * 60),
    "objection_address": (int(os.environ.get("JIANGXIN_OBJECTION_ATTEMPTS", "20")), 60 * 60),
}
#: a password-reset code (sent to the user, never shown to the administrator) is valid this many hours
JIANGXIN_RESET_CODE_HOURS = int(os.environ.get("JIANGXIN_RESET_CODE_HOURS", "24"))
#: the issuer name shown in authenticator apps
OTP_TOTP_ISSUER = os.environ.get("JIANGXIN_OTP_ISSUER", "匠心 Jiangxin")
OTP_LOGIN_URL = "accounts:otp_verify"
#: the operator's security contact (security.txt-like page)
JIANGXIN_SECURITY_CONTACT = os.environ.get("JIANGXIN_SECURITY_CONTACT", "")
JIANGXIN_SECURITY_CONTACT_URL = os.environ.get("JIANGXIN_SECURITY_CONTACT_URL", "")
JIANGXIN_SECURITY_POLICY_URL = os.environ.get("JIANGXIN_SECURITY_POLICY_URL", "")
JIANGXIN_SECURITY_LANGUAGES = os.environ.get("JIANGXIN_SECURITY_LANGUAGES", "zh, en")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "jiangxin.platform.core.requestid.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "jiangxin.platform.ops.logformat.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": os.environ.get("LOG_FORMAT", "text")}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Scale-out, chosen by settings (docs/deploy.md, docs/decisions/0010-scale-out.md) ------------------------
#: JIANGXIN_PROFILE=production: collected, hashed static files (run `collectstatic`), keys required
PRODUCTION = os.environ.get("JIANGXIN_PROFILE", "") == "production"
if PRODUCTION:
    if DEBUG:
        raise RuntimeError("the production profile runs with DEBUG=0")
    if not os.environ.get("JIANGXIN_FIELD_KEY"):
        raise RuntimeError("JIANGXIN_FIELD_KEY must be set in the production profile")
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    WHITENOISE_USE_FINDERS = False

#: PostgreSQL: a connection pool per process (psycopg_pool) instead of a connection per request
if DATABASES["default"]["ENGINE"].endswith("postgresql") and os.environ.get("JIANGXIN_DB_POOL", "1") == "1":
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # pooling replaces persistent connections
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("JIANGXIN_DB_POOL_MIN", "1")),
        "max_size": int(os.environ.get("JIANGXIN_DB_POOL_MAX", "10")),
    }

#: cache, sessions and rate-limit counters shared by every app server: REDIS_URL=redis://host:6379/0;
#: JIANGXIN_CACHE_DIR keeps them in files for one machine with several processes (`make serve`);
#: neither: memory of one process (tests, `make demo`)
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": "jiangxin"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
elif os.environ.get("JIANGXIN_CACHE_DIR"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": os.environ["JIANGXIN_CACHE_DIR"]}}

#: background work on Redis (RQ) for any number of workers on any machine:
#: JIANGXIN_TASK_BACKEND=django_tasks_rq.RQBackend and JIANGXIN_QUEUE_URL (defaults to REDIS_URL)
if TASKS["default"]["BACKEND"].startswith("django_tasks_rq"):
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS["default"]["QUEUES"] = ["default"]
    RQ_QUEUES = {"default": {"URL": os.environ.get("JIANGXIN_QUEUE_URL", REDIS_URL or "redis://127.0.0.1:6379/0"),
                             "DEFAULT_TIMEOUT": int(os.environ.get("JIANGXIN_JOB_TIMEOUT", "3600"))}}

#: uploaded files on an S3-compatible object store (MinIO on an intranet): JIANGXIN_STORAGE=s3 and the
#: JIANGXIN_S3_* variables; otherwise the local disk under MEDIA_ROOT
if os.environ.get("JIANGXIN_STORAGE", "") == "s3":
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": os.environ["JIANGXIN_S3_BUCKET"],
        "endpoint_url": os.environ.get("JIANGXIN_S3_ENDPOINT") or None,
        "access_key": os.environ.get("JIANGXIN_S3_ACCESS_KEY") or None,
        "secret_key": os.environ.get("JIANGXIN_S3_SECRET_KEY") or None,
        "region_name": os.environ.get("JIANGXIN_S3_REGION", "us-east-1"),
        "default_acl": None, "querystring_auth": True, "file_overwrite": False,
        "addressing_style": "path",
    }}

#: who may read /metrics (Prometheus): networks, comma-separated
JIANGXIN_METRICS_ALLOWED = [n for n in os.environ.get("JIANGXIN_METRICS_ALLOWED", "127.0.0.1/32,::1/128").split(",")
                            if n]
