"""Send the CCHC index's deadline email due today: the period opens, closes in 7 days, closes tomorrow.

Run it once a day (cron or a systemd timer); each reminder goes to each user once, however often it runs.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from indicators.services import index_notifications


class Command(BaseCommand):
    help = "Send the CCHC index's deadline reminders that are due today (each once per user)."

    def handle(self, *args, **options):
        sent = index_notifications.send_reminders(today=timezone.localdate())
        self.stdout.write(f"index_reminders: {sent} sent")
