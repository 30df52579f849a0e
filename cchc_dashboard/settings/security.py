"""Secrets, hosts, HTTPS, cookies, the content security policy and the login lockout.

DEBUG is off unless DJANGO_DEBUG=1; with DEBUG off a secret key is required.
"""

from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from cchc_dashboard.env import env_bool, env_int, env_list, env_str, read_secret_file
from cchc_dashboard.settings.base import DEBUG, VAR_DIR

# The key comes from DJANGO_SECRET_KEY, else from a file: var/secret_key, which `make run` writes
# (mode 600), so that every manage.py command works as written on a local install.
SECRET_KEY_FILE = Path(env_str("DJANGO_SECRET_KEY_FILE") or VAR_DIR / "secret_key")
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or read_secret_file(SECRET_KEY_FILE)
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off (or a key in {SECRET_KEY_FILE}, "
            "which `make run` creates)."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105 - used only with DEBUG on

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

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
