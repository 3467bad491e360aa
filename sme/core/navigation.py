"""The navigation bar for each role. Which links appear is convenience only: every page checks
permission and scope itself (selectors), so hiding a link never stands in for a check.

Top-level entries are either a link or a group shown as a drop-down, so that an officer's bar stays
one line on a laptop and collapses cleanly on a phone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str = ""
    active: bool = False
    children: tuple[NavItem, ...] = field(default_factory=tuple)


Entry = tuple[str, str] | tuple[str, list[tuple[str, str]]]


def _public_group() -> tuple[str, list[tuple[str, str]]]:
    return (
        _("公开信息"),
        [
            (_("认定平台名录"), reverse("certification:register")),
            (_("认定公示"), reverse("certification:notices")),
            (_("诉求办理公开数据"), reverse("tickets:figures")),
            (_("认定条件自测"), reverse("certification:self-check")),
            (_("信用代码校验"), reverse("uscc-tool")),
        ],
    )


def _entries_for(user: Any) -> list[Entry]:
    from sme.accounts.models import OFFICER_ROLES, Role

    if user is None or not user.is_authenticated:
        return [
            (_("首页"), reverse("core:home")),
            (_("服务目录"), reverse("catalog:index")),
            (_("认定平台名录"), reverse("certification:register")),
            (_("认定公示"), reverse("certification:notices")),
            (_("诉求办理公开数据"), reverse("tickets:figures")),
            (
                _("工具"),
                [
                    (_("认定条件自测"), reverse("certification:self-check")),
                    (_("信用代码校验"), reverse("uscc-tool")),
                ],
            ),
        ]
    entries: list[Entry] = [(_("工作台"), reverse("core:dashboard"))]
    if user.role == Role.ENTERPRISE:
        entries += [
            (_("服务目录"), reverse("catalog:index")),
            (
                _("我的业务"),
                [
                    (_("我的订单"), reverse("orders:list")),
                    (_("我的需求"), reverse("demands:mine")),
                    (_("我的诉求"), reverse("tickets:list")),
                ],
            ),
            (
                _("我的企业"),
                [
                    (_("我的机构"), reverse("organizations:mine")),
                    (_("企业档案"), reverse("enterprises:mine")),
                    (_("数字化评测"), reverse("assessment:home")),
                ],
            ),
        ]
    elif user.role == Role.PROVIDER:
        entries += [
            (
                _("服务业务"),
                [
                    (_("我的服务"), reverse("catalog:mine")),
                    (_("收到的订单"), reverse("orders:list")),
                    (_("需求大厅"), reverse("demands:list")),
                ],
            ),
            (
                _("我的机构"),
                [
                    (_("机构信息"), reverse("organizations:mine")),
                    (_("平台认定"), reverse("certification:home")),
                ],
            ),
            (_("服务目录"), reverse("catalog:index")),
        ]
    elif user.role == Role.EXPERT:
        entries.append((_("评审任务"), reverse("certification:expert-home")))
    if user.role in OFFICER_ROLES or user.is_platform_admin:
        entries += [
            (
                _("审核"),
                [
                    (_("机构管理"), reverse("organizations:list")),
                    (_("认定评审"), reverse("certification:queue")),
                    (_("服务审核"), reverse("catalog:review")),
                ],
            ),
            (
                _("监管"),
                [
                    (_("企业名录"), reverse("enterprises:list")),
                    (_("认定平台"), reverse("certification:certified-list")),
                    (_("企业数字化评测"), reverse("assessment:responses")),
                    (_("服务订单"), reverse("orders:list")),
                    (_("订单预警"), reverse("orders:flags")),
                    (_("需求对接"), reverse("demands:list")),
                    (_("企业诉求"), reverse("tickets:list")),
                    (_("举报处理"), reverse("moderation:queue")),
                ],
            ),
        ]
    if user.is_platform_admin:
        entries.append(
            (
                _("系统"),
                [
                    (_("用户管理"), reverse("accounts:staff-list")),
                    (_("审计日志"), reverse("audit:list")),
                ],
            )
        )
    entries.append(_public_group())
    return entries


def _is_active(url: str, path: str) -> bool:
    return (url != "/" and path.startswith(url)) or url == path


def menu_for(request: HttpRequest) -> list[NavItem]:
    path = request.path
    items: list[NavItem] = []
    for label, target in _entries_for(getattr(request, "user", None)):
        if isinstance(target, str):
            items.append(NavItem(label, target, active=_is_active(target, path)))
        else:
            children = tuple(NavItem(lbl, url, active=_is_active(url, path)) for lbl, url in target)
            items.append(NavItem(label, active=any(c.active for c in children), children=children))
    return items
