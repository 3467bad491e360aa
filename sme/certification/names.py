"""Names that come from scheme data, in the reader's language.

A scheme's data carries both names where the name is ours to give: each criterion, category,
material and score-sheet item has its Chinese ``label`` and an English ``label_en`` (likewise
``article_en``, ``unit_en``, ``description_en``, ``help_en`` and a score sheet's ``note_en``). Official
names (the scheme's own name, the title it grants, a certificate number) stay in Chinese; in English
they are followed by their gloss (``Scheme.name_en``, ``Scheme.title_en``).

Only what is shown is chosen here; the rules (thresholds, units the check compares, keys) read the
Chinese data as before, so a result does not depend on the reader's language. Texts the code writes
itself go through gettext with parameters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import get_language


def english() -> bool:
    """Whether the reader reads English (the platform's second language)."""
    return (get_language() or "").lower().startswith("en")


def local(item: Mapping[str, Any] | None, key: str = "label") -> str:
    """``item[key]`` in the reader's language: ``item[key + "_en"]`` in English when the data has it,
    else the Chinese (never empty when the data has either)."""
    if not item:
        return ""
    if english():
        translated = item.get(f"{key}_en")
        if translated:
            return str(translated)
    value = item.get(key)
    return "" if value is None else str(value)


def official(chinese: str, gloss: str) -> str:
    """An official Chinese name as the reader sees it: itself, and in English followed by its gloss,
    "重庆市中小企业信息化公共服务平台 (Chongqing SME Informatization Public Service Platform)"."""
    if english() and gloss and gloss != chinese:
        return f"{chinese} ({gloss})"
    return chinese


def localized_items(items: Iterable[Mapping[str, Any]], *keys: str) -> list[dict[str, Any]]:
    """Copies of ``items`` whose ``keys`` (default ``label``) hold the reader's language; the Chinese
    stays under ``<key>_zh``. For pages and documents that show a list of data items."""
    wanted = keys or ("label",)
    out = []
    for item in items:
        copy = dict(item)
        for key in wanted:
            if key in item or f"{key}_en" in item:
                copy[f"{key}_zh"] = item.get(key, "")
                copy[key] = local(item, key)
        out.append(copy)
    return out
