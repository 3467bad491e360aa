"""Writes to enterprise profiles and yearly figures. Each one checks, compare-and-sets, audits.

The profile's ``version`` guards the whole enterprise record (profile and figures): a form carries
the version it was read at, and a save that finds another version changes nothing and says so.
Every write recomputes the stored size class from the latest year's figures with the standard in
force on the day (``selectors.classifier_on``), recording the group, figures, rule version and
reasons; an industry the standard does not cover is stored as "not classifiable" with the reason.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sme.core import audit, clock
from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.messages import msg
from sme.core.versioning import update_versioned
from sme.core.workflow import apply_transition
from sme.organizations.models import Organization, OrganizationKind
from sme.regions.models import Region

from .classification import FIELDS, Classification, Classifier
from .importing import reader
from .importing.fields import IMPORT_FIELDS, REQUIRED_KEYS, guess_mapping, guess_year
from .importing.runner import local_path
from .industry_codes import IndustryCodeError, parse_industry_code
from .models import (
    DECIMAL_PLACES,
    FIRST_YEAR,
    MAX_WAN,
    EnterpriseImport,
    EnterpriseProfile,
    EnterpriseYearFigures,
    ImportStatus,
)
from .permissions import can_edit_enterprise, can_import, import_district, import_roles
from .selectors import IndustryEntry, classifier_on, import_max_bytes, industry_index, latest_figures
from .tasks import run_import
from .workflow import IMPORT, IMPORTER

PROFILE_FIELDS = ("industry_code", "is_tech_sme", "is_specialized_new", "is_high_tech")


def _conflict() -> Conflict:
    return Conflict(
        _("在您编辑期间，该企业档案已被他人修改（或已由名录导入更新）。您的修改未保存，请刷新后重新填写。")
    )


# --- validation -----------------------------------------------------------------------------------


def _validated_industry_code(raw: str) -> IndustryEntry:
    """The loaded GB/T 4754-2017 code ``raw`` names (``6513``, ``I6513``…), else InvalidInput saying
    exactly what is wrong (``industry_codes.parse_industry_code``, as the import and the tool read it)."""
    index = industry_index()
    try:
        parsed = parse_industry_code(raw, index)
    except IndustryCodeError as exc:
        message = str(exc)
        raise InvalidInput(message, {"industry_code": [message]}) from exc
    return index[parsed.code]


def _year_problem(year: int | None, today: dt.date | None = None) -> str | None:
    last = (today or clock.today()).year
    if year is None:
        return _("请填写年度。")
    if not FIRST_YEAR <= year <= last:
        return _("年度应在 %(first)s 至 %(last)s 之间。") % {"first": FIRST_YEAR, "last": last}
    return None


def _wan_problem(name: str, value: Decimal | None) -> str | None:
    """Why a 万元 amount is refused, or None."""
    if value is None:
        return None
    if not value.is_finite():
        return _("%(name)s应为数字。") % {"name": name}
    if value < 0:
        return _("%(name)s不能为负数。") % {"name": name}
    if value > MAX_WAN:
        return _("%(name)s超出范围（以万元计）。") % {"name": name}
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -DECIMAL_PLACES:
        return _("%(name)s最多保留 4 位小数（万元）。") % {"name": name}
    return None


def _employees_problem(value: int | None) -> str | None:
    if value is None:
        return None
    if value < 0:
        return _("从业人员不能为负数。")
    if value > 10_000_000:
        return _("从业人员超出范围。")
    return None


# --- classification -------------------------------------------------------------------------------


def _classification_for(
    industry_code: str, figures: EnterpriseYearFigures | None, classifier: Classifier
) -> Classification:
    if figures is None:
        return classifier.classify(industry_code, None, None, None, None)
    return classifier.classify(
        industry_code, figures.year, figures.employees, figures.revenue_wan, figures.assets_wan
    )


def _classification_changes(profile: EnterpriseProfile, result: Classification) -> dict[str, Any]:
    new = result.as_fields()
    return {k: new[k] for k in FIELDS if getattr(profile, k) != new[k]}


# --- writes ---------------------------------------------------------------------------------------


def _check_enterprise(actor: Any, organization: Organization) -> None:
    if organization.kind != OrganizationKind.ENTERPRISE:
        raise InvalidInput(_("只有企业有企业档案。"))
    if not can_edit_enterprise(actor, organization):
        raise NotAllowed(_("只有企业负责人或管理员可以修改企业档案和年度数据。"))


def _profile_for_update(organization: Organization) -> EnterpriseProfile:
    """The profile, created blank (version 1) the first time the enterprise edits it."""
    profile = EnterpriseProfile.objects.filter(organization=organization).first()
    if profile is not None:
        return profile
    try:
        with transaction.atomic():
            return EnterpriseProfile.objects.create(organization=organization)
    except IntegrityError as exc:  # created by a concurrent save a moment ago
        raise _conflict() from exc


def _save_profile(
    profile: EnterpriseProfile, expected_version: int, changes: dict[str, Any], now: dt.datetime
) -> EnterpriseProfile:
    if any(k in changes for k in FIELDS):
        changes["classified_at"] = now
    return update_versioned(
        profile,
        expected_version=expected_version,
        conflict_message=_conflict().message,
        **changes,
        updated_at=now,
    )


def _size_audit(before: dict[str, Any], profile: EnterpriseProfile) -> dict[str, Any]:
    keys = ("size_class", "size_group", "size_standard_version", "size_figures_year")
    return audit.diff({k: before[k] for k in keys}, {k: getattr(profile, k) for k in keys})


@transaction.atomic
def enterprise_profile_update(
    *,
    actor: Any,
    organization: Organization,
    expected_version: int,
    industry_code: str,
    is_tech_sme: bool,
    is_specialized_new: bool,
    is_high_tech: bool,
) -> EnterpriseProfile:
    """Set the industry code and flags, and recompute the size class. ``expected_version`` is the
    profile version the form was read at (1 for an enterprise without a profile yet)."""
    _check_enterprise(actor, organization)
    entry = _validated_industry_code(industry_code)
    profile = _profile_for_update(organization)
    if profile.version != expected_version:
        raise _conflict()
    values = {
        "industry_code": entry.code,
        "industry_section": entry.section,
        "is_tech_sme": bool(is_tech_sme),
        "is_specialized_new": bool(is_specialized_new),
        "is_high_tech": bool(is_high_tech),
    }
    changes = {k: v for k, v in values.items() if getattr(profile, k) != v}
    result = _classification_for(entry.code, latest_figures(organization.pk), classifier_on(clock.today()))
    changes.update(_classification_changes(profile, result))
    if not changes:
        return profile
    before = {k: getattr(profile, k) for k in (*values, *FIELDS)}
    profile = _save_profile(profile, expected_version, changes, clock.now())
    audit.record(
        "enterprise.profile_update",
        actor=actor,
        obj=organization,
        summary=msg("修改企业档案"),
        changes={
            **audit.diff(
                {k: before[k] for k in PROFILE_FIELDS}, {k: getattr(profile, k) for k in PROFILE_FIELDS}
            ),
            **_size_audit(before, profile),
        },
    )
    return profile


@transaction.atomic
def enterprise_figures_set(
    *,
    actor: Any,
    organization: Organization,
    expected_version: int,
    year: int,
    employees: int | None,
    revenue_wan: Decimal | None,
    assets_wan: Decimal | None,
) -> EnterpriseYearFigures:
    """Enter or correct one year's 从业人员, 营业收入 and 资产总额 (万元), then recompute the size
    class from the latest year's figures. A blank figure is stored as unknown."""
    _check_enterprise(actor, organization)
    problems: dict[str, list[str]] = {}
    if problem := _year_problem(year):
        problems["year"] = [problem]
    if problem := _employees_problem(employees):
        problems["employees"] = [problem]
    if problem := _wan_problem(_("营业收入"), revenue_wan):
        problems["revenue_wan"] = [problem]
    if problem := _wan_problem(_("资产总额"), assets_wan):
        problems["assets_wan"] = [problem]
    if not problems and employees is None and revenue_wan is None and assets_wan is None:
        problems["__all__"] = [_("请至少填写一项：从业人员、营业收入或资产总额。")]
    if problems:
        raise InvalidInput(next(iter(problems.values()))[0], problems)
    profile = _profile_for_update(organization)
    if profile.version != expected_version:
        raise _conflict()
    values = {"employees": employees, "revenue_wan": revenue_wan, "assets_wan": assets_wan}
    row = EnterpriseYearFigures.objects.filter(organization=organization, year=year).first()
    before_figures = {k: getattr(row, k) if row else None for k in values}
    figure_changes = {k: v for k, v in values.items() if before_figures[k] != v}
    if row is not None and not figure_changes:
        return row
    now = clock.now()
    if row is None:
        row = EnterpriseYearFigures.objects.create(organization=organization, year=year, **values)
    else:
        EnterpriseYearFigures.objects.filter(pk=row.pk).update(**figure_changes, updated_at=now)
        row.refresh_from_db()
    result = _classification_for(
        profile.industry_code, latest_figures(organization.pk), classifier_on(now.date())
    )
    changes = _classification_changes(profile, result)
    before = {k: getattr(profile, k) for k in FIELDS}
    profile = _save_profile(profile, expected_version, changes, now)
    audit.record(
        "enterprise.figures_set",
        actor=actor,
        obj=organization,
        summary=msg("填报 %(year)s 年度数据", year=year),
        changes={
            **{f"{year}.{k}": v for k, v in audit.diff(before_figures, values).items()},
            **_size_audit(before, profile),
        },
    )
    return row


