"""Writes to certification applications: the application report, materials, reviews, notices, titles.

Every service checks role and scope, changes state only through ``sme.core.workflow.apply_transition``
(compare-and-set, transition log, audit row) or a compare-and-set update of its own, and notifies the
people concerned after commit. Nothing here takes a request.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sme.accounts.models import Role, User
from sme.core import audit
from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.uploads import inspect_upload, storage_path
from sme.core.workflow import apply_transition
from sme.notifications.services import notify
from sme.organizations.models import (
    PROVIDER_KINDS,
    Membership,
    Organization,
    VerificationStatus,
)
from sme.workdays.calendar import CalendarNotCovered, add_workdays, is_workday

from . import eligibility
from .models import (
    Application,
    ApplicationRevision,
    ApplicationStatus,
    ApplicationYear,
    Certification,
    ExpertConflict,
    ExpertReview,
    Material,
    Notice,
    Objection,
    ObjectionStatus,
    Scheme,
)
from .permissions import (
    deciders_of,
    district_officers_covering,
    manages,
    organization_people,
    roles_for,
)
from .workflow import APPLICATION, CITY_REVIEWER, SYSTEM

MIN_EXPERTS = 3
YEARS_REPORTED = 3
REPORT_FIELDS = (
    "platform_name",
    "established_on",
    "legal_representative",
    "address",
    "contact_name",
    "contact_phone",
    "service_area",
    "facilities",
    "management_system",
    "leadership",
    "description",
)
# What must be filled before submission (the 申请报告 of 第八条（一）).
REQUIRED_REPORT_FIELDS = (
    "platform_name",
    "established_on",
    "legal_representative",
    "address",
    "contact_name",
    "contact_phone",
    "service_area",
    "facilities",
    "management_system",
    "description",
)
OPEN_STATUSES = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.RETURNED,
    ApplicationStatus.RECOMMENDED,
    ApplicationStatus.CITY_REVIEW,
    ApplicationStatus.NOTICE,
)


def _field(model: type[models.Model], name: str) -> models.Field:  # type: ignore[type-arg]
    return cast(models.Field, model._meta.get_field(name))  # type: ignore[type-arg]


def _today() -> dt.date:
    return timezone.localdate()


def _application_url(application: Application) -> str:
    return reverse("certification:application", args=[application.pk])


def _district_officers(application: Application) -> list[User]:
    return district_officers_covering(application.district_id)


def _deciders(scheme: Scheme) -> list[User]:
    return deciders_of(scheme)


def _applicant_managers(application: Application) -> list[User]:
    """Everyone active in the applying organization hears how its application fares."""
    return organization_people(application.organization_id, managers_only=False)


# --- the application report -------------------------------------------------------------------


def report_years(today: dt.date) -> list[int]:
    """The three full years an application filed on ``today`` reports, oldest first."""
    return list(range(today.year - YEARS_REPORTED, today.year))


@transaction.atomic
def application_create(*, actor: Any, organization: Organization, scheme: Scheme) -> Application:
    """Start a draft for ``organization`` under the current version of ``scheme``."""
    if not manages(actor, organization.pk):
        raise NotAllowed(_("只有机构负责人或管理员可以申报。"))
    if organization.kind not in PROVIDER_KINDS:
        raise InvalidInput(_("只有服务机构可以申报公共服务平台认定。"))
    if organization.verification_status != VerificationStatus.VERIFIED:
        raise InvalidInput(_("机构信息通过区县审核后才能申报。"))
    today = _today()
    if not scheme.is_current or not scheme.in_force(today):
        raise InvalidInput(_("该认定办法当前不接受申报。"))
    if scheme.region_id is not None and organization.district_id not in jurisdiction_district_ids_of(
        scheme.region_id
    ):
        raise InvalidInput(
            _("本办法只适用于%(region)s的机构。") % {"region": scheme.region.name if scheme.region else ""}
        )
    existing = Application.objects.filter(
        organization=organization, scheme__code=scheme.code, status__in=OPEN_STATUSES
    ).first()
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
        [ApplicationYear(application=application, year=y) for y in report_years(today)]
    )
    audit.record(
        "certification_application.create",
        actor=actor,
        obj=application,
        summary=_("创建认定申请草稿：%(scheme)s") % {"scheme": scheme.name},
    )
    return application


def jurisdiction_district_ids_of(region_id: int) -> frozenset[int]:
    from sme.regions.selectors import covered_region_ids

    return covered_region_ids(region_id)


def _decimal(value: Any, field: str, problems: dict[str, list[str]], *, places: int = 2) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        problems.setdefault(field, []).append(_("请输入数字。"))
        return None
    if not number.is_finite() or number < 0:
        problems.setdefault(field, []).append(_("不能为负数。"))
        return None
    if number.as_tuple().exponent < -places:  # type: ignore[operator]
        problems.setdefault(field, []).append(_("最多保留%(n)s位小数。") % {"n": places})
        return None
    return number


def _integer(value: Any, field: str, problems: dict[str, list[str]]) -> int | None:
    number = _decimal(value, field, problems, places=0)
    return None if number is None else int(number)


def _clean_years(
    years: Sequence[Mapping[str, Any]], expected: list[int]
) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    problems: dict[str, list[str]] = {}
    cleaned: list[dict[str, Any]] = []
    by_year = {int(row["year"]): row for row in years if str(row.get("year", "")).isdigit()}
    for year in expected:
        row = by_year.get(year, {})
        prefix = f"years.{year}."
        values: dict[str, Any] = {"year": year}
        for name in ("smes_served", "staff_total", "staff_qualified"):
            values[name] = _integer(row.get(name), prefix + name, problems)
        for name in ("revenue_wan", "service_revenue_wan", "assets_wan"):
            values[name] = _decimal(row.get(name), prefix + name, problems)
        values["satisfaction_percent"] = _decimal(
            row.get("satisfaction_percent"), prefix + "satisfaction_percent", problems
        )
        sat = values["satisfaction_percent"]
        if sat is not None and sat > 100:
            problems.setdefault(prefix + "satisfaction_percent", []).append(_("满意度不能超过100%。"))
        total, qualified = values["staff_total"], values["staff_qualified"]
        if total is not None and qualified is not None and qualified > total:
            problems.setdefault(prefix + "staff_qualified", []).append(
                _("%(year)s年：大专及以上或中级及以上人数不能多于从业人员总数。") % {"year": year}
            )
        revenue, service = values["revenue_wan"], values["service_revenue_wan"]
        if revenue is not None and service is not None and service > revenue:
            problems.setdefault(prefix + "service_revenue_wan", []).append(
                _("%(year)s年：服务收入不能高于营业收入。") % {"year": year}
            )
        cleaned.append(values)
    return cleaned, problems


def snapshot(application: Application) -> dict[str, Any]:
    """The application report as plain values, for revisions and their diff."""
    data: dict[str, Any] = {f: _plain(getattr(application, f)) for f in REPORT_FIELDS}
    data["categories"] = list(application.categories)
    data["extra_figures"] = dict(application.extra_figures)
    for y in application.years.all():
        for name in ApplicationYear.FIGURE_FIELDS:
            data[f"years.{y.year}.{name}"] = _plain(getattr(y, name))
    for m in application.materials.filter(is_current=True):
        data[f"materials.{m.slot}"] = f"{m.label}（SHA-256 {m.sha256[:12]}…）"
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


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
    if "applicant" not in roles_for(actor, application):
        raise NotAllowed(_("只有申报单位的负责人或管理员可以修改申请。"))
    if not application.editable:
        raise Conflict(
            _("申请当前状态为「%(status)s」，不能修改。") % {"status": application.get_status_display()}
        )
    problems: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for name in REPORT_FIELDS:
        raw = report.get(name, "")
        if name == "established_on":
            if raw in (None, ""):
                values[name] = None
            elif isinstance(raw, dt.date):
                values[name] = raw
            else:
                try:
                    values[name] = dt.date.fromisoformat(str(raw))
                except ValueError:
                    problems.setdefault(name, []).append(_("日期格式应为 年-月-日。"))
            if values.get(name) and values[name] > _today():
                problems.setdefault(name, []).append(_("成立日期不能晚于今天。"))
            continue
        text = str(raw or "").strip()
        limit = _field(Application, name).max_length
        if limit and len(text) > limit:
            problems.setdefault(name, []).append(_("最多%(n)s个字。") % {"n": limit})
        values[name] = text
    known = {c["key"] for c in application.scheme.categories}
    chosen = list(dict.fromkeys(categories))
    unknown = [c for c in chosen if c not in known]
    if unknown:
        problems.setdefault("categories", []).append(
            _("未知的服务功能类别：%(keys)s") % {"keys": "、".join(unknown)}
        )
    expected_years = sorted(application.years.values_list("year", flat=True))
    cleaned_years, year_problems = _clean_years(years, expected_years)
    problems.update(year_problems)
    extras: dict[str, Any] = {}
    for key, raw in (extra_figures or {}).items():
        number = _decimal(raw, f"extra.{key}", problems, places=4)
        if number is not None:
            extras[key] = str(number)
    if problems:
        raise InvalidInput(_("申请内容有误，请按提示修改。"), problems)
    before = snapshot(application)
    changed = Application.objects.filter(pk=application.pk, version=expected_version).update(
        **values,
        categories=chosen,
        extra_figures=extras,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if not changed:
        raise Conflict(_("申请刚刚已被他人修改，您的修改未保存。请刷新后重新填写。"))
    for row in cleaned_years:
        ApplicationYear.objects.filter(application=application, year=row["year"]).update(
            **{k: v for k, v in row.items() if k != "year"}
        )
    application.refresh_from_db()
    changes = audit.diff(before, snapshot(application))
    audit.record(
        "certification_application.update",
        actor=actor,
        obj=application,
        summary=_("修改申请报告（%(n)s处）") % {"n": len(changes)},
        changes=changes,
    )
    return application


@transaction.atomic
def material_upload(*, actor: Any, application: Application, slot: str, upload: File) -> Material:
    """Store one file for a material slot; an earlier file in the slot stays as a past version."""
    if "applicant" not in roles_for(actor, application):
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
    name = default_storage.save(storage_path("certification", info), upload)
    Material.objects.filter(application=application, slot=slot, is_current=True).update(is_current=False)
    material = Material.objects.create(
        application=application,
        slot=slot,
        file=name,
        label=info.label,
        kind=info.kind,
        content_type=info.content_type,
        size=info.size,
        sha256=info.sha256,
        version=(previous.version + 1) if previous else 1,
        uploaded_by=actor,
    )
    audit.record(
        "certification_application.material_upload",
        actor=actor,
        obj=application,
        summary=_("上传材料「%(slot)s」第%(version)s版：%(label)s")
        % {"slot": spec.get("label", slot), "version": material.version, "label": info.label},
        changes={"sha256": info.sha256, "size": info.size, "slot": slot},
    )
    return material


# --- eligibility from the report --------------------------------------------------------------


def figures_from_values(
    established_on: dt.date | None, years: Sequence[ApplicationYear], extra: Mapping[str, Any], on: dt.date
) -> dict[str, Any]:
    """The eligibility figures a report gives, named as the eligibility API names them.

    Years operating count from the founding date to ``on``; the other figures are the latest
    reported year's, with SMEs served for every reported year, oldest first. Figures the report
    leaves empty are left out, so the check names them as missing.
    """
    ordered = sorted(years, key=lambda y: y.year)
    figures: dict[str, Any] = {}
    if established_on:
        days = (on - established_on).days
        figures["years_operating"] = (Decimal(days) / Decimal("365.25")).quantize(
            Decimal("0.01"), rounding="ROUND_FLOOR"
        )
    if ordered:
        latest = ordered[-1]
        if latest.assets_wan is not None:
            figures["total_assets_wan"] = latest.assets_wan
        if latest.staff_total is not None:
            figures["staff"] = latest.staff_total
            if latest.staff_qualified is not None:
                share = (
                    Decimal(latest.staff_qualified) / Decimal(latest.staff_total)
                    if latest.staff_total
                    else Decimal(0)
                )
                figures["qualified_staff_share"] = share.quantize(Decimal("0.0001"), rounding="ROUND_FLOOR")
        if all(y.smes_served is not None for y in ordered):
            figures["smes_served_by_year"] = [y.smes_served for y in ordered]
        if latest.satisfaction_percent is not None:
            figures["satisfaction"] = latest.satisfaction_percent / Decimal(100)
    for key, value in extra.items():
        try:
            figures.setdefault(key, Decimal(str(value)))
        except InvalidOperation:  # left out: the check then names it as missing
            continue
    return figures


def figures_from_application(application: Application, on: dt.date | None = None) -> dict[str, Any]:
    """The eligibility figures of a saved application, as of ``on`` (submission, or today)."""
    on = on or (application.submitted_at.date() if application.submitted_at else _today())
    return figures_from_values(
        application.established_on, list(application.years.all()), application.extra_figures, on
    )


def eligibility_of(application: Application, on: dt.date | None = None) -> eligibility.EligibilityResult:
    """The scheme's check on the report's figures; missing figures raise EligibilityInputError."""
    raw = figures_from_application(application, on)
    figures = eligibility.parse_figures(application.scheme.criteria, _json_numbers(raw))
    return eligibility.evaluate(application.scheme, district=application.district, figures=figures)


def _json_numbers(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Decimals as the JSON numbers the eligibility parser takes (it compares with Decimal again)."""

    def convert(value: Any) -> Any:
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral() else float(value)
        if isinstance(value, list):
            return [convert(v) for v in value]
        return value

    return {k: convert(v) for k, v in raw.items()}


