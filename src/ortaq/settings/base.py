"""Settings shared by every environment. Values come from the environment (README lists them)."""

from __future__ import annotations

from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_database, env_email, env_int, env_list, env_str, env_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = Path(env_str("ORTAQ_DATA_DIR", str(REPO_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
# The site's address as people reach it: every link in an e-mail or a notification is
# absolute on it (notifications.services.absolute_url).
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # First, so that its templates (layout, allauth pages, errors) and its translations of
    # third-party strings take precedence.
    "ortaq.core",
    # The admin with no password-only login of its own (accounts/admin_site.py).
    "ortaq.accounts.admin_site.OrtaqAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "ortaq.reference",
    "ortaq.accounts",
    "ortaq.audit",
    "ortaq.registry",
    "ortaq.councils",
    "ortaq.notifications",
    "ortaq.funding",
    "ortaq.api",
    "ortaq.demo",  # only the seed_demo command: the demo builds on every app
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "ortaq.core.middleware.RejectNulInQueryMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ortaq.accounts.middleware.ActiveOrganisationMiddleware",
    "ortaq.accounts.middleware.RequireTwoFactorMiddleware",
    # The superuser is a break-glass account: audited in the back office, refused elsewhere.
    "ortaq.accounts.breakglass.BreakGlassMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ortaq.urls"
# Form widgets are rendered from templates, so core/templates/django/forms adds Bootstrap's
# classes to every form of the project and of its libraries.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "ortaq.wsgi.application"

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
                "ortaq.accounts.context_processors.site",
            ],
        },
    },
]