# --- registry import ------------------------------------------------------------------------------


def _file_error(message: str) -> InvalidInput:
    return InvalidInput(message, {"file": [message]})


@transaction.atomic
def enterprise_import_upload(
    *,
    actor: Any,
    upload: IO[bytes],
    file_name: str,
    district: Region | None = None,
    system: bool = False,
) -> EnterpriseImport:
    """Store an uploaded registry file, with its SHA-256, format, encoding, header and a guessed
    column mapping; nothing is imported until :func:`enterprise_import_start`. A district officer's
    import is limited to their district; ``system`` (the management command) may name any district
    or none."""
    if not system:
        if not can_import(actor):
            raise NotAllowed(_("只有区县和市级主管部门可以导入企业名录。"))
        district = import_district(actor)
    elif district is None and actor is not None and can_import(actor):
        district = import_district(actor)
    file_name = Path(file_name or "upload").name[:255]
    limit = import_max_bytes()
    declared = getattr(upload, "size", None)
    if isinstance(declared, int) and declared > limit:
        raise _file_error(
            _("文件大小 %(size)s MB，超过上限 %(limit)s MB。")
            % {"size": declared // (1024 * 1024), "limit": limit // (1024 * 1024)}
        )
    with tempfile.TemporaryDirectory() as tmp:
        local = Path(tmp) / ("upload" + Path(file_name).suffix.lower()[:8])
        try:
            with local.open("wb") as sink:
                found = reader.scan(upload, file_name, sink=sink)
            if found.size > limit:
                raise reader.ImportFileError(
                    _("文件大小 %(size)s MB，超过上限 %(limit)s MB。")
                    % {"size": found.size // (1024 * 1024), "limit": limit // (1024 * 1024)}
                )
            seen = reader.inspect(local, found.file_format, found.encoding)
        except reader.ImportFileError as exc:
            raise _file_error(exc.message) from exc
        job = EnterpriseImport(
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            district=district,
            file_name=file_name,
            file_size=found.size,
            sha256=found.sha256,
            file_format=found.file_format,
            encoding=found.encoding,
            header_row=seen.header_row,
            header_rows=seen.header_rows,
            columns=seen.columns,
            preview=seen.preview,
            mapping=guess_mapping(seen.columns),
            default_year=guess_year(seen.columns),
        )
        with local.open("rb") as f:
            job.file.save(file_name, File(f), save=False)
    job.save()
    audit.record(
        "enterprise_import.upload",
        actor=actor,
        obj=job,
        summary=msg("上传企业名录：%(file)s", file=file_name),
        changes={
            "file_name": file_name,
            "sha256": found.sha256,
            "size": found.size,
            "format": found.file_format,
        },
    )
    return job


def _import_roles(actor: Any, job: EnterpriseImport, system: bool) -> set[str]:
    return {IMPORTER} if system else import_roles(actor, job)


@transaction.atomic
def enterprise_import_set_header(
    *, actor: Any, job: EnterpriseImport, header_row: int, header_rows: int, system: bool = False
) -> EnterpriseImport:
    """Read the header again from another row (or as one or two rows) and guess the mapping anew."""
    if IMPORTER not in _import_roles(actor, job, system):
        raise NotAllowed(_("只有导入人可以修改本次导入的设置。"))
    if job.status != ImportStatus.UPLOADED:
        raise Conflict(_("导入已开始，不能再修改设置。"))
    if header_rows not in (1, 2) or not 1 <= header_row <= 50:
        raise InvalidInput(_("表头位置无效。"), {"header_row": [_("表头位置无效。")]})
    try:
        with local_path(job) as path:
            seen = reader.inspect(path, job.file_format, job.encoding, header_row, header_rows)
    except reader.ImportFileError as exc:
        raise _file_error(exc.message) from exc
    updated = EnterpriseImport.objects.filter(pk=job.pk, status=ImportStatus.UPLOADED).update(
        header_row=header_row,
        header_rows=header_rows,
        columns=seen.columns,
        preview=seen.preview,
        mapping=guess_mapping(seen.columns),
        default_year=guess_year(seen.columns) or job.default_year,
        updated_at=clock.now(),
    )
    if updated == 0:
        raise Conflict(_("导入已开始，不能再修改设置。"))
    job.refresh_from_db()
    return job


def _mapping_problems(
    mapping: dict[str, int], columns: list[str], default_year: int | None
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    labels = {f.key: str(f.label) for f in IMPORT_FIELDS}
    for key in REQUIRED_KEYS:
        if mapping.get(key) is None:
            problems[f"col_{key}"] = [_("请选择“%(field)s”所在的列。") % {"field": labels[key]}]
    by_column: dict[int, str] = {}
    for key, index in mapping.items():
        if key not in labels:
            problems.setdefault("__all__", []).append(_("未知的字段：%(key)s") % {"key": key})
            continue
        if not isinstance(index, int) or not 0 <= index < len(columns):
            problems[f"col_{key}"] = [_("所选的列不存在。")]
            continue
        if index in by_column:
            problems[f"col_{key}"] = [
                _("第 %(n)s 列已对应“%(other)s”。") % {"n": index + 1, "other": labels[by_column[index]]}
            ]
        by_column[index] = key
    if mapping.get("year") is None:
        if default_year is None:
            problems["default_year"] = [_("文件中没有“年度”列时，请填写数据年度。")]
        elif problem := _year_problem(default_year):
            problems["default_year"] = [problem]
    return problems


@transaction.atomic
def enterprise_import_start(
    *,
    actor: Any,
    job: EnterpriseImport,
    mapping: dict[str, int],
    default_year: int | None,
    keep_good_rows: bool = True,
    system: bool = False,
    background: bool = True,
) -> EnterpriseImport:
    """Confirm the column mapping and queue the import. With ``background`` the Celery task
    ``run_import`` picks it up after commit (in-process when no broker is configured); the
    management command passes ``background=False`` and runs it itself."""
    roles = _import_roles(actor, job, system)
    problems = _mapping_problems(mapping, list(job.columns), default_year)
    if problems:
        raise InvalidInput(next(iter(problems.values()))[0], problems)
    job.mapping = dict(mapping)
    job.default_year = default_year
    job.keep_good_rows = keep_good_rows
    result = apply_transition(
        workflow=IMPORT,
        obj=job,
        action="start",
        actor=actor,
        roles=roles,
        updates={"mapping": job.mapping, "default_year": default_year, "keep_good_rows": keep_good_rows},
    )
    if background:
        pk = result.pk
        transaction.on_commit(lambda: run_import.delay(pk))
    return result
