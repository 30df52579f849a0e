"""The settings every deployment runs with, `make run` included: the shared base plus the security settings."""

from cchc_dashboard.settings.base import *  # noqa: F403
from cchc_dashboard.settings.security import *  # noqa: F403
