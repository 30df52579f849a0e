"""Settings every deployment shares: apps, middleware, database, languages, static files, the site's own knobs.

Values that differ between machines come from the environment; README.md lists every variable.
"""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from cchc_dashboard.env import cache_from_url, env_bool, env_int, env_str, file_storage_from_env, site_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DJANGO_DEBUG", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "indicators",
    "csp",
    "axes",
]

MIDDLEWARE = [
    # Outermost, so that a database error anywhere below it becomes the plain 503 page.
    "cchc_dashboard.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything that reads the body; it checks the user on the way out (set further in).
    "cchc_dashboard.middleware.PublicGZipMiddleware",
    "csp.middleware.CSPMiddleware",
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
    "axes.middleware.AxesMiddleware",
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
    # Axes first: it refuses a locked-out login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
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
# Uploaded files (the index's evidence) go through Django's storage API: the filesystem under
# MEDIA_ROOT by default, S3-compatible storage with CCHC_FILE_STORAGE=s3. MEDIA_URL is not served:
# a file is sent only by the view that checks who asks (indicators/views/index_process.py).
MEDIA_ROOT = env_str("CCHC_MEDIA_ROOT", str(VAR_DIR / "media"))
STORAGES = {
    "default": file_storage_from_env(),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

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
# The CCHC index: the largest evidence file (PDF, DOCX, XLSX, JPG, PNG; its type is read from its content).
INDEX_EVIDENCE_MAX_BYTES = env_int("INDEX_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
FILE_UPLOAD_PERMISSIONS = 0o640

# Email (the index's deadlines, requests and submissions): SMTP when EMAIL_HOST is set, else the
# console (the log), so that a site without a mail server still works. The password is in security.py.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "cchc@localhost")

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

# Data entry: the first year district admins may enter figures for.
ENTRY_FIRST_YEAR = env_int("ENTRY_FIRST_YEAR", 2019)
