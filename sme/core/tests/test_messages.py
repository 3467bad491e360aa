"""Stored messages render in the reader's language, whoever wrote them."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext_lazy, pgettext_lazy

from sme.core.messages import Message, as_message, msg, render


def test_round_trip_through_json_keeps_types():
    original = msg(
        "订单%(number)s已于%(day)s完成，金额%(amount)s",
        number="DD1",
        day=dt.date(2026, 3, 2),
        amount=Decimal("12.50"),
    )
    stored = json.loads(json.dumps(original.to_json()))
    loaded = Message.from_json(stored)
    assert loaded == original
    assert isinstance(loaded.params["day"], dt.date)
    assert isinstance(loaded.params["amount"], Decimal)


def test_a_lazy_label_is_stored_as_its_id_and_translated_when_read():
    message = as_message(gettext_lazy("已提交"))
    assert message.text == "已提交"
    stored = message.to_json()
    with translation.override("en"):
        english = render(stored)
    with translation.override("zh-hans"):
        chinese = render(stored)
    assert chinese == "已提交"
    assert english != chinese


def test_written_in_english_read_in_chinese():
    with translation.override("en"):
        stored = msg("%(source)s → %(target)s", source=gettext_lazy("已提交"), target="x").to_json()
    with translation.override("zh-hans"):
        assert render(stored) == "已提交 → x"


def test_context_is_kept():
    message = as_message(pgettext_lazy("order status", "已完成"))
    assert message.context == "order status"
    assert Message.from_json(message.to_json()).context == "order status"


def test_plain_values_are_shown_as_they_are_in_every_language():
    stored = as_message("渝中区某某科技有限公司").to_json()
    with translation.override("en"):
        assert render(stored) == "渝中区某某科技有限公司"


def test_a_message_whose_parameters_do_not_fit_still_renders():
    message = Message("%(missing)s：%(present)s", {"present": "x"})
    assert message.render() == "%(missing)s：%(present)s"


def test_render_without_a_stored_message_uses_the_fallback():
    assert render({}, "旧摘要") == "旧摘要"
    assert render(None, "旧摘要") == "旧摘要"
