"""The navigation bar for each role. Which links appear is convenience only: every page checks
permission and scope itself (selectors), so hiding a link never stands in for a check."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool = False


def menu_for(request: HttpRequest) -> list[NavItem]:
    from sme.accounts.models import OFFICER_ROLES, Role

    user = getattr(request, "user", None)
    items: list[tuple[str, str]] = []
    if user is None or not user.is_authenticated:
        items = [
            (_("首页"), reverse("core:home")),
            (_("认定平台名录"), reverse("certification:register")),
            (_("认定公示"), reverse("certification:notices")),
            (_("认定条件自测"), reverse("certification:self-check")),
            (_("信用代码校验"), reverse("uscc-tool")),
        ]
    else:
        items = [(_("工作台"), reverse("core:dashboard"))]
        if user.role in (Role.ENTERPRISE, Role.PROVIDER):
            items.append((_("我的机构"), reverse("organizations:mine")))
        if user.role == Role.ENTERPRISE:
            items += [
                (_("企业档案"), reverse("enterprises:mine")),
                (_("数字化评测"), reverse("assessment:home")),
            ]
        if user.role == Role.PROVIDER:
            items.append((_("平台认定"), reverse("certification:home")))
        if user.role in OFFICER_ROLES or user.is_platform_admin:
            items += [
                (_("机构管理"), reverse("organizations:list")),
                (_("企业名录"), reverse("enterprises:list")),
                (_("认定评审"), reverse("certification:queue")),
                (_("认定平台"), reverse("certification:certified-list")),
                (_("企业数字化评测"), reverse("assessment:responses")),
            ]
        if user.role == Role.EXPERT:
            items.append((_("评审任务"), reverse("certification:expert-home")))
        if user.is_platform_admin:
            items += [
                (_("用户管理"), reverse("accounts:staff-list")),
                (_("审计日志"), reverse("audit:list")),
            ]
        items += [
            (_("认定平台名录"), reverse("certification:register")),
            (_("信用代码校验"), reverse("uscc-tool")),
        ]
    path = request.path
    return [
        NavItem(label, url, active=(url != "/" and path.startswith(url)) or url == path)
        for label, url in items
    ]
