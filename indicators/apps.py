from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Chỉ tiêu CCHC")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        import cchc_dashboard.checks  # noqa: F401 - registers the deployment checks
        from indicators import signals

        signals.connect()
