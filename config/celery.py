"""The Celery application: `celery -A config worker` runs the background jobs of every app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("sme")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
