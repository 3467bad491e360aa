"""``python manage.py reclassify_enterprises``: recompute every stored size class with the standard
in force today (after a revised standard or industry list is loaded), writing only what changed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sme.core import audit, clock
from sme.core.messages import msg

from ...models import EnterpriseProfile
from ...reclassify import ReclassifyResult, reclassify_all
from ...selectors import classifier_on
from ..progress import ProgressBar


class Command(BaseCommand):
    help = "Recompute the size class of every enterprise profile."

    def handle(self, *args: Any, **options: Any) -> None:
        classifier = classifier_on(clock.today())
        total = EnterpriseProfile.objects.count()
        bar = ProgressBar(self.stdout)

        def progress(r: ReclassifyResult) -> None:
            bar.update(r.total, total, f"变化 {r.changed:,}")

        result = reclassify_all(classifier, progress)
        bar.finish()
        audit.record(
            "enterprise.reclassify_all",
            summary=msg(
                "重新划型：%(total)s 家企业，%(changed)s 家结果变化（标准 %(standard)s）",
                total=result.total,
                changed=result.changed,
                standard=classifier.rules.version,
            ),
            changes={"total": result.total, "changed": result.changed, "standard": classifier.rules.version},
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"重新划型完成：{result.total:,} 家企业，{result.changed:,} 家结果变化（标准 {classifier.rules.version}）。"
            )
        )
