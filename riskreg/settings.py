"""riskreg settings: one module, read from the environment by small helpers that fail loudly."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP, build_policy

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"", "0", "false", "no", "off"}


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


def env_required(name: str, dev_default: str) -> str:
    """A value production must set; development gets a harmless default."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if DEBUG:
        return dev_default
    raise ImproperlyConfigured(
        f"{name} is not set. Set it in the environment (DEBUG is off, so there is no default)."
    )


DEBUG = env_bool("DEBUG")
SECRET_KEY = env_required("SECRET_KEY", "insecure-development-key-never-use-in-production")
ALLOWED_HOSTS = [
    h.strip() for h in env_required("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

ORGANISATION_NAME = os.environ.get("ORGANISATION_NAME", "Metropolitan Police Service")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "simple_history",
    "axes",
    "risks",
    "controls",
    "maturity",
    "riskreg",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "riskreg.api",
    "riskreg.search",
    "django_tasks_db",
    "riskreg.notify",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Only GET, HEAD and POST reach a view (or a static file): 405 for any other method.
    "riskreg.middleware.AllowedMethodsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before anything reads who is signed in: an idle session ends here.
    "riskreg.middleware.IdleSessionMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication (it knows who is signed in), before anything reads the body (CSRF
    # reads it in process_view, which runs after every middleware's request phase).
    "riskreg.middleware.RequestBodyLimitMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "riskreg.middleware.NoStoreMiddleware",
    # Counts sign-in attempts in process_view: after the CSRF check, before the form hashes.
    "riskreg.signin.SignInThrottleMiddleware",
    # Axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "riskreg.urls"
WSGI_APPLICATION = "riskreg.wsgi.application"

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
                "riskreg.context_processors.site",
                "riskreg.notify.context_processors.notifications",
            ],
        },
    },
]

# Form fields render as GOV.UK Frontend marks them up (risks/govuk_forms.py, templates/govuk/).
# The renderer reads templates through TEMPLATES: "django.forms" above supplies Django's own.
FORM_RENDERER = "risks.govuk_forms.GovukFormRenderer"

# SQLite (WAL, immediate transactions) is the embedded default; DATABASE_URL selects PostgreSQL.
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # The statements every signed-in request runs (risks/rawsql.py) are prepared once per
        # connection; Django's own queries are bound on the client and never prepared. Behind
        # PgBouncer in transaction mode, it needs max_prepared_statements (1.21 and later).
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)
else:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "var" / "riskreg.sqlite3")),
            # Each thread keeps its connection (a minute): opening the file and running the
            # PRAGMAs again cost every request of the production server.
            "CONN_MAX_AGE": 60,
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out username and address before any password is hashed.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, except that an unknown username is never hashed (riskreg/signin.py).
    "riskreg.signin.PasswordBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The cache: this process's memory by default; Redis, shared by every worker and machine, when
# REDIS_URL is set (redis://127.0.0.1:6379/0). Pages of the registers are kept in it
# (risks/pagecache.py) under keys that change with the data, so no entry is ever stale, and
# the header's unread count (riskreg/notify/unread.py). Tests keep their own memory cache:
# they clear it before each test, which on Redis would empty the whole database.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL and not env_bool("TESTING"):
    CACHES = {
        "default": {
            "BACKEND": "riskreg.rediscache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "riskreg"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Pages of about 100 kB: at most some 30 MB per worker.
            "OPTIONS": {"MAX_ENTRIES": 300},
        }
    }

