"""Settings, read from the environment (see README.md for every variable).

DEBUG is off unless DJANGO_DEBUG=1; with DEBUG off, DJANGO_SECRET_KEY is required.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from cchc_dashboard.env import cache_from_url, env_bool, env_int, env_list, env_str, read_secret_file, site_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DJANGO_DEBUG", default=False)

# The key comes from DJANGO_SECRET_KEY, else from a file: var/secret_key, which `make run` writes
# (mode 600), so that every manage.py command works as written on a local install.
SECRET_KEY_FILE = Path(env_str("DJANGO_SECRET_KEY_FILE") or VAR_DIR / "secret_key")
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or read_secret_file(SECRET_KEY_FILE)
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off (or a key in {SECRET_KEY_FILE}, "
            "which `make run` creates)."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105 - used only with DEBUG on

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "import_export",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "indicators",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cchc_dashboard.middleware.CookieLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "cchc_dashboard.middleware.PrivateForSignedInMiddleware",
]

ROOT_URLCONF = "cchc_dashboard.urls"
WSGI_APPLICATION = "cchc_dashboard.wsgi.application"

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
            ],
        },
    },
]

# An SQLite file under var/ (git-ignored) unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cchc.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # gunicorn's workers write to one SQLite file. A deferred transaction that reads and then writes
    # (every save: it reads the versions first) cannot wait for another writer's lock and fails at
    # once with "database is locked" (a 503): the load test (bench/loadtest.py) saw it. BEGIN IMMEDIATE
    # takes the write lock up front, so writers queue for up to `timeout` seconds instead; WAL lets the
    # public pages keep reading while one writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "entry:list"
LOGOUT_REDIRECT_URL = "home"

# Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Django's own "vi" formats have no digit grouping; ours give 1.234,5.
FORMAT_MODULE_PATH = ["cchc_dashboard.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

# Uploads: a spreadsheet of a province's figures is well under this.
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
# What a file may unpack to, checked before it is read in full: a province's file has tens of
# thousands of rows of the template's ten columns.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 50_000)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 30)
IMPORT_MAX_CELL_CHARS = env_int("IMPORT_MAX_CELL_CHARS", 10_000)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 50 * 1024 * 1024)
# Unconfirmed uploads are deleted after this many hours, and a user keeps at most this many.
IMPORT_STAGED_HOURS = env_int("IMPORT_STAGED_HOURS", 24)
IMPORT_MAX_STAGED_PER_USER = env_int("IMPORT_MAX_STAGED_PER_USER", 5)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Security: safe defaults, production values switched on by DJANGO_SECURE=1 (behind an HTTPS proxy).
SECURE = env_bool("DJANGO_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if SECURE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# The province whose districts the public pages compare (GSO code).
CCHC_PROVINCE_CODE = env_str("CCHC_PROVINCE_CODE", "80")

# Public pages are cached per data version (indicators/caching.py); 0 turns the cache off.
CCHC_PAGE_CACHE_SECONDS = env_int("CCHC_PAGE_CACHE_SECONDS", 600)
# Local memory by default (each process its own; correct because keys carry the data version).
# Several app servers should share one: CACHE_URL=redis://host:6379/0. If it fails, pages are served
# uncached (indicators/caching.py) and /healthz says "degraded".
CACHES = {"default": cache_from_url(env_str("CACHE_URL", "locmem://"))}

# The address the public reaches the site at: absolute links (the "cite this" permalink) are built
# from it, never from the request's Host header, which a visitor chooses and the page cache shares.
CCHC_SITE_URL = site_url("CCHC_SITE_URL", "http://127.0.0.1:8000")

# --- Hardening (issue 5): CSP, login lockout, sessions, database-down page -------------------------
from csp.constants import NONE, SELF, UNSAFE_INLINE  # noqa: E402

INSTALLED_APPS += ["csp", "axes"]
# Outermost, so that a database error anywhere below it becomes the plain 503 page.
MIDDLEWARE.insert(0, "cchc_dashboard.middleware.DatabaseUnavailableMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
# Axes must be the first backend: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS.insert(0, "axes.backends.AxesStandaloneBackend")

# sha256 of "" (the empty <style> element plotly.js creates before it inserts its rules).
EMPTY_STYLE_ELEMENT_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # No inline script anywhere: chart data is JSON (json_script), drawn by static/js/charts.js.
        "script-src": [SELF],
        # Styles: our CSS is one static file; plotly.js is what needs more, and only this much
        # (checked in Chromium, tests/e2e): at load it appends an *empty* <style> element and fills
        # it through CSSOM insertRule, which CSP does not police, so style-src-elem allows just the
        # hash of the empty string; while drawing and on hover/legend clicks it sets style="..."
        # attributes on SVG nodes, which only style-src-attr 'unsafe-inline' allows. No <style>
        # with content is accepted, and inline styles cannot run code (scripts stay 'self').
        # Browsers without the -elem/-attr directives fall back to style-src 'self'.
        "style-src": [SELF],
        "style-src-elem": [SELF, EMPTY_STYLE_ELEMENT_HASH],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Login lockout (django-axes): 5 failures for one username from one address lock them for an hour.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# Behind a reverse proxy every request comes from the proxy's address; then the client is read from
# X-Forwarded-For, counting DJANGO_TRUSTED_PROXY_COUNT proxies from the right (the part the proxy
# wrote; anything to its left is what the client claimed and is not trusted).
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "cchc_dashboard.middleware.client_ip"
# No "AXES: BEGIN version ..." banner on every management command and worker start.
AXES_VERBOSE = False

# Sessions: 8 hours at most (SESSION_COOKIE_AGE above), and gone when the browser closes.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Load balancers probe /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Data entry (issue 4): the first year district admins may enter figures for.
ENTRY_FIRST_YEAR = env_int("ENTRY_FIRST_YEAR", 2019)
