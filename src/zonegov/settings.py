"""zonegov settings.

Everything that differs between a laptop and production comes from the environment;
docs/deployment.md lists each variable. Without any variable set, the platform runs in
development mode on SQLite under ``var/``.
"""

import json
import os
import tempfile
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("ZONEGOV_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PRODUCTION = env_bool("ZONEGOV_PRODUCTION", False)
DEBUG = env_bool("DEBUG", not PRODUCTION)

if PRODUCTION:
    SECRET_KEY = os.environ["SECRET_KEY"]
    ALLOWED_HOSTS = [h.strip() for h in os.environ["ALLOWED_HOSTS"].split(",") if h.strip()]
else:
    SECRET_KEY = os.environ.get(
        "SECRET_KEY", "dev-only-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz"
    )
    ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_fsm",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "django_q",
    "zonegov.core",
    "zonegov.licensing",
    "zonegov.supervision",
    "zonegov.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zonegov.core.middleware.ChineseByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "zonegov.core.middleware.StaffSessionTimeoutMiddleware",
    "zonegov.core.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zonegov.urls"
WSGI_APPLICATION = "zonegov.wsgi.application"

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
                "django.template.context_processors.i18n",
                "zonegov.core.context_processors.navigation",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'zonegov.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the dev server and a management command share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file, not Django's shared in-memory connection: browser tests send
    # parallel requests (pages, video ranges) to the live server, and threads sharing one
    # SQLite connection trip over each other's savepoints.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"zonegov-test-{os.getpid()}.sqlite3")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Django's rules with Chinese messages (core/password_validation.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "zonegov.core.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "zonegov.core.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "zonegov.core.password_validation.CommonPasswordValidator"},
    {"NAME": "zonegov.core.password_validation.NumericPasswordValidator"},
]
CSRF_FAILURE_VIEW = "zonegov.core.views.errors.csrf_failure"  # Chinese page (issue 12 #5)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: lock an account+IP pair after 5 failures (issue: "lock after 5 failures").
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Besides the pair, one client address is locked (for AXES_COOLOFF_TIME) after this many
# failures across all accounts (password spraying); higher than the pair's limit because a
# government office often reaches us through one NAT address. 0 switches it off.
# core/login_throttle.py; docs/deployment.md.
AXES_HANDLER = "zonegov.core.login_throttle.ZoneAxesHandler"
ZONEGOV_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("ZONEGOV_LOGIN_FAILURES_PER_ADDRESS", "20"))

# API tokens expire this many days after creation (core.services.users.api_token_create).
ZONEGOV_API_TOKEN_DAYS = int(os.environ.get("ZONEGOV_API_TOKEN_DAYS", "90"))

