import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_dashboard.settings.production")
try:
    application = get_wsgi_application()
except ImproperlyConfigured as error:
    # One line, not a traceback. Exit status 4 is gunicorn's "app failed to load": it stops instead of
    # starting new workers that would fail the same way.
    print(f"Configuration error: {error}", file=sys.stderr, flush=True)
    sys.exit(4)
