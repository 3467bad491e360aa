"""Writes to an application before the city review: the draft, its report and yearly figures, its
materials, submission to the district (with the truthfulness declaration), withdrawal, and the
district's decision.

Every service checks role and scope, changes the status only through ``sme.core.workflow`` (the
table's guards hold the rules that read the database) and notifies after commit. None takes a request.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from sme.core import audit, clock
from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.files import store_upload
from sme.core.messages import msg
from sme.core.parsing import Problems
from sme.core.uploads import inspect_upload
from sme.core.versioning import update_versioned
from sme.core.workflow import apply_transition
from sme.notifications.services import notify
from sme.organizations.models import PROVIDER_KINDS, Organization, VerificationStatus
from sme.regions.selectors import covered_region_ids

from .. import figures
from ..models import Application, ApplicationRevision, ApplicationStatus, ApplicationYear, Material, Scheme
from ..permissions import manages, roles_for
from ..selectors import applications as selectors
from ..workflow import APPLICANT, APPLICATION
from . import people

DISTRICT_ACTIONS = ("district_return", "district_reject", "recommend")


@transaction.atomic
def application_create(*, actor: Any, organization: Organization, scheme: Scheme) -> Application:
    """Start a draft for ``organization`` under the current version of ``scheme``."""
    if not manages(actor, organization.pk):
        raise NotAllowed(_("只有机构负责人或管理员可以申报。"))
    if organization.kind not in PROVIDER_KINDS:
        raise InvalidInput(_("只有服务机构可以申报公共服务平台认定。"))
    if organization.verification_status != VerificationStatus.VERIFIED:
        raise InvalidInput(_("机构信息通过区县审核后才能申报。"))
    today = clock.today()
    if not scheme.is_current or not scheme.in_force(today):
        raise InvalidInput(_("该认定办法当前不接受申报。"))
    if scheme.region_id is not None and organization.district_id not in covered_region_ids(scheme.region_id):
        raise InvalidInput(
            _("本办法只适用于%(region)s的机构。") % {"region": scheme.region.name if scheme.region else ""}
        )
    existing = selectors.open_application(organization, scheme)
    if existing is not None:
        raise InvalidInput(
            _("本机构已有一份进行中的申请（%(reference)s），请在该申请中继续。")
            % {"reference": existing.reference}
        )
    application = Application.objects.create(
        scheme=scheme,
        organization=organization,
        district=organization.district,
        reference=f"tmp-{uuid.uuid4().hex[:24]}",
        platform_name=organization.name,
        legal_representative=organization.legal_representative,
        address=organization.address,
        contact_name=organization.contact_name,
        contact_phone=organization.contact_phone,
        created_by=actor,
    )
    application.reference = f"RD{today.year}{application.pk:06d}"
    Application.objects.filter(pk=application.pk).update(reference=application.reference)
    ApplicationYear.objects.bulk_create(
        [ApplicationYear(application=application, year=y) for y in figures.report_years(today)]
    )
    audit.record(
        "certification_application.create",
        actor=actor,
        obj=application,
        summary=msg("创建认定申请草稿：%(scheme)s", scheme=scheme.name),
    )
    return application


def _report_values(report: Mapping[str, Any], problems: Problems) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in selectors.REPORT_FIELDS:
        raw = report.get(name, "")
        if name == "established_on":
            values[name] = None
            if isinstance(raw, dt.date):
                values[name] = raw
            elif raw not in (None, ""):
                try:
                    values[name] = dt.date.fromisoformat(str(raw))
                except ValueError:
                    problems.add(name, _("日期格式应为 年-月-日。"))
            if values[name] and values[name] > clock.today():
                problems.add(name, _("成立日期不能晚于今天。"))
            continue
        text = str(raw or "").strip()
        limit = Application.field_max_length(name)
        if limit and len(text) > limit:
            problems.add(name, _("最多%(n)s个字。") % {"n": limit})
        values[name] = text
    return values


@transaction.atomic
def application_update(
    *,
    actor: Any,
    application: Application,
    expected_version: int,
    report: Mapping[str, Any],
    years: Sequence[Mapping[str, Any]],
    categories: Sequence[str],
    extra_figures: Mapping[str, Any] | None = None,
) -> Application:
    """Save the application report while it is editable (draft, or returned for more information).

    Refused with a conflict when someone saved it since ``expected_version`` was read.
    """
    if APPLICANT not in roles_for(actor, application):
        raise NotAllowed(_("只有申报单位的负责人或管理员可以修改申请。"))
    if not application.editable:
        raise Conflict(
            _("申请当前状态为「%(status)s」，不能修改。") % {"status": application.get_status_display()}
        )
    problems = Problems()
    values = _report_values(report, problems)
    known = {c["key"] for c in application.scheme.categories}
    chosen = list(dict.fromkeys(categories))
    unknown = [c for c in chosen if c not in known]
    if unknown:
        problems.add("categories", _("未知的服务功能类别：%(keys)s") % {"keys": "、".join(unknown)})
    cleaned_years = figures.clean_years(years, selectors.report_years_of(application), problems)
    extras = figures.clean_extra_figures(application.scheme, extra_figures or {}, problems)
    problems.raise_if_any(_("申请内容有误，请按提示修改。"))
    before = selectors.snapshot(application)
    update_versioned(
        application,
        expected_version=expected_version,
        conflict_message=_("申请刚刚已被他人修改，您的修改未保存。请刷新后重新填写。"),
        **values,
        categories=chosen,
        extra_figures=extras,
    )
    for row in cleaned_years:
        ApplicationYear.objects.filter(application=application, year=row["year"]).update(
            **{k: v for k, v in row.items() if k != "year"}
        )
    changes = audit.diff(before, selectors.snapshot(application))
    audit.record(
        "certification_application.update",
        actor=actor,
        obj=application,
        summary=msg("修改申请报告（%(n)s处）", n=len(changes)),
        changes=changes,
    )
    return application


@transaction.atomic
def material_upload(*, actor: Any, application: Application, slot: str, upload: File) -> Material:
    """Store one file for a material slot; an earlier file in the slot stays as a past version."""
    if APPLICANT not in roles_for(actor, application):
        raise NotAllowed(_("只有申报单位的负责人或管理员可以上传材料。"))
    if not application.editable:
        raise Conflict(
            _("申请当前状态为「%(status)s」，不能上传材料。") % {"status": application.get_status_display()}
        )
    spec = application.scheme.material(slot)
    if spec is None or spec.get("provided_by") != "upload":
        raise InvalidInput(_("该材料不需要上传文件。"), {"file": [_("未知的材料项。")]})
    info = inspect_upload(upload, field="file")
    # Lock the application row so two uploads to one slot get consecutive versions.
    Application.objects.select_for_update().filter(pk=application.pk).first()
    previous = Material.objects.filter(application=application, slot=slot).order_by("-version").first()
    Material.objects.filter(application=application, slot=slot, is_current=True).update(is_current=False)
    material = store_upload(
        Material,
        upload,
        prefix="certification",
        actor=actor,
        info=info,
        field="file",
        application=application,
        slot=slot,
        version=(previous.version + 1) if previous else 1,
    )
    audit.record(
        "certification_application.material_upload",
        actor=actor,
        obj=application,
        summary=msg(
            "上传材料「%(slot)s」第%(version)s版：%(label)s",
            slot=spec.get("label", slot),
            version=material.version,
            label=info.label,
        ),
        changes={"sha256": info.sha256, "size": info.size, "slot": slot},
    )
    return material


@transaction.atomic
def application_submit(
    *,
    actor: Any,
    application: Application,
    declaration_name: str,
    declaration_date: dt.date | None,
    declared: bool,
) -> Application:
    """Submit (or resubmit after a return) to the district, with the truthfulness declaration (第八条（十）).

    Refused with every problem listed (the table's guard, ``guards.ready_to_submit``) while the report
    is incomplete, a required material is missing, a numeric condition is not met, or the declaration
    is not made by the legal representative.
    """
    action = "resubmit" if application.status == ApplicationStatus.RETURNED else "submit"
    now = clock.now()
    name = (declaration_name or "").strip()
    # The guard judges the application as it would be submitted: with this declaration.
    application.declaration_name = name
    application.declaration_date = declaration_date
    application.declared_at = now if declared else None
    application = apply_transition(
        workflow=APPLICATION,
        obj=application,
        action=action,
        actor=actor,
        roles=roles_for(actor, application),
        updates={
            "submitted_at": now,
            "declaration_name": name,
            "declaration_date": declaration_date,
            "declared_at": now,
            "version": F("version") + 1,
        },
    )
    number = application.revisions.count() + 1
    ApplicationRevision.objects.create(
        application=application, number=number, snapshot=selectors.snapshot(application), created_by=actor
    )
    notify(
        people.district_officers(application),
        title=msg(
            "待审查：%(name)s 申报%(title)s", name=application.platform_name, title=application.scheme.title
        ),
        body=msg(
            "申报编号 %(reference)s，请在本年度推荐截止日期前完成审查。", reference=application.reference
        ),
        url=people.application_url(application),
        event="certification",
    )
    return application


@transaction.atomic
def application_withdraw(*, actor: Any, application: Application, note: str = "") -> Application:
    return apply_transition(
        workflow=APPLICATION,
        obj=application,
        action="withdraw",
        actor=actor,
        roles=roles_for(actor, application),
        note=note,
    )


@transaction.atomic
def application_district_decide(
    *, actor: Any, application: Application, action: str, note: str = ""
) -> tuple[Application, str]:
    """The district's decision: ``district_return``, ``district_reject`` or ``recommend``.

    Returns the application and a message for the officer. A recommendation after the scheme's
    deadline is accepted into next year's round, and the message says so.
    """
    if action not in DISTRICT_ACTIONS:
        raise InvalidInput(_("未知的操作：%(action)s") % {"action": action})
    now = clock.now()
    updates: dict[str, Any] = {"decision_note": note.strip(), "decided_at": now}
    message = str(APPLICATION.action_label(action))
    today = clock.today()
    scheme = application.scheme
    if action == "recommend":
        round_year = scheme.review_round(today)
        updates.update(round_year=round_year, recommended_at=now)
        if round_year > today.year:
            message = _(
                "已过本年度推荐截止日期（%(deadline)s），该申请已推荐并进入%(year)s年度评审轮次，市级将于%(year)s年开始评审。"
            ) % {"deadline": figures.long_date(scheme.district_deadline(today.year)), "year": round_year}
        else:
            message = _("已推荐至市级，纳入%(year)s年度评审（推荐截止日期 %(deadline)s）。") % {
                "year": round_year,
                "deadline": figures.long_date(scheme.district_deadline(round_year)),
            }
    application = apply_transition(
        workflow=APPLICATION,
        obj=application,
        action=action,
        actor=actor,
        roles=roles_for(actor, application),
        note=note,
        updates=updates,
    )
    notify(
        people.applicant_people(application),
        title=msg("您的认定申请：%(action)s", action=APPLICATION.action_label(action)),
        body=note,
        url=people.application_url(application),
        event="certification",
    )
    if action == "recommend":
        notify(
            people.deciders(application.scheme),
            title=msg("区县推荐：%(name)s", name=application.platform_name),
            body=msg(
                "%(year)s年度评审，申报编号 %(reference)s",
                year=application.round_year,
                reference=application.reference,
            ),
            url=people.application_url(application),
            event="certification",
        )
    return application, message
