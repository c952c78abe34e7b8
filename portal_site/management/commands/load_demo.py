from django.conf import settings
from django.core.management.base import BaseCommand

from portal_site.demo import DEMO_PASSWORD, demo_data_load


class Command(BaseCommand):
    help = "Load the demo board, its agencies and one user per role (safe to run again)."

    def handle(self, *args, **options):
        users = demo_data_load()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded. Sign in at {settings.PORTAL_BASE_URL.rstrip('/')}/ as:")
        )
        for spec in users:
            self.stdout.write(f"  {spec.email:<34} {spec.label}")
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")
