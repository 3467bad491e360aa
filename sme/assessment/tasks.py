"""Background jobs of the assessment app (eager in-process when no broker is configured)."""

from __future__ import annotations

from celery import shared_task

from .peers import rebuild_peer_stats


@shared_task(name="assessment.rebuild_peer_stats")
def rebuild_assessment_peers() -> dict[str, int]:
    """Rebuild the peer-average tables (the same work as ``manage.py rebuild_assessment_peers``)."""
    return rebuild_peer_stats()