# --- submission and decisions ------------------------------------------------------------------


def _window_problem(scheme: Scheme, today: dt.date) -> str | None:
    md = today.strftime("%m-%d")
    opens, closes = scheme.window_opens, scheme.window_closes
    inside = opens <= md <= closes if opens <= closes else (md >= opens or md <= closes)
    if inside:
        return None
    return _("本办法的申报时间为每年%(opens)s至%(closes)s，当前不在申报期内。") % {
        "opens": opens.replace("-", "月") + "日",
        "closes": closes.replace("-", "月") + "日",
    }


def submission_problems(application: Application, today: dt.date | None = None) -> dict[str, list[str]]:
    """Everything that stops the application from being submitted, by field (empty: ready)."""
    today = today or _today()
    problems: dict[str, list[str]] = {}
    window = _window_problem(application.scheme, today)
    if window:
        problems.setdefault("__all__", []).append(window)
    for name in REQUIRED_REPORT_FIELDS:
        if getattr(application, name) in (None, ""):
            label = str(_field(Application, name).verbose_name)
            problems.setdefault(name, []).append(_("请填写「%(field)s」。") % {"field": label})
    if not application.categories:
        problems.setdefault("categories", []).append(_("请至少选择一个服务功能类别。"))
    for y in application.years.all():
        for name in ApplicationYear.FIGURE_FIELDS:
            if getattr(y, name) is None:
                label = str(_field(ApplicationYear, name).verbose_name)
                problems.setdefault(f"years.{y.year}.{name}", []).append(
                    _("请填写%(year)s年的「%(field)s」。") % {"year": y.year, "field": label}
                )
    current = set(application.materials.filter(is_current=True).values_list("slot", flat=True))
    for spec in application.scheme.materials:
        if spec.get("provided_by") == "upload" and spec.get("required") and spec["key"] not in current:
            problems.setdefault(f"materials.{spec['key']}", []).append(
                _("请上传「%(label)s」。") % {"label": spec["label"]}
            )
    try:
        result = eligibility_of(application, today)
    except eligibility.EligibilityInputError as error:
        for name, message in error.problems:
            problems.setdefault(f"figures.{name}", []).append(message)
    else:
        for c in result.criteria:
            if c.met is False:
                problems.setdefault(f"criteria.{c.key}", []).append(
                    _("不符合条件：%(label)s（申报数据 %(value)s，要求 %(threshold)s）")
                    % {"label": c.label, "value": _shown(c.value), "threshold": _shown(c.threshold)}
                )
    return problems


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(_shown(v) for v in value)
    if isinstance(value, Decimal | float):
        return format(Decimal(str(value)).normalize(), "f")
    return str(value)


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

    Refused with every problem listed while the report is incomplete, a required material is
    missing, a numeric condition is not met, or the declaration is not made by the legal representative.
    """
    roles = roles_for(actor, application)
    action = "resubmit" if application.status == ApplicationStatus.RETURNED else "submit"
    APPLICATION.check(action, application.status, roles)
    today = _today()
    problems = submission_problems(application, today)
    name = (declaration_name or "").strip()
    if not declared:
        problems.setdefault("declared", []).append(_("请阅读并勾选申报材料真实性声明。"))
    if not name:
        problems.setdefault("declaration_name", []).append(_("请填写声明人姓名。"))
    elif name != application.legal_representative.strip():
        problems.setdefault("declaration_name", []).append(
            _("声明人应为法定代表人（%(name)s）。") % {"name": application.legal_representative}
        )
    if declaration_date is None:
        problems.setdefault("declaration_date", []).append(_("请填写声明日期。"))
    elif declaration_date > today:
        problems.setdefault("declaration_date", []).append(_("声明日期不能晚于今天。"))
    if problems:
        count = sum(len(v) for v in problems.values())
        raise InvalidInput(_("还有%(n)s项问题，暂不能提交：") % {"n": count}, problems)
    now = timezone.now()
    application = apply_transition(  # type: ignore[assignment]
        workflow=APPLICATION,
        obj=application,
        action=action,
        actor=actor,
        roles=roles,
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
        application=application, number=number, snapshot=snapshot(application), created_by=actor
    )
    notify(
        _district_officers(application),
        title=_("待审查：%(name)s 申报%(title)s")
        % {"name": application.platform_name, "title": application.scheme.title},
        body=_("申报编号 %(reference)s，请在本年度推荐截止日期前完成审查。")
        % {"reference": application.reference},
        url=_application_url(application),
    )
    return application


@transaction.atomic
def application_withdraw(*, actor: Any, application: Application, note: str = "") -> Application:
    return apply_transition(  # type: ignore[return-value]
        workflow=APPLICATION,
        obj=application,
        action="withdraw",
        actor=actor,
        roles=roles_for(actor, application),
        note=note,
    )


def round_for_recommendation(scheme: Scheme, today: dt.date) -> int:
    """The review round a recommendation made on ``today`` joins: this year's until the district
    deadline (第九条：每年2月底前), next year's after it."""
    return today.year if today <= scheme.district_deadline(today.year) else today.year + 1


