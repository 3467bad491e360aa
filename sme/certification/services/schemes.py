"""Writes of schemes by platform administrators: a district-level copy (第十七条) and revisions, each
revision a new version so that every decision keeps pointing at the rules it applied."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sme.core import audit, clock
from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.messages import msg
from sme.core.parsing import Problems

from .. import eligibility
from ..models import Scheme, SchemeLevel
from ..selectors import schemes as selectors

SCHEME_COPIED_FIELDS = (
    "window_opens",
    "window_closes",
    "district_deadline_month",
    "district_deadline_day",
    "notice_workdays",
    "notice_day_one_is_publication_day",
    "validity_years",
    "rereview_years",
    "rereview_grace_days",
    "annual_summary_due",
    "criteria",
    "categories",
    "materials",
    "expert_form",
    "annual_form",
)


def _require_admin(actor: Any) -> None:
    if not getattr(actor, "is_platform_admin", False):
        raise NotAllowed(_("只有平台管理员可以维护认定办法。"))


def _scheme_problems(values: Mapping[str, Any]) -> Problems:
    problems = Problems()
    pattern = values.get("certificate_number_pattern")
    if pattern is not None:
        try:
            pattern.format(year=2026, seq=1, code="x")
        except (KeyError, IndexError, ValueError):
            problems.add("certificate_number_pattern", _("格式无效：只能使用 {year}、{seq}、{code}。"))
    for name in ("window_opens", "window_closes", "annual_summary_due"):
        md = values.get(name)
        if md is not None:
            try:
                dt.date.fromisoformat(f"2024-{md}")
            except ValueError:
                problems.add(name, _("请按“月-日”填写，如 02-28。"))
    for name in ("criteria", "categories", "materials"):
        rows = values.get(name)
        if rows is not None and (
            not isinstance(rows, list) or not all(isinstance(r, dict) and r.get("key") for r in rows)
        ):
            problems.add(name, _("应为列表，每项是带 key 的对象。"))
    if values.get("criteria") and "criteria" not in problems:
        try:
            eligibility.validate_criteria(values["criteria"])
        except eligibility.EligibilityInputError as error:
            for _name, message in error.problems:
                problems.add("criteria", message)
    until, since = values.get("effective_until"), values.get("effective_from")
    if until and since and until <= since:
        problems.add("effective_until", _("废止日期应晚于施行日期。"))
    return problems


@transaction.atomic
def scheme_copy_as_district(
    *,
    actor: Any,
    scheme: Scheme,
    code: str,
    name: str,
    title: str,
    district: Any,
    issuing_authority: str,
    document_number: str = "",
) -> Scheme:
    """A district-level scheme modelled on ``scheme`` (第十七条), version 1, in force from today."""
    _require_admin(actor)
    if selectors.code_taken(code):
        raise InvalidInput(_("编码 %(code)s 已被使用。") % {"code": code}, {"code": [_("编码已被使用。")]})
    copy = Scheme.objects.create(
        code=code,
        version=1,
        is_current=True,
        name=name,
        title=title,
        level=SchemeLevel.DISTRICT,
        issuing_authority=issuing_authority,
        document_number=document_number,
        region=district,
        effective_from=clock.today(),
        zone_grouping="",
        certificate_number_pattern=f"{code}-{{year}}-{{seq:03d}}",
        copied_from=scheme,
        created_by=actor,
        source_note=_("依据%(doc)s第十七条，参照「%(name)s」制定。")
        % {"doc": scheme.document_number, "name": scheme.name},
        **{f: getattr(scheme, f) for f in SCHEME_COPIED_FIELDS},
    )
    audit.record(
        "certification_scheme.copy",
        actor=actor,
        obj=copy,
        summary=msg("复制「%(source)s」为区县级办法「%(name)s」", source=str(scheme), name=name),
    )
    return copy


@transaction.atomic
def scheme_revise(*, actor: Any, scheme: Scheme, values: Mapping[str, Any]) -> Scheme:
    """Save an edit as a new version and make it current. Earlier versions stay as they were, so
    every decision keeps pointing at the rules it applied."""
    _require_admin(actor)
    _scheme_problems(values).raise_if_any(_("认定办法内容有误，请按提示修改。"))
    locked = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if not locked.is_current:
        raise Conflict(_("该版本已不是现行版本（他人刚刚修订过），请在最新版本上修改。"))
    newest = Scheme.objects.filter(code=scheme.code).order_by("-version").first()
    fields = {
        f.name: getattr(locked, f.name)
        for f in Scheme._meta.concrete_fields
        if f.name not in ("id", "created_at", "updated_at")
    }
    fields.update(values)
    fields.update(
        version=(newest.version if newest else locked.version) + 1,
        is_current=True,
        created_by=actor,
        copied_from=locked,
    )
    fields["region"] = fields.pop("region", None)
    fields.pop("region_id", None)
    fields.pop("created_by_id", None)
    fields.pop("copied_from_id", None)
    Scheme.objects.filter(code=scheme.code, is_current=True).update(is_current=False)
    revised = Scheme.objects.create(**fields)
    changes = audit.diff({k: getattr(locked, k) for k in values}, {k: getattr(revised, k) for k in values})
    audit.record(
        "certification_scheme.revise",
        actor=actor,
        obj=revised,
        summary=msg("修订为第%(v)s版（%(n)s处修改）", v=revised.version, n=len(changes)),
        changes=changes,
    )
    return revised
