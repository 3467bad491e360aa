"""The navigation bar for each role, filled by the apps. Which links appear is convenience only: every
page checks permission and scope itself (selectors), so hiding a link never stands in for a check.

Each app registers its links in ``AppConfig.ready`` with :func:`register`: a label, a URL name, the
audiences that see it, where it goes (top level, or a named drop-down group) and its order. Groups
are declared here once (:data:`GROUPS`), so an officer's bar stays one line on a laptop and
collapses cleanly on a phone; a group with no visible link is not shown.

Audiences: ``anonymous`` (not logged in), ``enterprise``, ``provider``, ``expert``, ``officer``
(district and city officers and platform administrators) and ``admin`` (administrators only).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

ANONYMOUS, ENTERPRISE, PROVIDER, EXPERT, OFFICER, ADMIN = (
    "anonymous",
    "enterprise",
    "provider",
    "expert",
    "officer",
    "admin",
)
SIGNED_IN = "signed_in"  # every signed-in user, whatever the role


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str = ""
    active: bool = False
    children: tuple[NavItem, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Link:
    label: Any
    url_name: str
    audiences: frozenset[str]
    order: int
    group: str = ""  # a key of GROUPS, or "" for the top level


@dataclass(frozen=True)
class Group:
    label: Any
    order: int  # its place among the top-level entries


# The drop-downs, by key. The same key may hold different links for different audiences.
GROUPS: dict[str, Group] = {
    "my_business": Group(_("我的业务"), 20),
    "my_enterprise": Group(_("我的企业"), 30),
    "provider_business": Group(_("服务业务"), 20),
    "my_organization": Group(_("我的机构"), 30),
    "review": Group(_("审核"), 60),
    "supervision": Group(_("监管"), 70),
    "system": Group(_("系统"), 80),
    "tools": Group(_("工具"), 95),
    "public": Group(_("公开信息"), 99),
}

_LINKS: list[Link] = []


def register(*links: Link) -> None:
    for link in links:
        if link.group and link.group not in GROUPS:
            raise LookupError(f"navigation group {link.group!r} is not declared in sme.core.navigation")
        if link not in _LINKS:
            _LINKS.append(link)


def link(label: Any, url_name: str, audiences: Iterable[str], order: int, group: str = "") -> Link:
    return Link(label, url_name, frozenset(audiences), order, group)


_audience_of: Callable[[Any], frozenset[str]] | None = None


def register_audiences(resolver: Callable[[Any], frozenset[str]]) -> None:
    """The accounts app tells which audiences a signed-in user belongs to (core knows no roles)."""
    global _audience_of
    _audience_of = resolver


def audiences_of(user: Any) -> frozenset[str]:
    if user is None or not user.is_authenticated:
        return frozenset({ANONYMOUS})
    if _audience_of is None:
        return frozenset({SIGNED_IN})
    return _audience_of(user)


def _is_active(url: str, path: str) -> bool:
    return (url != "/" and path.startswith(url)) or url == path


def menu_for(request: HttpRequest) -> list[NavItem]:
    seen = audiences_of(getattr(request, "user", None))
    path = request.path
    visible = sorted((lk for lk in _LINKS if lk.audiences & seen), key=lambda lk: lk.order)
    top: list[tuple[int, NavItem]] = []
    grouped: dict[str, list[NavItem]] = {}
    for lk in visible:
        url = reverse(lk.url_name)
        item = NavItem(str(lk.label), url, active=_is_active(url, path))
        if lk.group:
            grouped.setdefault(lk.group, []).append(item)
        else:
            top.append((lk.order, item))
    for key, children in grouped.items():
        group = GROUPS[key]
        node = NavItem(str(group.label), active=any(c.active for c in children), children=tuple(children))
        top.append((group.order, node))
    return [item for _order, item in sorted(top, key=lambda pair: pair[0])]
