"""Alerts the platform raises on its own: sent to the platform administrators."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q

from sme.core.audit_chain import chain_broken
from sme.core.messages import msg

from .services import notify

SECURITY = "security"


def administrators() -> Any:
    return get_user_model().objects.filter(Q(role="admin") | Q(is_superuser=True), is_active=True)


def alert_chain_broken(sender: Any, broken: Any, checked: int, **kwargs: Any) -> None:
    notify(
        administrators(),
        title=msg("审计日志校验失败：第%(row)s条起哈希链断开", row=broken.row_id),
        body=msg(
            "每日校验发现审计日志被改动：%(reason)s。此前%(checked)s条校验通过。请立即核查数据库访问记录，"
            "并运行 python manage.py audit_verify 复核。",
            reason=broken.reason,
            checked=checked,
        ),
        url="/audit/",
        event=SECURITY,
    )


def connect() -> None:
    chain_broken.connect(alert_chain_broken, dispatch_uid="notifications_alert_chain_broken")
