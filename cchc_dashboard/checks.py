"""Deployment checks (`manage.py check --deploy`) for the project's own settings."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@register(Tags.security, deploy=True)
def site_url_is_public(app_configs, **kwargs):
    """Permalinks are built from CCHC_SITE_URL: a production site must not hand out 127.0.0.1."""
    parts = urlsplit(settings.CCHC_SITE_URL)
    problems = []
    if parts.hostname in LOOPBACK:
        problems.append(
            Warning(
                f"CCHC_SITE_URL is {settings.CCHC_SITE_URL}: the 'cite this' links would point at this machine.",
                hint="Set CCHC_SITE_URL to the address the public uses, e.g. https://cchc.example.gov.vn.",
                id="cchc.W001",
            )
        )
    elif parts.scheme != "https" and settings.SECURE:
        problems.append(
            Warning(
                f"CCHC_SITE_URL is {settings.CCHC_SITE_URL}, but the site is served over HTTPS (DJANGO_SECURE).",
                hint="Use the https:// address.",
                id="cchc.W002",
            )
        )
    return problems
