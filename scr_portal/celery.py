"""The Celery app. Periodic jobs are listed in scr_portal/schedule.py, the one beat schedule."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scr_portal.settings.dev")

app = Celery("scr_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Every installed app's tasks module, the kernel's clock, documents and audit apps included.
app.autodiscover_tasks()


@app.on_after_configure.connect
def _install_beat_schedule(sender, **kwargs):
    from .schedule import BEAT_SCHEDULE

    sender.conf.beat_schedule = BEAT_SCHEDULE