# Staff sessions end after this many minutes without a request.
STAFF_SESSION_IDLE_MINUTES = int(os.environ.get("STAFF_SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = 60 * 60 * 12

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: downloads go through permission-checked views

# Uploads above this size are streamed to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = os.environ.get("FILE_UPLOAD_TEMP_DIR") or None
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Per-kind attachment size limits in bytes (video up to 500 MB by default).
ZONEGOV_ATTACHMENT_LIMITS = {
    "photo": int(os.environ.get("ZONEGOV_PHOTO_MAX_BYTES", 20 * 1024 * 1024)),
    "pdf": int(os.environ.get("ZONEGOV_PDF_MAX_BYTES", 50 * 1024 * 1024)),
    "video": int(os.environ.get("ZONEGOV_VIDEO_MAX_BYTES", 500 * 1024 * 1024)),
}

# Document signing (PAdES). In development `make run` creates a demo CA under var/pki.
# A cache shared by every worker and machine (the public rate-limit counters and the
# "cannot be checked" verdicts of the PDF verifier live there): REDIS_URL=redis://host:6379/0
# uses Django's Redis backend (needs `pip install redis`); without it production uses a
# table in the database (core/cache.py: atomic counters; `migrate` creates the table) and
# development an in-memory cache per process.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
elif PRODUCTION:
    CACHES = {
        "default": {
            "BACKEND": "zonegov.core.cache.DatabaseCache",
            "LOCATION": "zonegov_cache",
            # one row per address and scope per minute; Django's default of 300 would
            # cull live counters once more than ~100 addresses are busy at once
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# Reverse proxies (nginx, the zone's gateway) whose X-Forwarded-For is believed: the client
# address for the audit chain, rate limits and login lock-out (core/middleware.client_ip).
ZONEGOV_TRUSTED_PROXIES = [
    a.strip() for a in os.environ.get("ZONEGOV_TRUSTED_PROXIES", "").split(",") if a.strip()
]
if ZONEGOV_TRUSTED_PROXIES:
    AXES_IPWARE_PROXY_TRUSTED_IPS = ZONEGOV_TRUSTED_PROXIES
    AXES_IPWARE_PROXY_ORDER = "right-most"
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Requests per client address per minute on the public, unauthenticated endpoints
# (core/ratelimit.py); 0 switches a scope off.
ZONEGOV_PUBLIC_RATE_LIMITS = {
    "verify_upload": int(os.environ.get("ZONEGOV_RATE_VERIFY_UPLOAD", "20")),
    "verify_lookup": int(os.environ.get("ZONEGOV_RATE_VERIFY_LOOKUP", "120")),
    "notices": int(os.environ.get("ZONEGOV_RATE_NOTICES", "120")),
    # Applicant self-registration (POSTs of /accounts/register/).
    "register": int(os.environ.get("ZONEGOV_RATE_REGISTER", "5")),
}
# Bounds on checking one uploaded PDF (core/pdfcheck.py, where the defaults are): inflated
# stream data, objects and cross-reference entries (checked on the raw bytes before
# parsing), then the parse and signature check run in a child process killed after
# `seconds`, with `memory_bytes` of address space.
ZONEGOV_VERIFY_LIMITS = {
    key: (float if key == "seconds" else int)(os.environ[variable])
    for key, variable in (
        ("inflated_bytes", "ZONEGOV_VERIFY_MAX_INFLATED_BYTES"),
        ("objects", "ZONEGOV_VERIFY_MAX_OBJECTS"),
        ("xref_entries", "ZONEGOV_VERIFY_MAX_XREF_ENTRIES"),
        ("seconds", "ZONEGOV_VERIFY_SECONDS"),
        ("memory_bytes", "ZONEGOV_VERIFY_MEMORY_BYTES"),
    )
    if os.environ.get(variable)
}
ZONEGOV_PKI_DIR = Path(os.environ.get("ZONEGOV_PKI_DIR", VAR_DIR / "pki"))
ZONEGOV_SIGNING_KEY = os.environ.get("ZONEGOV_SIGNING_KEY", str(ZONEGOV_PKI_DIR / "signer.key.pem"))
ZONEGOV_SIGNING_CERT = os.environ.get(
    "ZONEGOV_SIGNING_CERT", str(ZONEGOV_PKI_DIR / "signer.cert.pem")
)
ZONEGOV_SIGNING_CHAIN = os.environ.get(
    "ZONEGOV_SIGNING_CHAIN", str(ZONEGOV_PKI_DIR / "ca.cert.pem")
)
ZONEGOV_SIGNING_KEY_PASSPHRASE = os.environ.get("ZONEGOV_SIGNING_KEY_PASSPHRASE") or None
# SHA-256 fingerprints of earlier signing certificates: documents they signed stay genuine
# after a key change (append the old CA to the chain file too if the CA changed).
ZONEGOV_PREVIOUS_SIGNER_FINGERPRINTS = [
    f.strip()
    for f in os.environ.get("ZONEGOV_PREVIOUS_SIGNER_FINGERPRINTS", "").split(",")
    if f.strip()
]
# The audit chain's HMAC keyring, held outside the database (core/audit_keys.py,
# docs/deployment.md): the current secret, or a keyring file (one secret a line, the last
# one current), plus retired secrets that still verify older records. Development creates
# var/audit/audit.key on first use; production refuses to start without a key.
ZONEGOV_AUDIT_KEY = os.environ.get("ZONEGOV_AUDIT_KEY", "")
ZONEGOV_AUDIT_PREVIOUS_KEYS = [
    k.strip() for k in os.environ.get("ZONEGOV_AUDIT_PREVIOUS_KEYS", "").split(",") if k.strip()
]
ZONEGOV_AUDIT_KEY_AUTOCREATE = not PRODUCTION and not (
    ZONEGOV_AUDIT_KEY or os.environ.get("ZONEGOV_AUDIT_KEY_FILE")
)
ZONEGOV_AUDIT_KEY_FILE = os.environ.get("ZONEGOV_AUDIT_KEY_FILE") or (
    str(VAR_DIR / "audit" / "audit.key") if ZONEGOV_AUDIT_KEY_AUTOCREATE else ""
)
if PRODUCTION and not (ZONEGOV_AUDIT_KEY or ZONEGOV_AUDIT_KEY_FILE):
    raise ImproperlyConfigured(
        "ZONEGOV_AUDIT_KEY or ZONEGOV_AUDIT_KEY_FILE is required in production "
        "(the audit chain's HMAC key, docs/deployment.md)."
    )
# Signed checkpoints of the audit chain's head are appended here (checkpoints.jsonl).
ZONEGOV_AUDIT_CHECKPOINT_DIR = Path(
    os.environ.get("ZONEGOV_AUDIT_CHECKPOINT_DIR", VAR_DIR / "audit-checkpoints")
)


def public_base_url(environ: Mapping[str, str]) -> str:
    """The base URL printed in QR codes and on documents (the verification page must be
    reachable from phones): ``ZONEGOV_PUBLIC_BASE_URL`` when configured, else the address
    ``make run`` serves on (it passes its ``PORT`` as ``ZONEGOV_PORT``), so a demo on
    another port prints a link that works."""
    configured = environ.get("ZONEGOV_PUBLIC_BASE_URL", "").strip()
    if configured:
        return configured.rstrip("/")
    port = environ.get("ZONEGOV_PORT", "").strip() or "8000"
    return f"http://127.0.0.1:{port}"


ZONEGOV_PUBLIC_BASE_URL = public_base_url(os.environ)
ZONEGOV_ZONE_NAME = os.environ.get("ZONEGOV_ZONE_NAME", "平顶山高新技术产业开发区")

# Identity providers (core/identity, docs/deployment.md): who verifies an applicant's
# identity for acts with legal effect (instant certificates). The demo provider
# (模拟统一身份认证) exists in development only and is refused in production. An OAuth2-code
# platform is configured with ZONEGOV_IDENTITY_OAUTH2 (JSON: the provider's options).
ZONEGOV_IDENTITY_PROVIDERS: dict = {}
if not PRODUCTION:
    ZONEGOV_IDENTITY_PROVIDERS["demo"] = {"class": "zonegov.core.identity.demo.DemoProvider"}
if os.environ.get("ZONEGOV_IDENTITY_OAUTH2"):
    ZONEGOV_IDENTITY_PROVIDERS["tyrz"] = {
        "class": "zonegov.core.identity.oauth2.OAuth2CodeProvider",
        **json.loads(os.environ["ZONEGOV_IDENTITY_OAUTH2"]),
    }
# A provider verification counts for instant approval this many minutes into a session.
ZONEGOV_IDENTITY_FRESH_MINUTES = int(os.environ.get("ZONEGOV_IDENTITY_FRESH_MINUTES", "30"))

# Security headers. django-csp 4 configuration format.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Intranet host names cannot go on the browsers' public preload list; set
        # SECURE_HSTS_PRELOAD=1 on an Internet-facing deployment to opt in.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # The task runner's own log (tasks taken, done, failed): INFO for `qcluster`
    # (`make run`, the systemd unit), quiet in the web processes that only queue tasks.
    "loggers": {"django-q": {"level": os.environ.get("ZONEGOV_TASK_LOG_LEVEL", "WARNING")}},
}

# Outbox subscriptions (core.topics): which destinations receive the messages of a topic.
# Each consuming module subscribes by default (supervision: licence.* -> "supervision");
# a topic named here gets exactly the destinations listed (an empty list silences it),
# e.g. {"licence.granted": ["supervision", "archive"]}. A destination is a webhook below
# or "platform" (in-platform consumers only).
ZONEGOV_OUTBOX_SUBSCRIPTIONS: dict[str, list[str]] = {}

# Outbox webhooks (core.services.outbox, docs/integration.md): signed JSON pushes to other
# systems. A destination without a URL keeps its messages pending — nothing is lost.
ZONEGOV_WEBHOOKS = {
    "supervision": {
        "url": os.environ.get("ZONEGOV_WEBHOOK_SUPERVISION_URL", ""),
        "secret": os.environ.get("ZONEGOV_WEBHOOK_SUPERVISION_SECRET", ""),
    },
    # External archive of the audit chain's signed checkpoints (audit.checkpoint).
    "audit_archive": {
        "url": os.environ.get("ZONEGOV_AUDIT_ARCHIVE_URL", ""),
        "secret": os.environ.get("ZONEGOV_AUDIT_ARCHIVE_SECRET", ""),
    },
}
ZONEGOV_OUTBOX_MAX_ATTEMPTS = int(os.environ.get("ZONEGOV_OUTBOX_MAX_ATTEMPTS", "15"))

# Background and periodic jobs: django-q2 (docs/decisions.md; running it: docs/deployment.md
# "Task runner"). `manage.py qcluster` runs the workers and the scheduler; the periodic jobs
# are declared in code (zonegov.core.tasks) and shown in the admin (/admin/django_q/).
# The queue is the database by default (the ORM broker: SQLite in development, PostgreSQL in
# production; no extra server). A queued task is leased, not popped: one whose worker dies
# mid-run is run again once the lease (`retry` seconds) runs out, so every job is written to
# be idempotent. ZONEGOV_TASK_BROKER=redis moves the queue to Redis (ZONEGOV_TASK_REDIS_URL,
# else REDIS_URL; `pip install redis`): lighter on the database, but Redis hands a task over
# without a lease, so a task whose worker dies is lost — the periodic sweeps redo its work.
ZONEGOV_TASK_BROKER = os.environ.get("ZONEGOV_TASK_BROKER", "orm").strip().lower()
# A task running longer than the timeout is killed; the lease must outlast it, or a slow task
# would be handed to a second worker while the first still runs.
ZONEGOV_TASK_TIMEOUT = int(os.environ.get("ZONEGOV_TASK_TIMEOUT", "600"))
ZONEGOV_TASK_RETRY = int(os.environ.get("ZONEGOV_TASK_RETRY", str(ZONEGOV_TASK_TIMEOUT + 60)))
if ZONEGOV_TASK_RETRY <= ZONEGOV_TASK_TIMEOUT:
    raise ImproperlyConfigured(
        "ZONEGOV_TASK_RETRY (the task lease, seconds) must be larger than ZONEGOV_TASK_TIMEOUT."
    )
Q_CLUSTER = {
    "name": "zonegov",
    "workers": int(os.environ.get("ZONEGOV_TASK_WORKERS", "2")),
    "timeout": ZONEGOV_TASK_TIMEOUT,
    "retry": ZONEGOV_TASK_RETRY,
    # A job that raises is recorded (Failure, in the admin) and taken off the queue; the job
    # registry schedules its retries with back-off (zonegov.core.tasks.run_periodic_job).
    "ack_failures": True,
    # Results kept per schedule (the task group), so a job running every minute does not
    # push the daily job's last result out of the admin. Failures are always kept.
    "save_limit": 100,
    "save_limit_per": "group",
    "poll": 0.5,
    # After downtime a missed run happens once, not once per missed period.
    "catch_up": False,
    # ZONEGOV_TASK_SCHEDULER=0: this node runs workers only (any number of nodes may run the
    # scheduler: each schedule row is locked while it is turned into a task).
    "scheduler": env_bool("ZONEGOV_TASK_SCHEDULER", True),
    "label": _("后台任务"),
    "time_zone": TIME_ZONE,
}
if ZONEGOV_TASK_BROKER == "orm":
    Q_CLUSTER["orm"] = "default"
elif ZONEGOV_TASK_BROKER == "redis":
    Q_CLUSTER["redis"] = os.environ.get("ZONEGOV_TASK_REDIS_URL") or os.environ.get(
        "REDIS_URL", "redis://127.0.0.1:6379/0"
    )
else:
    raise ImproperlyConfigured(
        f"ZONEGOV_TASK_BROKER must be 'orm' or 'redis', not {ZONEGOV_TASK_BROKER!r}."
    )
# Each committed outbox message also queues a delivery task at once (zonegov.core.tasks), so
# delivery takes seconds; the every-minute sweep delivers whatever that misses.
ZONEGOV_OUTBOX_PROMPT_DELIVERY = env_bool("ZONEGOV_OUTBOX_PROMPT_DELIVERY", True)