@transaction.atomic
def application_district_decide(
    *, actor: Any, application: Application, action: str, note: str = ""
) -> tuple[Application, str]:
    """The district's decision: ``district_return``, ``district_reject`` or ``recommend``.

    Returns the application and a message for the officer. A recommendation after the scheme's
    deadline is accepted into next year's round, and the message says so.
    """
    if action not in ("district_return", "district_reject", "recommend"):
        raise InvalidInput(_("未知的操作：%(action)s") % {"action": action})
    roles = roles_for(actor, application)
    updates: dict[str, Any] = {"decision_note": note.strip(), "decided_at": timezone.now()}
    message = str(APPLICATION.action_label(action))
    today = _today()
    if action == "recommend":
        round_year = round_for_recommendation(application.scheme, today)
        updates.update(round_year=round_year, recommended_at=timezone.now())
        if round_year > today.year:
            message = _(
                "已过本年度推荐截止日期（%(deadline)s），该申请已推荐并进入%(year)s年度评审轮次，市级将于%(year)s年开始评审。"
            ) % {"deadline": _date(application.scheme.district_deadline(today.year)), "year": round_year}
        else:
            message = _("已推荐至市级，纳入%(year)s年度评审（推荐截止日期 %(deadline)s）。") % {
                "year": round_year,
                "deadline": _date(application.scheme.district_deadline(round_year)),
            }
    application = apply_transition(  # type: ignore[assignment]
        workflow=APPLICATION,
        obj=application,
        action=action,
        actor=actor,
        roles=roles,
        note=note,
        updates=updates,
    )
    label = APPLICATION.action_label(action)
    notify(
        _applicant_managers(application),
        title=_("您的认定申请：%(action)s") % {"action": label},
        body=note,
        url=_application_url(application),
    )
    if action == "recommend":
        notify(
            _deciders(application.scheme),
            title=_("区县推荐：%(name)s") % {"name": application.platform_name},
            body=_("%(year)s年度评审，申报编号 %(reference)s")
            % {"year": application.round_year, "reference": application.reference},
            url=_application_url(application),
        )
    return application, message


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def expert_problem(expert: Any, application: Application) -> str | None:
    """Why ``expert`` may not review ``application`` (None: they may)."""
    if getattr(expert, "role", None) != Role.EXPERT or not expert.is_active:
        return _("%(name)s 不是在册的评审专家。") % {"name": expert.display_name}
    if Membership.objects.filter(user=expert, organization_id=application.organization_id).exists():
        return _("%(name)s 是申报单位的成员，应当回避。") % {"name": expert.display_name}
    conflict = ExpertConflict.objects.filter(
        expert=expert, organization_id=application.organization_id
    ).first()
    if conflict is not None:
        return _("%(name)s 已申报与申报单位存在利益关系（%(reason)s），应当回避。") % {
            "name": expert.display_name,
            "reason": conflict.reason,
        }
    return None


