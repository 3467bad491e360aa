"""Benchmarks: the production settings plus the bench-only app that generates the data
(``manage.py generate_data`` and the other ``generate_*`` commands). See ``bench/README.md``.

Same environment as production (``SECRET_KEY``, ``ALLOWED_HOSTS``, ``DATABASE_URL``, ``CACHE_URL``);
``bench/run.py`` sets it. Never point it at a production database: the generators add fake
organizations and users with a known password."""

from .production import *  # noqa: F403
from .production import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.benchdata"]
