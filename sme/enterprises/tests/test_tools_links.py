"""The public tools are found: the 工具 menu, the home page's 公共工具 list, and a favicon on every page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from conftest import login
from sme.core import navigation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_urls(settings):
    settings.ROOT_URLCONF = "config.urls"


def _group(user, label):
    request = RequestFactory().get("/")
    request.user = user
    return next(i for i in navigation.menu_for(request) if i.label == label)


def test_the_size_class_tool_is_in_the_tools_menu_and_the_public_menu(enterprise_owner):
    tools = _group(AnonymousUser(), "工具")
    assert ("企业规模划型", "/tools/size-class/") in [(c.label, c.url) for c in tools.children]
    public = _group(enterprise_owner, "公开信息")
    assert ("企业规模划型", "/tools/size-class/") in [(c.label, c.url) for c in public.children]


def test_the_home_page_lists_every_public_tool(client):
    page = client.get("/").content.decode()
    tools = page.split('data-testid="public-tools"', 1)[1].split("</ul>", 1)[0]
    for url in ("/tools/uscc/", "/tools/size-class/", "/certification/self-check/"):
        assert f'href="{url}"' in tools


def test_every_page_names_a_favicon_and_favicon_ico_answers(client, enterprise_owner):
    for user in (None, enterprise_owner):
        if user is not None:
            login(client, user)
        page = client.get("/tools/size-class/").content.decode()
        assert '<link rel="icon" href="/static/favicon.svg"' in page
        assert '<link rel="icon" href="/static/favicon.ico"' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/favicon.ico"
    from django.contrib.staticfiles import finders

    for name in ("favicon.ico", "favicon.svg"):
        path = finders.find(name)
        assert path, name
        with open(path, "rb") as f:
            head = f.read(4)
        assert head == b"\x00\x00\x01\x00" if name.endswith(".ico") else head == b"<svg"


def test_the_footer_links_the_size_class_tool(client):
    page = client.get("/tools/uscc/").content.decode()
    footer = page.split("<footer", 1)[1]
    assert 'href="/tools/size-class/"' in footer
