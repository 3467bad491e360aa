"""``manage.py audit_verify``: walk the audit log's hash chain and report the first broken link."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sme.core.audit_chain import verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain (sme.core.audit_chain); exit with an error at the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify()
        if result.broken is not None:
            raise CommandError(f"BROKEN after {result.checked} good rows: {result.broken}")
        self.stdout.write(f"OK: {result.checked} audit rows, every link holds")