# Sessions end exactly SESSION_IDLE_SECONDS after their last request, and are written at most
# once every SESSION_REFRESH_SECONDS (riskreg.middleware.IdleSessionMiddleware): the stored row
# lives idle + refresh seconds from its last write, so it outlasts the deadline the middleware
# keeps.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 60, minimum=0)
if SESSION_REFRESH_SECONDS >= SESSION_IDLE_SECONDS:
    raise ImproperlyConfigured("SESSION_REFRESH_SECONDS must be less than SESSION_IDLE_SECONDS.")
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS + SESSION_REFRESH_SECONDS
SESSION_SAVE_EVERY_REQUEST = False
SESSION_ENGINE = "riskreg.sessions"
# On PostgreSQL each worker keeps the sessions it has read, told of every change to them by the
# database (risks/sessionwatch.py); false behind PgBouncer in transaction mode (no LISTEN).
SESSION_KEEP_IN_WORKER = env_bool("SESSION_KEEP_IN_WORKER", default=True)
SESSION_SEEN_COOKIE_NAME = "riskreg_seen"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Single sign-on through OpenID Connect: off unless OIDC_ENABLED is set.
OIDC_ENABLED = env_bool("OIDC_ENABLED")
if OIDC_ENABLED:

    def env_oidc(name: str) -> str:
        value = os.environ.get(name, "").strip()
        if not value:
            raise ImproperlyConfigured(f"{name} is not set, and OIDC_ENABLED is on.")
        return value

    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("mozilla_django_oidc.auth.OIDCAuthenticationBackend")
    OIDC_RP_CLIENT_ID = env_oidc("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env_oidc("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_oidc("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env_oidc("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env_oidc("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env_oidc("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
    # Accounts are provisioned by the administrators; SSO only signs existing users in.
    OIDC_CREATE_USER = env_bool("OIDC_CREATE_USER")

# Sign-in (riskreg/signin.py). Attempts are throttled per client address and per username
# before any password is hashed, in fixed windows; a sign-in that succeeds is not counted.
SIGNIN_ATTEMPTS_PER_ADDRESS = env_int("SIGNIN_ATTEMPTS_PER_ADDRESS", 30, minimum=1)
SIGNIN_ATTEMPTS_PER_USERNAME = env_int("SIGNIN_ATTEMPTS_PER_USERNAME", 10, minimum=1)
SIGNIN_THROTTLE_WINDOW_SECONDS = env_int("SIGNIN_THROTTLE_WINDOW_SECONDS", 900, minimum=60)
# The per-username limit spares an address from which that username signed in this recently.
SIGNIN_KNOWN_ADDRESS_DAYS = 30
SIGNIN_CONCURRENT_HASHES = env_int("SIGNIN_CONCURRENT_HASHES", 1, minimum=1)
# A refused (throttled) attempt is answered after this long: the thread sleeps, the CPU idles.
SIGNIN_REFUSAL_SECONDS = env_int("SIGNIN_REFUSAL_SECONDS", 2, minimum=0)

# Lockout after AXES_FAILURE_LIMIT failures of one username from one client address, for an
# hour from the failure that locked it: failures while locked out do not extend it.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "riskreg.signin.client_address"
AXES_USERNAME_CALLABLE = "riskreg.signin.username_for_lockouts"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# The REST API (riskreg/api/): tokens or the session, JSON out, one shape for every refusal.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "riskreg.api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["riskreg.api.auth.TokenScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "riskreg.api.pagination.Pages",
    "DEFAULT_SCHEMA_CLASS": "riskreg.api.schema.Schema",
    "EXCEPTION_HANDLER": "riskreg.api.errors.handle",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Risk register API",
    "DESCRIPTION": "Registers, quarters, risks, their quarterly updates, controls and the action "
    "plan, as the pages show them to you; and your quarterly updates, with the pages' rules.",
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": False},
    "ENUM_NAME_OVERRIDES": {
        "ScaleEnum": "risks.scoring.Scale",
        "ControlStatusEnum": "controls.models.ControlStatus",
        "PlanActionStatusEnum": "maturity.models.PlanAction.Status",
    },
}

# Background work (riskreg/notify/tasks.py) on Django's tasks framework. The embedded default
# is the database backend: tasks are rows of this database, run by `manage.py db_worker`
# (`make run` starts one beside the server). TASKS_BACKEND=redis (or a REDIS_URL without
# TASKS_BACKEND) queues them in Redis through RQ instead, run by `manage.py rqworker`. Tests
# run tasks as they are enqueued unless a test says otherwise.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "redis" if REDIS_URL else "database").strip()
if TASKS_BACKEND not in {"database", "redis", "immediate"}:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be database, redis or immediate, not {TASKS_BACKEND!r}."
    )
if env_bool("TESTING") and "TASKS_BACKEND" not in os.environ:
    TASKS_BACKEND = "immediate"
if TASKS_BACKEND == "redis":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A failed task is tried again this many times in all, waiting longer each time.
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 5, minimum=1)

# Email (riskreg/notify/), as Django 6.1's MAILERS: SMTP when EMAIL_HOST is set, otherwise
# the console (development; tests get Django's locmem backend). Production sets EMAIL_HOST.
_email_host = os.environ.get("EMAIL_HOST", "").strip()
if _email_host:
    _email_port = env_int("EMAIL_PORT", 587, minimum=1)
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": _email_port,
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=_email_port == 587),
                "use_ssl": env_bool("EMAIL_USE_SSL"),
                "timeout": env_int("EMAIL_TIMEOUT", 20, minimum=1),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "risk-register@localhost")