@transaction.atomic
def application_assign_experts(
    *, actor: Any, application: Application, experts: Iterable[Any]
) -> Application:
    """Assign experts for the city review. At least three in all; none with a conflict of interest.

    The first assignment moves a recommended application into city review, and only once its review
    round has begun (a recommendation after the deadline waits for next year's round).
    """
    roles = roles_for(actor, application)
    if CITY_REVIEWER not in roles:
        raise NotAllowed(_("只有认定机关可以指派评审专家。"))
    if application.status not in (ApplicationStatus.RECOMMENDED, ApplicationStatus.CITY_REVIEW):
        raise Conflict(
            _("申请当前状态为「%(status)s」，不能指派专家。") % {"status": application.get_status_display()}
        )
    today = _today()
    if application.round_year and application.round_year > today.year:
        raise NotAllowed(
            _("该申请属于%(year)s年度评审轮次，%(year)s年1月1日起方可安排评审。")
            % {"year": application.round_year}
        )
    chosen = list({e.pk: e for e in experts}.values())
    already = set(application.expert_reviews.values_list("expert_id", flat=True))
    new = [e for e in chosen if e.pk not in already]
    problems = [p for p in (expert_problem(e, application) for e in new) if p]
    if problems:
        raise InvalidInput(problems[0], {"experts": problems})
    if len(already) + len(new) < MIN_EXPERTS:
        message = _("至少需要指派%(n)s名评审专家（已指派%(m)s名）。") % {
            "n": MIN_EXPERTS,
            "m": len(already) + len(new),
        }
        raise InvalidInput(message, {"experts": [message]})
    if not new:
        raise InvalidInput(_("请选择新的评审专家。"), {"experts": [_("所选专家均已指派。")]})
    ExpertReview.objects.bulk_create(
        [
            ExpertReview(application=application, expert=e, assigned_by=actor, scheme=application.scheme)
            for e in new
        ]
    )
    names = "、".join(e.display_name for e in new)
    if application.status == ApplicationStatus.RECOMMENDED:
        application = apply_transition(  # type: ignore[assignment]
            workflow=APPLICATION,
            obj=application,
            action="assign_experts",
            actor=actor,
            roles=roles,
            note=_("指派专家：%(names)s") % {"names": names},
        )
    else:
        audit.record(
            "certification_application.assign_experts",
            actor=actor,
            obj=application,
            summary=_("增派专家：%(names)s") % {"names": names},
        )
    notify(
        new,
        title=_("评审任务：%(name)s") % {"name": application.platform_name},
        body=_("请按评审表打分。申报编号 %(reference)s") % {"reference": application.reference},
        url=reverse("certification:expert-review", args=[application.pk]),
    )
    return application


