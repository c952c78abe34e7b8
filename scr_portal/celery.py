"""The Celery app. Periodic jobs are listed in scr_portal/schedule.py, the one beat schedule."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scr_portal.settings.dev")

app = Celery("scr_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Task modules the line above (<app>.tasks of INSTALLED_APPS only) does not find.
app.autodiscover_tasks(["scr_portal.clock"])
app.autodiscover_tasks(["scr_portal"], related_name="notify")
app.autodiscover_tasks(["scr_portal"], related_name="scanning")
app.autodiscover_tasks(["scr_portal.documents"])
app.autodiscover_tasks(["scr_portal.audit"])


@app.on_after_configure.connect
def _install_beat_schedule(sender, **kwargs):
    from .schedule import BEAT_SCHEDULE

    sender.conf.beat_schedule = BEAT_SCHEDULE
