"""Edits that must not overwrite someone else's: compare-and-set on a ``version`` column.

A form carries the version it was read at; :func:`update_versioned` writes only if the row still has
it, bumping the version (and ``updated_at``, when the model has one) in the same statement. When
someone saved first, nothing is written and the caller gets :class:`~.errors.Conflict` with a message
saying so, in Chinese, so the second person re-reads instead of overwriting.

    update_versioned(organization, expected_version=form_version, name="新名称")
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _

from . import clock
from .errors import Conflict

M = TypeVar("M", bound=models.Model)


def update_versioned(
    obj: M,
    *,
    expected_version: int | None = None,
    conflict_message: str | None = None,
    refresh: bool = True,
    where: dict[str, Any] | None = None,
    **values: Any,
) -> M:
    """Write ``values`` to ``obj`` if its version is still ``expected_version`` (``obj.version`` when
    not given) and matches ``where`` (further conditions, e.g. ``{"status": "submitted"}``), or raise
    :class:`Conflict` leaving the row as the other person saved it."""
    version = obj.version if expected_version is None else expected_version  # type: ignore[attr-defined]
    model = type(obj)
    columns = {**values, "version": F("version") + 1}
    if "updated_at" not in values and any(f.name == "updated_at" for f in model._meta.concrete_fields):
        columns["updated_at"] = clock.now()
    changed = model._default_manager.filter(pk=obj.pk, version=version, **(where or {})).update(**columns)
    if changed == 0:
        raise Conflict(
            conflict_message or _("在您编辑期间，这条记录已被他人修改。您的修改未保存，请刷新后重新填写。")
        )
    if refresh:
        obj.refresh_from_db()
    return obj
