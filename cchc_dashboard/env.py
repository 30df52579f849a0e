"""Typed readers for settings from the environment. A bad value stops start-up with a clear message."""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(_TRUE | _FALSE - {''})}, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


# A cache that does not answer within this long is treated as down (pages are then served uncached):
# without a limit, a cache host that drops packets would hold every request for the OS's TCP timeout.
CACHE_SOCKET_TIMEOUT_SECONDS = 0.5


def cache_from_url(url: str) -> dict:
    """A CACHES entry from a URL: locmem:// (one process) or redis://host:port/db (shared)."""
    if url.startswith("locmem://"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": url[9:] or "cchc"}
    if url.startswith(("redis://", "rediss://")):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "socket_connect_timeout": CACHE_SOCKET_TIMEOUT_SECONDS,
                "socket_timeout": CACHE_SOCKET_TIMEOUT_SECONDS,
            },
        }
    raise ImproperlyConfigured(f"CACHE_URL must start with locmem:// or redis:// (or rediss://), not {url!r}.")


def file_storage_from_env() -> dict:
    """The STORAGES "default" entry (uploaded evidence): the filesystem under MEDIA_ROOT, or an
    S3-compatible bucket (django-storages; needs boto3) when several app servers share the files."""
    kind = env_str("CCHC_FILE_STORAGE", "filesystem").strip().lower()
    if kind == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind == "s3":
        bucket = env_str("CCHC_S3_BUCKET")
        if not bucket:
            raise ImproperlyConfigured("CCHC_FILE_STORAGE=s3 needs CCHC_S3_BUCKET (the bucket's name).")
        options = {
            "bucket_name": bucket,
            "default_acl": "private",  # files are sent only through the permission-checked view
            "querystring_auth": True,
            "file_overwrite": False,
            "location": env_str("CCHC_S3_PREFIX", "cchc"),
        }
        if env_str("CCHC_S3_ENDPOINT_URL"):
            options["endpoint_url"] = env_str("CCHC_S3_ENDPOINT_URL")
        if env_str("CCHC_S3_REGION"):
            options["region_name"] = env_str("CCHC_S3_REGION")
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    raise ImproperlyConfigured(f"CCHC_FILE_STORAGE must be filesystem or s3, not {kind!r}.")


def site_url(name: str, default: str) -> str:
    """The site's public address, "scheme://host[:port]", with nothing after it."""
    raw = os.environ.get(name, default).strip()
    problem = f"{name} must be the site's address, like https://cchc.example.gov.vn, not {raw!r}"
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ImproperlyConfigured(f"{problem}.") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImproperlyConfigured(f"{problem}: it needs http:// or https:// and a host name.")
    if parts.path not in ("", "/") or parts.query or parts.fragment or "@" in parts.netloc:
        raise ImproperlyConfigured(f"{problem}: no path, query, fragment or user name after the host.")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def read_secret_file(path) -> str:
    """The secret in a file (its first line), or "" when there is no such file."""
    try:
        with open(path, encoding="utf-8") as file:
            return file.readline().strip()
    except FileNotFoundError:
        return ""
    except OSError as error:
        raise ImproperlyConfigured(f"Cannot read the secret key file {path}: {error.strerror}.") from None


def load_settings_or_exit() -> None:
    """Read the settings now; a bad value stops the process with one line on stderr, not a traceback."""
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018 - importing the settings module is the check
    except ImproperlyConfigured as error:
        raise SystemExit(f"Configuration error: {error}") from None
