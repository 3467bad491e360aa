"""Chinese by default, English when chosen; the English catalogue is complete and compiled."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale/en/LC_MESSAGES/django.po"


def test_default_language_is_chinese(client, db):
    page = client.get("/").content.decode()
    assert 'lang="zh-CN"' in page and "企业 / 服务机构注册" in page


def test_english_when_chosen(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in page
    assert "Sign in" in page or "Log in" in page
    assert "登录" not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_every_catalogue_entry_is_translated():
    text = PO.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text.split("\n\n", 1)[1], "fuzzy entries are ignored by Django: review them"
    entries = re.findall(r'\nmsgid "(.+)"\nmsgstr "(.*)"', text)
    assert len(entries) > 300
    assert [msgid for msgid, msgstr in entries if not msgstr] == []


def test_compiled_catalogue_is_current():
    """The committed .mo must hold what the .po says (run ``make messages`` after editing the .po)."""
    with translation.override("en"):
        text = PO.read_text(encoding="utf-8")
        for msgid, msgstr in re.findall(r'\nmsgid "(.+)"\nmsgstr "(.+)"', text)[-40:]:
            msgid, msgstr = (
                s.encode().decode("unicode_escape").encode("latin-1").decode() for s in (msgid, msgstr)
            )
            assert translation.gettext(msgid) == msgstr, msgid
