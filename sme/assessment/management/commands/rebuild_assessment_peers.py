"""``manage.py rebuild_assessment_peers``: recompute the peer averages the reports show.

Idempotent: the table is replaced in one transaction with what the current responses give. Run it
on a schedule (Celery beat: ``assessment.rebuild_peer_stats``) or after bulk changes.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from sme.assessment.peers import rebuild_peer_stats


class Command(BaseCommand):
    help = "Rebuild the pre-aggregated peer averages of assessment responses (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        counts = rebuild_peer_stats()
        groups = "，".join(f"{kind} {n}" for kind, n in counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"rebuild_assessment_peers: {groups} 组，用时 {time.monotonic() - started:.1f} s"
            )
        )