# The address people's emails link back to (no request to take it from in a worker).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Reminders: "deadline in N days" is sent this many days before a quarter's deadline, and
# maturity actions the same number of days before their milestone date.
NOTIFY_DEADLINE_DAYS = env_int("NOTIFY_DEADLINE_DAYS", 3, minimum=1)

LANGUAGE_CODE = "en-gb"
# Dates and times are written as riskreg/formats/en_GB/formats.py says, in pages, PDF and Python.
FORMAT_MODULE_PATH = "riskreg.formats"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", default=not DEBUG and not env_bool("TESTING"))
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Development and tests serve static files straight from static/ (no collectstatic).
WHITENOISE_USE_FINDERS = DEBUG or env_bool("TESTING")
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS
# Pages are same-origin only; no other site needs to read our files.
WHITENOISE_ALLOW_ALL_ORIGINS = False


def _static_security_headers(headers, path: str, url: str) -> None:
    """Static files get the pages' security headers: an SVG or a script opened on its own is
    a document too, and WhiteNoise answers before the middleware that adds them to pages."""
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = SECURE_REFERRER_POLICY
    headers["X-Frame-Options"] = X_FRAME_OPTIONS
    headers["Content-Security-Policy"] = build_policy(SECURE_CSP)


WHITENOISE_ADD_HEADERS_FUNCTION = _static_security_headers

# Request bodies. No form takes a file; the largest is a report's prose. A body over the limit
# is refused (413) by riskreg.middleware.RequestBodyLimitMiddleware from its Content-Length,
# before anything reads it; a visitor who is not signed in can only send the sign-in form.
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", 2_621_440, minimum=64 * 1024)
ANONYMOUS_REQUEST_BODY_MAX_BYTES = 16 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
FILE_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# The proxies in front of gunicorn (a buffering reverse proxy, a load balancer...) that append
# to X-Forwarded-For and set X-Forwarded-Proto. 0: clients connect to gunicorn directly, and no
# such header is believed. N: the client is the Nth address of X-Forwarded-For from the right
# (riskreg.signin.client_address), and the last proxy's X-Forwarded-Proto says whether the
# client used HTTPS. Anyone who can reach gunicorn without passing the proxies can forge both:
# bind it where only the proxy can.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

# Security headers. HTTPS is assumed in production (TLS ends at the load balancer).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# A load balancer's health check speaks plain HTTP and wants a 200, not a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT else None
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_FAILURE_VIEW = "riskreg.errors.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Score bands: score = likelihood x impact. Keep them here, in one place: the pages' and the
# PDF's band CSS (risks.scoring.band_css), the charts' band regions and the band tags all read
# their colours from here.
# - fill: behind a band's cells and chart region. Pale, so text (#0b0c0c) on it keeps a contrast
#   of at least 13:1 (WCAG AA needs 4.5:1).
# - bar: an inset line along the bottom of a filled cell, a second, darker cue for the pale
#   fills (at least 3:1 against white). Colour is never the only cue: cells carry their text.
# - tag: the GOV.UK tag colour of the band's word (govuk-tag--<tag>).
RISK_BANDS = [
    {"key": "low", "label": "Low", "low": 1, "high": 3,
     "fill": "#cce2d8", "bar": "#00703c", "tag": "green"},
    {"key": "medium", "label": "Medium", "low": 4, "high": 4,
     "fill": "#fff7bf", "bar": "#705f00", "tag": "yellow"},
    {"key": "high", "label": "High", "low": 6, "high": 9,
     "fill": "#fcd6c3", "bar": "#a04500", "tag": "orange"},
    {"key": "very_high", "label": "Very high", "low": 12, "high": 16,
     "fill": "#f4cdc6", "bar": "#942514", "tag": "red"},
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Opportunity bands: score = likelihood x benefit, on the same points as the risk bands but
# never their colours (a high benefit is good news): greens and blues, drawn by
# static/css/opportunities.css as .rr-benefit--<key>. Each cell also says its band in words.
OPPORTUNITY_BANDS = [
    {"key": "low", "label": "Low benefit", "low": 1, "high": 3},
    {"key": "medium", "label": "Medium benefit", "low": 4, "high": 4},
    {"key": "high", "label": "High benefit", "low": 6, "high": 9},
    {"key": "very_high", "label": "Very high benefit", "low": 12, "high": 16},
]