@transaction.atomic
def expert_conflict_declare(*, actor: Any, organization: Organization, reason: str) -> ExpertConflict:
    """An expert declares a conflict of interest with an organization; they are never assigned to it."""
    if getattr(actor, "role", None) != Role.EXPERT:
        raise NotAllowed(_("只有评审专家可以申报回避。"))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("请说明回避原因。"), {"reason": [_("必填")]})
    conflict, created = ExpertConflict.objects.get_or_create(
        expert=actor, organization=organization, defaults={"reason": reason[:200]}
    )
    if created:
        audit.record(
            "certification_expert.conflict_declare",
            actor=actor,
            obj=organization,
            summary=_("申报回避：%(reason)s") % {"reason": reason[:200]},
        )
    return conflict


def scores_complete(application: Application) -> bool:
    reviews = list(application.expert_reviews.all())
    return len(reviews) >= MIN_EXPERTS and all(r.submitted_at for r in reviews)


@transaction.atomic
def expert_review_submit(
    *, actor: Any, application: Application, scores: Mapping[str, Any], comment: str = ""
) -> ExpertReview:
    """An assigned expert scores on the scheme's form; a submitted score is final."""
    review = (
        ExpertReview.objects.select_for_update().filter(application=application, expert=actor).first()
        if getattr(actor, "is_authenticated", False)
        else None
    )
    if review is None:
        raise NotAllowed(_("您不是该申请的评审专家。"))
    if application.status != ApplicationStatus.CITY_REVIEW:
        raise Conflict(_("申请当前不在专家评审阶段。"))
    if review.submitted_at is not None:
        raise Conflict(_("您已提交评分，不能再次修改。"))
    form = review.scheme.expert_form or {}
    problems: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    total = Decimal(0)
    for item in form.get("items", []):
        key, maximum = item["key"], Decimal(str(item["max_score"]))
        value = _decimal(scores.get(key), f"scores.{key}", problems, places=1)
        if value is None:
            problems.setdefault(f"scores.{key}", []).append(
                _("请为「%(item)s」打分。") % {"item": item["label"]}
            )
            continue
        if value > maximum:
            problems.setdefault(f"scores.{key}", []).append(
                _("「%(item)s」最高%(max)s分。") % {"item": item["label"], "max": _shown(maximum)}
            )
            continue
        cleaned[key] = str(value)
        total += value
    if problems:
        raise InvalidInput(_("评分有误，请按提示修改。"), problems)
    ExpertReview.objects.filter(pk=review.pk).update(
        scores=cleaned, total=total, comment=(comment or "").strip(), submitted_at=timezone.now()
    )
    review.refresh_from_db()
    audit.record(
        "certification_application.expert_score",
        actor=actor,
        obj=application,
        summary=_("专家提交评分：总分 %(total)s") % {"total": _shown(total)},
        changes={"scores": cleaned},
    )
    if scores_complete(application):
        notify(
            _deciders(application.scheme),
            title=_("专家评分已全部提交：%(name)s") % {"name": application.platform_name},
            url=_application_url(application),
        )
    return review


