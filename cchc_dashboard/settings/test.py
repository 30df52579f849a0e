"""Settings for pytest: the real settings with a throwaway secret, plain HTTP and fast hashing."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("DJANGO_SECURE", "0")

from cchc_dashboard.settings.production import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests don't run collectstatic, so no manifest.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# django-axes refuses authenticate() without a request, which the test client's login() does not
# pass. The lockout tests switch it back on with the `settings` fixture.
AXES_ENABLED = False
