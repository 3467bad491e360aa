"""The demands' daily job (registered in ``apps.py``, run by ``manage.py run_daily``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from sme.core import clock
from sme.core.errors import Conflict
from sme.core.messages import msg
from sme.core.workflow import apply_transition
from sme.notifications.services import notify

from ..models import Demand, DemandStatus
from ..permissions import enterprise_people
from ..workflow import DEMAND, SYSTEM
from .common import EVENT, next_version, tell_not_selected
from .proposals import proposals_not_select


@dataclass
class DailyReport:
    today: dt.date
    closed: int = 0
    proposals_not_selected: int = 0
    skipped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "closed": self.closed,
            "proposals_not_selected": self.proposals_not_selected,
            "skipped": self.skipped,
        }


def demands_daily(*, today: dt.date | None = None) -> DailyReport:
    """Close every open demand whose deadline has passed: its proposals are not selected, the
    enterprise and the proposers are told. Idempotent: a second run the same day finds nothing.

    Each demand is closed in its own transaction, so one conflict (the enterprise deciding at the
    same moment) does not hold up the rest.
    """
    day = today or clock.today()
    report = DailyReport(today=day)
    due = list(
        Demand.objects.filter(status=DemandStatus.OPEN, deadline__lt=day)
        .order_by("deadline", "id")
        .values_list("pk", flat=True)
    )
    for pk in due:
        try:
            with transaction.atomic():
                demand = Demand.objects.select_related("enterprise").get(pk=pk)
                if demand.status != DemandStatus.OPEN:
                    continue
                passed = msg("截止日期 %(day)s 已过，自动结束征集。", day=demand.deadline)
                note = passed.render()
                apply_transition(
                    workflow=DEMAND,
                    obj=demand,
                    action="close",
                    actor=None,
                    roles={SYSTEM},
                    note=note,
                    updates={"decided_at": clock.now(), **next_version()},
                )
                rest = proposals_not_select(demand, actor=None, roles={SYSTEM}, note=note)
                report.closed += 1
                report.proposals_not_selected += len(rest)
                notify(
                    enterprise_people(demand.enterprise_id),
                    title=msg("需求已截止：%(title)s", title=demand.title),
                    body=msg(
                        "%(passed)s%(rest)s",
                        passed=passed,
                        rest=msg("共有 %(n)d 份方案未被选定；如仍有需要，可重新发布需求。", n=len(rest)),
                    ),
                    url=demand.get_absolute_url(),
                    event=EVENT,
                )
                tell_not_selected(rest, demand, body=msg("需求已截止，企业未选定方案。"))
        except Conflict:
            report.skipped.append(f"demand {pk}: changed while closing")
    return report
