"""``{% load certification_names %}``: names from scheme data in the reader's language
(see :mod:`sme.certification.names`).

    {{ criterion|named }}                  the label (label_en in English)
    {{ material|named:"help" }}            another key (help_en in English)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from .. import names

register = template.Library()


@register.filter
def named(item: Mapping[str, Any] | None, key: str = "label") -> str:
    return names.local(item, key)
