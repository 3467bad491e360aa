"""``flush`` that can empty the append-only logs only where the settings allow it (the test suite).

Elsewhere the database's own guards refuse (sme.core.append_only), so ``manage.py flush`` cannot wipe
the audit log of a running platform.
"""

from typing import Any

from django.conf import settings
from django.core.management.commands import flush
from django.db import connections

from sme.core.append_only import wipe_allowed


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        if not getattr(settings, "APPEND_ONLY_FLUSH_ALLOWED", False):
            return super().handle(**options)
        with wipe_allowed(connections[options["database"]]):
            return super().handle(**options)