def notice_dates(scheme: Scheme, published_on: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of a notice published on ``published_on``, on the working-day calendar.

    With ``notice_day_one_is_publication_day`` a notice published on a working day counts that day as
    day one; otherwise (or when published on a rest day) day one is the next working day.
    Raises :class:`CalendarNotCovered` for a year the calendar does not cover.
    """
    n = scheme.notice_workdays
    if scheme.notice_day_one_is_publication_day and is_workday(published_on):
        return published_on, add_workdays(published_on, n - 1)
    return add_workdays(published_on, 1), add_workdays(published_on, n)


@transaction.atomic
def application_city_decide(
    *, actor: Any, application: Application, action: str, note: str = "", published_on: dt.date | None = None
) -> Application:
    """The deciding authority's step: ``approve_notice`` (publishes the notice), ``city_return`` or
    ``city_reject``. Approval needs every assigned expert's score (at least three)."""
    if action not in ("approve_notice", "city_return", "city_reject"):
        raise InvalidInput(_("未知的操作：%(action)s") % {"action": action})
    roles = roles_for(actor, application)
    updates: dict[str, Any] = {"decision_note": note.strip(), "decided_at": timezone.now()}
    dates: tuple[dt.date, dt.date] | None = None
    published_on = published_on or _today()
    if action == "approve_notice":
        APPLICATION.check(action, application.status, roles)
        if not scores_complete(application):
            raise NotAllowed(_("需至少%(n)s名专家全部提交评分后才能发布公示。") % {"n": MIN_EXPERTS})
        try:
            dates = notice_dates(application.scheme, published_on)
        except CalendarNotCovered as error:
            raise InvalidInput(str(error)) from error
    application = apply_transition(  # type: ignore[assignment]
        workflow=APPLICATION,
        obj=application,
        action=action,
        actor=actor,
        roles=roles,
        note=note,
        updates=updates,
    )
    if dates is not None:
        notice = Notice.objects.create(
            application=application,
            scheme=application.scheme,
            published_on=published_on,
            starts_on=dates[0],
            ends_on=dates[1],
            workdays=application.scheme.notice_workdays,
            published_by=actor,
        )
        audit.record(
            "certification_notice.publish",
            actor=actor,
            obj=notice,
            summary=_("公示 %(start)s 至 %(end)s")
            % {"start": dates[0].isoformat(), "end": dates[1].isoformat()},
        )
    notify(
        _applicant_managers(application),
        title=_("您的认定申请：%(action)s") % {"action": APPLICATION.action_label(action)},
        body=note,
        url=_application_url(application),
    )
    return application


# --- public notice and objections --------------------------------------------------------------


@transaction.atomic
def objection_file(
    *, notice: Notice, name: str, contact: str, text: str, actor: Any = None, client_ip: str | None = None
) -> Objection:
    """Anyone files an objection while the notice is open; the deciding authority is told."""
    today = _today()
    problems: dict[str, list[str]] = {}
    name, contact, text = (name or "").strip(), (contact or "").strip(), (text or "").strip()
    if not name:
        problems["name"] = [_("请填写异议人姓名或单位名称。")]
    elif len(name) > 50:
        problems["name"] = [_("最多50个字。")]
    if not contact:
        problems["contact"] = [_("请留下联系方式（电话或邮箱），以便核实和答复。")]
    elif len(contact) > 100:
        problems["contact"] = [_("最多100个字。")]
    if len(text) < 10:
        problems["text"] = [_("请具体说明异议内容（至少10个字）。")]
    elif len(text) > 5000:
        problems["text"] = [_("最多5000个字。")]
    if problems:
        raise InvalidInput(_("异议内容有误，请按提示修改。"), problems)
    notice = Notice.objects.select_related("application", "scheme").get(pk=notice.pk)
    if not notice.open_on(today):
        if today < notice.starts_on:
            raise InvalidInput(_("公示期自%(day)s开始，届时可提出异议。") % {"day": _date(notice.starts_on)})
        raise InvalidInput(_("公示期已于%(day)s结束，不再受理异议。") % {"day": _date(notice.ends_on)})
    objection = Objection.objects.create(
        notice=notice,
        name=name,
        contact=contact,
        text=text,
        filed_by=actor if getattr(actor, "is_authenticated", False) else None,
        client_ip=client_ip,
    )
    audit.record(
        "certification_notice.objection_file",
        actor=actor,
        obj=notice,
        summary=_("收到异议（%(name)s）") % {"name": name},
    )
    notify(
        _deciders(notice.scheme),
        title=_("公示异议：%(name)s") % {"name": notice.application.platform_name},
        body=text[:200],
        url=_application_url(notice.application),
    )
    return objection


@transaction.atomic
def objection_resolve(*, actor: Any, objection: Objection, uphold: bool, resolution: str) -> Objection:
    """The deciding authority resolves an objection. Upheld: the notice ends and the application goes
    back to city review. Dismissed: with a reason, the notice runs on."""
    notice = objection.notice
    application = notice.application
    roles = roles_for(actor, application)
    if CITY_REVIEWER not in roles:
        raise NotAllowed(_("只有认定机关可以处理异议。"))
    resolution = (resolution or "").strip()
    if not resolution:
        raise InvalidInput(_("请填写处理意见。"), {"resolution": [_("必填")]})
    status = ObjectionStatus.UPHELD if uphold else ObjectionStatus.DISMISSED
    changed = Objection.objects.filter(pk=objection.pk, status=ObjectionStatus.OPEN).update(
        status=status, resolution=resolution, resolved_at=timezone.now(), resolved_by=actor
    )
    if not changed:
        raise Conflict(_("该异议刚刚已被处理，您的操作未生效。请刷新页面查看最新状态。"))
    objection.refresh_from_db()
    audit.record(
        "certification_notice.objection_resolve",
        actor=actor,
        obj=notice,
        summary=_("异议处理：%(status)s — %(resolution)s")
        % {"status": objection.get_status_display(), "resolution": resolution},
    )
    if uphold:
        apply_transition(
            workflow=APPLICATION,
            obj=application,
            action="uphold_objection",
            actor=actor,
            roles=roles,
            note=resolution,
        )
        Notice.objects.filter(pk=notice.pk, closed_at__isnull=True).update(
            closed_at=timezone.now(), outcome="withdrawn"
        )
        notify(
            _applicant_managers(application),
            title=_("公示期间的异议经核实成立，申请退回市级评审"),
            body=resolution,
            url=_application_url(application),
        )
    return objection


# --- the title --------------------------------------------------------------------------------


def certificate_number(scheme: Scheme, year: int) -> str:
    """The next number from the scheme's pattern (``{year}``, ``{seq}``, ``{code}``)."""
    issued = Certification.objects.filter(scheme__code=scheme.code, granted_on__year=year).count()
    return scheme.certificate_number_pattern.format(year=year, seq=issued + 1, code=scheme.code)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def application_grant(*, actor: Any, application: Application, today: dt.date | None = None) -> Certification:
    """Grant the title when the notice has ended with no open or upheld objection (第十一条).

    ``actor`` None means the scheduled job. The register entry is created in the same transaction.
    """
    today = today or _today()
    notice = application.notices.filter(closed_at__isnull=True).order_by("-published_on", "-id").first()
    if notice is None:
        raise Conflict(_("该申请没有进行中的公示。"))
    if today <= notice.ends_on:
        raise NotAllowed(_("公示期至%(day)s结束，期满后方可授予称号。") % {"day": _date(notice.ends_on)})
    if notice.objections.filter(status__in=[ObjectionStatus.OPEN, ObjectionStatus.UPHELD]).exists():
        raise NotAllowed(_("公示期间的异议尚未处理完毕，不能授予称号。"))
    roles = {SYSTEM} if actor is None else roles_for(actor, application)
    zone = ""
    try:
        zone = eligibility_of(application).zone or ""
    except eligibility.EligibilityInputError:
        zone = ""
    scheme = application.scheme
    application = apply_transition(  # type: ignore[assignment]
        workflow=APPLICATION,
        obj=application,
        action="grant",
        actor=actor,
        roles=roles,
        updates={"decided_at": timezone.now()},
    )
    # One grant at a time per scheme, so numbers run on without gaps or clashes.
    Scheme.objects.select_for_update().filter(code=scheme.code).first()
    certification = Certification.objects.create(
        application=application,
        organization=application.organization,
        scheme=scheme,
        district=application.district,
        number=certificate_number(scheme, today.year),
        title=scheme.title,
        platform_name=application.platform_name,
        categories=list(application.categories),
        category_keys="," + ",".join(application.categories) + ",",
        zone_key=zone,
        granted_on=today,
        valid_until=_add_years(today, scheme.validity_years) - dt.timedelta(days=1),
    )
    Notice.objects.filter(pk=notice.pk).update(closed_at=timezone.now(), outcome="granted")
    audit.record(
        "certification_title.grant",
        actor=actor,
        obj=certification,
        summary=_("授予「%(title)s」称号，证书编号 %(number)s")
        % {"title": certification.title, "number": certification.number},
    )
    notify(
        _applicant_managers(application) + _district_officers(application),
        title=_("已授予「%(title)s」称号") % {"title": certification.title},
        body=_("证书编号 %(number)s，有效期至 %(until)s。")
        % {"number": certification.number, "until": _date(certification.valid_until)},
        url=reverse("certification:platform", args=[certification.number]),
    )
    return certification


def close_due_notices(today: dt.date | None = None) -> dict[str, int]:
    """Grant the titles whose notice ended before ``today`` with no objection left open or upheld.

    Idempotent: run by the daily job; a notice with an open objection waits for the city's decision.
    """
    today = today or _today()
    counts = {"granted": 0, "waiting": 0}
    due = Notice.objects.filter(
        closed_at__isnull=True, ends_on__lt=today, application__status=ApplicationStatus.NOTICE
    ).select_related("application", "application__scheme")
    for notice in due:
        if notice.objections.filter(
            Q(status=ObjectionStatus.OPEN) | Q(status=ObjectionStatus.UPHELD)
        ).exists():
            counts["waiting"] += 1
            continue
        try:
            application_grant(actor=None, application=notice.application, today=today)
        except (Conflict, NotAllowed):
            counts["waiting"] += 1
            continue
        counts["granted"] += 1
    return counts


# --- schemes (第十七条: district-level schemes on the same model) --------------------------------

SCHEME_COPIED_FIELDS = (
    "window_opens",
    "window_closes",
    "district_deadline_month",
    "district_deadline_day",
    "notice_workdays",
    "notice_day_one_is_publication_day",
    "validity_years",
    "rereview_years",
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


def _scheme_problems(values: Mapping[str, Any]) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    pattern = values.get("certificate_number_pattern")
    if pattern is not None:
        try:
            pattern.format(year=2026, seq=1, code="x")
        except (KeyError, IndexError, ValueError):
            problems["certificate_number_pattern"] = [_("格式无效：只能使用 {year}、{seq}、{code}。")]
    for name in ("window_opens", "window_closes", "annual_summary_due"):
        md = values.get(name)
        if md is not None:
            try:
                dt.date.fromisoformat(f"2024-{md}")
            except ValueError:
                problems[name] = [_("请按“月-日”填写，如 02-28。")]
    for name in ("criteria", "categories", "materials"):
        rows = values.get(name)
        if rows is not None and (
            not isinstance(rows, list) or not all(isinstance(r, dict) and r.get("key") for r in rows)
        ):
            problems[name] = [_("应为列表，每项是带 key 的对象。")]
    if values.get("criteria") and not problems.get("criteria"):
        try:
            eligibility.validate_criteria(values["criteria"])
        except eligibility.EligibilityInputError as error:
            problems["criteria"] = [message for _name, message in error.problems]
    until, since = values.get("effective_until"), values.get("effective_from")
    if until and since and until <= since:
        problems["effective_until"] = [_("废止日期应晚于施行日期。")]
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
    if Scheme.objects.filter(code=code).exists():
        raise InvalidInput(_("编码 %(code)s 已被使用。") % {"code": code}, {"code": [_("编码已被使用。")]})
    copy = Scheme.objects.create(
        code=code,
        version=1,
        is_current=True,
        name=name,
        title=title,
        level="district",
        issuing_authority=issuing_authority,
        document_number=document_number,
        region=district,
        effective_from=_today(),
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
        summary=_("复制「%(source)s」为区县级办法「%(name)s」") % {"source": str(scheme), "name": name},
    )
    return copy


@transaction.atomic
def scheme_revise(*, actor: Any, scheme: Scheme, values: Mapping[str, Any]) -> Scheme:
    """Save an edit as a new version and make it current. Earlier versions stay as they were, so
    every decision keeps pointing at the rules it applied."""
    _require_admin(actor)
    problems = _scheme_problems(values)
    if problems:
        raise InvalidInput(_("认定办法内容有误，请按提示修改。"), problems)
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
        summary=_("修订为第%(v)s版（%(n)s处修改）") % {"v": revised.version, "n": len(changes)},
        changes=changes,
    )
    return revised
