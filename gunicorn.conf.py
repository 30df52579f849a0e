"""gunicorn's settings for this project (read from the project folder: `make run`, docs/deploy.md)."""

import os
from pathlib import Path

VAR_DIR = Path(__file__).resolve().parent / "var"
VAR_DIR.mkdir(exist_ok=True)

# gunicorn 25.1+ opens a control socket, by default in the home directory, which every project run
# by the same user would share. Keep this project's next to its other run-time files.
control_socket = str(VAR_DIR / "gunicorn.ctl")


def on_starting(server):
    """Check the settings once in the master, so that a bad value is one line and no worker starts."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_dashboard.settings.production")
    from cchc_dashboard.env import load_settings_or_exit

    load_settings_or_exit()
