"""The navigation the apps register, per role, written out here independently of the registrations."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from sme.accounts.models import Role
from sme.core import navigation


class _User:
    is_authenticated = True

    def __init__(self, role: str, admin: bool = False):
        self.role, self.is_platform_admin = role, admin


def _menu(user) -> list:
    request = RequestFactory().get("/orders/")
    request.user = user
    return [(i.label, [c.label for c in i.children]) for i in navigation.menu_for(request)]


PUBLIC = ["认定平台名录", "认定公示", "诉求办理公开数据", "认定条件自测", "信用代码校验", "企业规模划型"]
OFFICER = [
    ("审核", ["机构管理", "认定评审", "服务审核"]),
    (
        "监管",
        [
            "企业名录",
            "认定平台",
            "企业数字化评测",
            "服务订单",
            "订单预警",
            "需求对接",
            "企业诉求",
            "举报处理",
            "我的导出",
        ],
    ),
]


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        (
            AnonymousUser(),
            [
                ("首页", []),
                ("服务目录", []),
                ("认定平台名录", []),
                ("认定公示", []),
                ("诉求办理公开数据", []),
                ("工具", ["认定条件自测", "信用代码校验", "企业规模划型"]),
            ],
        ),
        (
            _User(Role.ENTERPRISE),
            [
                ("工作台", []),
                ("服务目录", []),
                ("我的业务", ["我的订单", "我的需求", "我的诉求"]),
                ("我的企业", ["我的机构", "企业档案", "数字化评测"]),
                ("公开信息", PUBLIC),
            ],
        ),
        (
            _User(Role.PROVIDER),
            [
                ("工作台", []),
                ("服务业务", ["我的服务", "收到的订单", "需求大厅"]),
                ("我的机构", ["机构信息", "平台认定"]),
                ("服务目录", []),
                ("公开信息", PUBLIC),
            ],
        ),
        (_User(Role.EXPERT), [("工作台", []), ("评审任务", []), ("公开信息", PUBLIC)]),
        (_User(Role.DISTRICT_OFFICER), [("工作台", []), *OFFICER, ("公开信息", PUBLIC)]),
        (
            _User(Role.CITY_OFFICER, admin=True),
            [("工作台", []), *OFFICER, ("系统", ["用户管理", "审计日志"]), ("公开信息", PUBLIC)],
        ),
    ],
    ids=["anonymous", "enterprise", "provider", "expert", "district", "admin"],
)
def test_each_role_sees_its_bar(user, expected):
    assert _menu(user) == expected


def test_the_group_of_the_current_page_is_marked_active():
    request = RequestFactory().get("/orders/flags/")
    request.user = _User(Role.DISTRICT_OFFICER)
    supervision = next(i for i in navigation.menu_for(request) if i.label == "监管")
    assert supervision.active
    assert [c.label for c in supervision.children if c.active] == ["服务订单", "订单预警"]


def test_a_link_into_an_undeclared_group_is_refused():
    with pytest.raises(LookupError):
        navigation.register(navigation.link("x", "core:home", {navigation.ADMIN}, 1, "nosuch"))
