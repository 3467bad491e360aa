"""The sentences that explain a size class: stored with a classification as facts, read in the
reader's language (through gettext, with parameters), years later as on the day.

A stored reason is one of
- a fact: a short list naming the sentence and its values, the form the classifier writes for a
  million enterprises (a fifth of the size of message JSON, and as exact a record):
  ``["group", code, industry name, group number, group name, [indicators]]``,
  ``["below", band, [[indicator, value, bound], …]]`` (a band not reached, and the figures short of it),
  ``["reached", band, [[indicator, value, bound], …]]``, ``["micro"]``, ``["ignored", [indicators]]``;
- a message (``sme.core.messages`` JSON), for the rarer sentences (a missing figure, a bad code);
- a sentence of the data (``{"zh-hans": …, "en": …}``, :class:`DataText`): why an industry cannot be
  classified, in the languages the data gives;
- plain Chinese text, as classifications made before reasons were facts stored them.

:func:`render_reason` turns each into text. ``size_class.classify`` (the tool) builds the same facts
and renders them at once, so the tool and a stored classification say the same words. Names the
standards give (an industry's, a size group's) are parameters and stay as the data has them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext_noop as N_

from sme.core.messages import Message, as_message, msg

SIZE_LABELS = {
    "large": gettext_lazy("大型"),
    "medium": gettext_lazy("中型"),
    "small": gettext_lazy("小型"),
    "micro": gettext_lazy("微型"),
}
INDICATOR_NAMES = {
    "employees": gettext_lazy("从业人员"),
    "revenue": gettext_lazy("营业收入"),
    "assets": gettext_lazy("资产总额"),
}
INDICATOR_UNITS = {
    "employees": gettext_lazy("人"),
    "revenue": gettext_lazy("万元"),
    "assets": gettext_lazy("万元"),
}

# The message ids (Chinese). Per indicator and per band, so that a language can word each its way.
HEADER = N_("行业代码 %(code)s（%(name)s）属于第%(number)s组“%(group)s”，按%(indicators)s划型。")
NOT_REACHED = {
    "large": N_("未达到大型：%(missed)s。"),
    "medium": N_("未达到中型：%(missed)s。"),
    "small": N_("未达到小型：%(missed)s。"),
}
REACHED = {
    "large": N_("达到大型的全部下限：%(met)s。"),
    "medium": N_("达到中型的全部下限：%(met)s。"),
    "small": N_("达到小型的全部下限：%(met)s。"),
}
BELOW = {
    "employees": N_("从业人员 %(value)s 人，低于 %(bound)s 人"),
    "revenue": N_("营业收入 %(value)s 万元，低于 %(bound)s 万元"),
    "assets": N_("资产总额 %(value)s 万元，低于 %(bound)s 万元"),
}
AT_LEAST = {
    "employees": N_("从业人员 %(value)s 人 ≥ %(bound)s 人"),
    "revenue": N_("营业收入 %(value)s 万元 ≥ %(bound)s 万元"),
    "assets": N_("资产总额 %(value)s 万元 ≥ %(bound)s 万元"),
}
PAIR = N_("%(first)s，%(second)s")  # two items of a list
AND = N_("%(first)s和%(second)s")  # two indicators
MICRO = N_("有一项指标低于小型下限即为微型。")
IGNORED = N_("本组不按%(names)s划型，所填数值未使用。")
NO_INDUSTRY = N_("未填写行业代码，不能划型。请在企业档案中选择 GB/T 4754-2017 行业代码。")
NO_FIGURES = N_("尚未填写年度数据（从业人员、营业收入、资产总额），不能划型。")
MISSING = N_("缺少%(name)s（%(unit)s）：第%(number)s组“%(group)s”按%(indicators)s划型。")
NOT_FINITE = N_("%(name)s应为有限的数值。")
NEGATIVE = N_("%(name)s不能为负数。")
NOT_WHOLE = N_("从业人员应为整数。")


@dataclass(frozen=True)
class DataText:
    """A sentence from the data files, in Chinese and (when the data gives it) English."""

    zh: str
    en: str = ""

    def render(self) -> str:
        language = get_language() or ""
        return self.en if self.en and language.startswith("en") else self.zh

    def __str__(self) -> str:
        return self.render()

    def to_json(self) -> dict[str, str]:
        return {"zh-hans": self.zh, "en": self.en} if self.en else {"zh-hans": self.zh}


Reason = Message | DataText


def joined(items: Sequence[Message]) -> Message:
    """ "a，b，c" as one message (each pair joined the reader's way)."""
    result = items[0]
    for item in items[1:]:
        result = msg(PAIR, first=result, second=item)
    return result


def indicator_list(indicators: Sequence[str]) -> Message:
    """ "从业人员和营业收入": the indicators' names, joined."""
    result = as_message(INDICATOR_NAMES[indicators[0]])
    for indicator in indicators[1:]:
        result = msg(AND, first=result, second=as_message(INDICATOR_NAMES[indicator]))
    return result


def _figures(pattern: Mapping[str, str], items: Sequence[Sequence[Any]]) -> Message:
    return joined([msg(pattern[k], value=value, bound=bound) for k, value, bound in items])


def fact_message(fact: Sequence[Any]) -> Message:
    """The sentence a stored fact (see the module's docstring) says, as a message."""
    kind = fact[0]
    if kind == "group":
        _kind, code, name, number, group, indicators = fact
        return msg(
            HEADER, code=code, name=name, number=number, group=group, indicators=indicator_list(indicators)
        )
    if kind == "below":
        return msg(NOT_REACHED[fact[1]], missed=_figures(BELOW, fact[2]))
    if kind == "reached":
        return msg(REACHED[fact[1]], met=_figures(AT_LEAST, fact[2]))
    if kind == "micro":
        return msg(MICRO)
    if kind == "ignored":
        return msg(IGNORED, names=indicator_list(fact[1]))
    raise ValueError(f"unknown size-class fact {kind!r}")


def render_reason(stored: Any) -> str:
    """One stored reason in the active language: a fact, message JSON, a data sentence, or (stored
    before reasons were facts) plain Chinese text."""
    if isinstance(stored, list) and stored and isinstance(stored[0], str):
        return fact_message(stored).render()
    if isinstance(stored, Mapping):
        if "m" in stored:
            return Message.from_json(stored).render()
        if "zh-hans" in stored:
            return DataText(str(stored["zh-hans"]), str(stored.get("en", ""))).render()
    return str(stored)


def render_reasons(stored: Iterable[Any]) -> list[str]:
    return [render_reason(r) for r in stored or ()]


def stored(reason: Reason | str | list[Any]) -> Any:
    """A reason as it is kept in ``EnterpriseProfile.size_reasons``."""
    if isinstance(reason, (str, list)):
        return reason
    return reason.to_json()