_DATABASE = env_database("DATABASE_URL", f"sqlite:///{DATA_DIR / 'ortaq.sqlite3'}")
if _DATABASE["ENGINE"] == "django.db.backends.sqlite3":
    if _DATABASE["NAME"] not in ("", ":memory:"):
        Path(_DATABASE["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at the
    # start of a transaction so two writers wait for each other instead of failing half-way.
    _DATABASE["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    _DATABASE["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
    _DATABASE["CONN_HEALTH_CHECKS"] = True
    # A server that stops answering must cost a request seconds, not minutes: libpq gives up
    # connecting after connect_timeout (2 s at least; unset it waits ~2 minutes), and the
    # server cancels any statement running longer than statement_timeout (ms, 0 = never).
    # Either way the request ends on the 503 page (core.views.server_error).
    _options = _DATABASE.setdefault("OPTIONS", {})
    _options["connect_timeout"] = env_int("DATABASE_CONNECT_TIMEOUT", 5, minimum=2)
    _statement_timeout = env_int("DATABASE_STATEMENT_TIMEOUT", 30000, minimum=0)
    _options["options"] = " ".join(
        filter(None, [_options.get("options", ""), f"-c statement_timeout={_statement_timeout}"])
    )
DATABASES = {"default": _DATABASE}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "-")
REDIS_URL = "" if REDIS_URL == "-" else REDIS_URL
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: with Redis jobs go to the broker and run in `celery -A ortaq worker`; without it
# they run in-process, so the embedded default needs nothing else running.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = env_str("TIME_ZONE", "Asia/Almaty")
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Reminders of the yearly NGO-database report (sent on NGO_REPORT_REMINDER_DAYS only).
    "registry-report-reminders": {
        "task": "registry.send_report_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    # Councils: compositions take over, calls for candidates open, overdue answers reminded.
    "councils-daily": {
        "task": "councils.daily",
        "schedule": crontab(hour=7, minute=30),
    },
    # Funding: organisers reminded of compliance checks and evaluations due or overdue.
    "funding-deadline-reminders": {
        "task": "funding.deadline_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    # Funding: NGOs reminded of project reports due within five working days or overdue.
    "funding-project-report-reminders": {
        "task": "funding.project_report_reminders",
        "schedule": crontab(hour=8, minute=15),
    },
    "funding-risk-scan": {"task": "funding.risk_scan", "schedule": crontab(hour=2, minute=30)},
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"

# django-allauth: log in by e-mail, confirm it before the first login.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "ortaq.accounts.forms.SignupForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Ortaq] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Ortaq"
# Officials, experts and administrators must set up TOTP before they can act.
ORTAQ_REQUIRE_2FA = env_bool("ORTAQ_REQUIRE_2FA", False)

# django-axes: lock a username *from one address*, so nobody can lock someone else out
# from another address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "ortaq.accounts.lockout.username_from_credentials"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"

# The client's address (accounts/lockout.py): with no proxy REMOTE_ADDR only, a client's
# X-Forwarded-For is never believed; behind N reverse proxies that each append their peer's
# address, the N-th X-Forwarded-For entry from the right (what the client put left is ignored).
ORTAQ_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0, minimum=0)
# Rows on a page of the lists (core/web.paginate); a list may ask for another size.
ORTAQ_PAGE_SIZE = env_int("ORTAQ_PAGE_SIZE", 25, minimum=1)
AXES_CLIENT_IP_CALLABLE = "ortaq.accounts.lockout.client_address"
AXES_VERBOSE = False

# Wrong two-factor codes: allauth's MFA stage counts them with its `login_failed` limit, keyed
# by the person (from any address). As many wrong codes as passwords, then the same cool-off.
# Passwords are not counted by allauth (accounts/adapter.py): django-axes owns their lockout.
ACCOUNT_ADAPTER = "ortaq.accounts.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"{AXES_FAILURE_LIMIT}/{round(AXES_COOLOFF_TIME * 3600)}s/key",
}

LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
# Each app keeps its catalogue in <app>/locale (`make messages`); none at project level.
LOCALE_PATHS: list[Path] = []
TIME_ZONE = env_str("TIME_ZONE", "Asia/Almaty")
USE_I18N = True
FORMAT_MODULE_PATH = ["ortaq.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(DATA_DIR / "private")))
# Files attached to applications, report evidence and monitoring-visit photos: the largest.
FUNDING_ATTACHMENT_MAX_BYTES = env_int("FUNDING_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
# NGO files imported into the registry (CSV, XLSX): a national file is about 10 MB.
REGISTRY_IMPORT_MAX_BYTES = env_int("REGISTRY_IMPORT_MAX_BYTES", 50 * 1024 * 1024, minimum=1)
# Agenda documents of council meetings (public, under MEDIA_ROOT): the largest file accepted.
COUNCIL_DOCUMENT_MAX_BYTES = env_int("COUNCIL_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024, minimum=1)
# Documents of funding competitions (public, under MEDIA_ROOT): the largest file accepted.
FUNDING_DOCUMENT_MAX_BYTES = env_int("FUNDING_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024, minimum=1)
# Evaluation of effectiveness: the highest score of each of the five criteria (5: 25 in all).
FUNDING_EVALUATION_SCALE_MAX = env_int("FUNDING_EVALUATION_SCALE_MAX", 5, minimum=1)
# Risk signals of funding (funding/risk_measures.py): when a measure becomes a signal. Percentages.
FUNDING_RISK_TEXT_SIMILARITY = env_int("FUNDING_RISK_TEXT_SIMILARITY", 50, minimum=1)
FUNDING_RISK_TEXT_MIN_WORDS = env_int("FUNDING_RISK_TEXT_MIN_WORDS", 25, minimum=1)
FUNDING_RISK_BUDGET_SIMILARITY = env_int("FUNDING_RISK_BUDGET_SIMILARITY", 90, minimum=1)
FUNDING_RISK_BUDGET_MIN_LINES = env_int("FUNDING_RISK_BUDGET_MIN_LINES", 4, minimum=1)
FUNDING_RISK_BUDGET_TOLERANCE = env_int("FUNDING_RISK_BUDGET_TOLERANCE", 5, minimum=0)
FUNDING_RISK_WHOLESALER_REGIONS = env_int("FUNDING_RISK_WHOLESALER_REGIONS", 5, minimum=2)
FUNDING_RISK_WHOLESALER_RATIO = env_int("FUNDING_RISK_WHOLESALER_RATIO", 75, minimum=1)
FUNDING_RISK_REPORT_GRACE_DAYS = env_int("FUNDING_RISK_REPORT_GRACE_DAYS", 10, minimum=0)
FUNDING_RISK_REPORT_MIN_LATE = env_int("FUNDING_RISK_REPORT_MIN_LATE", 2, minimum=1)
FUNDING_RISK_REPORT_LATE_SHARE = env_int("FUNDING_RISK_REPORT_LATE_SHARE", 30, minimum=0)
FUNDING_RISK_REGION_SHARE = env_int("FUNDING_RISK_REGION_SHARE", 15, minimum=1)
FUNDING_RISK_REGION_RATIO = env_int("FUNDING_RISK_REGION_RATIO", 250, minimum=100)
FUNDING_RISK_NGO_SHARE = env_int("FUNDING_RISK_NGO_SHARE", 33, minimum=1)
FUNDING_RISK_MIN_PROJECTS = env_int("FUNDING_RISK_MIN_PROJECTS", 10, minimum=1)
# In development whitenoise serves the apps' static files directly (no collectstatic).
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

_EMAIL = env_email("EMAIL_URL", "consolemail://")
EMAIL_BACKEND = _EMAIL["EMAIL_BACKEND"]
EMAIL_HOST = _EMAIL.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _EMAIL.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _EMAIL.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _EMAIL.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _EMAIL.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _EMAIL.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Ortaq <noreply@ortaq.kz>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Open data: ocid = "ocds-<prefix>-<id>".
OCDS_PREFIX = env_str("OCDS_PREFIX", "ocds-ortaq0")
if not OCDS_PREFIX.startswith("ocds-") or len(OCDS_PREFIX) != 11:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("OCDS_PREFIX must look like ocds-xxxxxx (6 characters).")
# 360Giving: a grant's id is "<prefix>-<application id>" (the prefix registered with 360Giving).
GIVING360_PREFIX = env_str("GIVING360_PREFIX", "360G-ortaq")
if __import__("re").fullmatch(r"360G-[A-Za-z0-9-]+", GIVING360_PREFIX) is None:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("GIVING360_PREFIX must look like 360G-xxxx (letters, digits, -).")

# The yearly NGO-database report is due by this day of the next year (docs/domain.md §4).
NGO_REPORT_DEADLINE = env_str("NGO_REPORT_DEADLINE", "03-31")
try:
    _month, _day = (int(part) for part in NGO_REPORT_DEADLINE.split("-"))
    __import__("datetime").date(2001, _month, _day)
except ValueError as _exc:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("NGO_REPORT_DEADLINE must be MM-DD, e.g. 03-31.") from _exc
# Reminders go out this many days before the deadline (a periodic job).
NGO_REPORT_REMINDER_DAYS = [int(d) for d in env_list("NGO_REPORT_REMINDER_DAYS", ["30", "7", "1"])]

# Security headers; the production defaults are strict, see prod.py.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ortaq API",
    "DESCRIPTION": "Open API of the Ortaq platform: NGO registry, funding, councils.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "LICENSE": {"name": "AGPL-3.0-or-later"},
    # Swagger UI is served from the installed sidecar package, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
