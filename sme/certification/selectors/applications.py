"""Reads of applications, always within the caller's scope, and what follows from an application's
own rows: its eligibility, what still stops its submission, its snapshot for revisions.

- applicants (members of the applying organization): their organization's applications;
- district officers: applications of their district (and the divisions it replaced) once submitted;
- city officers: applications recommended to the city (and everything after), in their jurisdiction;
- experts: the applications they are assigned to;
- administrators: everything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from sme.accounts.models import Role
from sme.core import clock
from sme.organizations.models import (
    MANAGING_ROLES,
    PROVIDER_KINDS,
    Membership,
    MembershipStatus,
    Organization,
)
from sme.organizations.permissions import jurisdiction_district_ids

from .. import eligibility, figures, measured, names
from ..models import (
    Application,
    ApplicationRevision,
    ApplicationStatus,
    ApplicationYear,
    ExpertReview,
    Material,
    Scheme,
    SchemeLevel,
)

# Statuses a district officer works on or has seen; drafts stay with the applicant.
DISTRICT_VISIBLE = [s for s in ApplicationStatus.values if s != ApplicationStatus.DRAFT]
DISTRICT_QUEUE = [ApplicationStatus.SUBMITTED]
CITY_QUEUE = [ApplicationStatus.RECOMMENDED, ApplicationStatus.CITY_REVIEW, ApplicationStatus.NOTICE]
# An organization has at most one application in these statuses per scheme code.
OPEN_STATUSES = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.RETURNED,
    ApplicationStatus.RECOMMENDED,
    ApplicationStatus.CITY_REVIEW,
    ApplicationStatus.NOTICE,
)
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
REQUIRED_REPORT_FIELDS = tuple(f for f in REPORT_FIELDS if f != "leadership")


def applications_visible_to(user: Any) -> QuerySet[Application]:
    qs = Application.objects.select_related("organization", "district", "scheme").defer(
        "scheme__criteria",
        "scheme__materials",
        "scheme__expert_form",
        "scheme__annual_form",
        "scheme__source_note",
    )
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_platform_admin:
        return qs
    if user.role == Role.DISTRICT_OFFICER:
        ids = jurisdiction_district_ids(user)
        # Cases under the district's own schemes (第十七条) are the district's wherever the applicant
        # is; looked up first, so the filter stays an index-friendly IN list rather than a join.
        local = list(
            Scheme.objects.filter(level=SchemeLevel.DISTRICT, region_id__in=ids).values_list("pk", flat=True)
        )
        own = Q(district_id__in=ids, status__in=DISTRICT_VISIBLE)
        return qs.filter(own | Q(scheme_id__in=local) if local else own).exclude(
            status=ApplicationStatus.DRAFT
        )
    if user.role == Role.CITY_OFFICER:
        ids = jurisdiction_district_ids(user)
        return qs.filter(recommended_at__isnull=False, district_id__in=ids)
    if user.role == Role.EXPERT:
        return qs.filter(Exists(ExpertReview.objects.filter(application=OuterRef("pk"), expert=user)))
    if user.role in (Role.ENTERPRISE, Role.PROVIDER):
        return qs.filter(
            organization__memberships__user=user, organization__memberships__status=MembershipStatus.ACTIVE
        )
    return qs.none()


def application_for(user: Any, pk: int) -> Application:
    """One application in ``user``'s scope, or 404 (out-of-scope records do not exist for the caller)."""
    application = applications_visible_to(user).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


def can_see_application(user: Any, application_id: int) -> bool:
    return applications_visible_to(user).filter(pk=application_id).exists()


def review_queue(user: Any, *, status: str = "", round_year: int | None = None) -> QuerySet[Application]:
    """What waits for ``user``'s decision, oldest submission first (first in, first reviewed)."""
    qs = applications_visible_to(user)
    if status in ApplicationStatus.values:
        qs = qs.filter(status=status)
    elif user.role == Role.DISTRICT_OFFICER:
        qs = qs.filter(status__in=DISTRICT_QUEUE)
    elif user.role == Role.CITY_OFFICER:
        qs = qs.filter(status__in=CITY_QUEUE)
    if round_year:
        qs = qs.filter(round_year=round_year)
    return qs.order_by("submitted_at", "id")


def applications_for_export(user: Any, *, status: str, round_year: int | None) -> QuerySet[Application]:
    """The officer's applications for the Excel export: the queue's filters, ``status="all"`` for
    everything in scope."""
    if status != "all":
        return review_queue(user, status=status, round_year=round_year)
    qs = applications_visible_to(user)
    if round_year:
        qs = qs.filter(round_year=round_year)
    return qs.order_by("submitted_at", "id")


def queue_counts(user: Any) -> dict[str, int]:
    rows = applications_visible_to(user).values("status").annotate(n=Count("id")).order_by()
    return {row["status"]: row["n"] for row in rows}


def open_application(organization: Organization, scheme: Scheme) -> Application | None:
    """The organization's application in progress under ``scheme``'s code, if any."""
    return Application.objects.filter(
        organization=organization, scheme__code=scheme.code, status__in=OPEN_STATUSES
    ).first()


def organizations_managed_by(user: Any) -> list[Organization]:
    """The service providers ``user`` may apply for (an active owner or administrator)."""
    memberships = Membership.objects.filter(
        user=user,
        status=MembershipStatus.ACTIVE,
        role__in=MANAGING_ROLES,
        organization__kind__in=PROVIDER_KINDS,
    ).select_related("organization")
    return [m.organization for m in memberships]


def organization_by_pk(pk: Any) -> Organization | None:
    try:
        return Organization.objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


# --- what an application's rows hold -----------------------------------------------------------


def materials_of(application: Application, *, current_only: bool = False) -> list[Material]:
    qs = application.materials.select_related("uploaded_by").order_by("slot", "-version")
    return list(qs.filter(is_current=True) if current_only else qs)


@dataclass(frozen=True)
class MaterialSlot:
    """One material of the scheme's list (第八条), with the files uploaded in its slot."""

    key: str
    label: str  # as the scheme data names the material
    article: str
    provided_by: str  # upload, form (the report itself) or declaration
    required: bool
    current: Material | None = None
    past: list[Material] = field(default_factory=list)  # earlier versions, newest first


def material_slots(application: Application) -> list[MaterialSlot]:
    """The scheme's materials in its own order (第八条's list), each with its current file and
    earlier versions; files in a slot the scheme no longer lists come last, named by their slot.
    One query."""
    by_slot: dict[str, list[Material]] = {}
    for m in materials_of(application):
        by_slot.setdefault(m.slot, []).append(m)
    slots: list[MaterialSlot] = []
    for spec in application.scheme.materials:
        files = by_slot.pop(str(spec.get("key")), [])
        slots.append(_slot(spec, files))
    for key, files in by_slot.items():
        slots.append(_slot({"key": key, "label": key, "provided_by": "upload"}, files))
    return slots


def _slot(spec: dict[str, Any], files: list[Material]) -> MaterialSlot:
    current = next((m for m in files if m.is_current), None)
    return MaterialSlot(
        key=str(spec.get("key")),
        label=names.local(spec) or str(spec.get("key")),
        article=names.local(spec, "article"),
        provided_by=str(spec.get("provided_by", "upload")),
        required=bool(spec.get("required")),
        current=current,
        past=[m for m in files if m is not current],
    )


def revisions_of(application: Application) -> list[ApplicationRevision]:
    return list(application.revisions.order_by("number"))


def report_years_of(application: Application) -> list[int]:
    return sorted(application.years.values_list("year", flat=True))


def measured_rows(application: Application) -> list[dict[str, Any]]:
    """What the platform itself recorded for the applicant in each reported year (orders and ratings),
    shown beside the declared figures so reviewers can compare them."""
    years = sorted({y.year for y in application.years.all()})
    return [{"year": year, **measured.figures(application.organization_id, year)} for year in years]


def snapshot(application: Application) -> dict[str, Any]:
    """The application report as plain values, for revisions and their diff."""
    data: dict[str, Any] = {f: figures.plain(getattr(application, f)) for f in REPORT_FIELDS}
    data["categories"] = list(application.categories)
    data["extra_figures"] = dict(application.extra_figures)
    for y in application.years.all():
        for name in ApplicationYear.FIGURE_FIELDS:
            data[f"years.{y.year}.{name}"] = figures.plain(getattr(y, name))
    for m in application.materials.filter(is_current=True):
        data[f"materials.{m.slot}"] = f"{m.label}（SHA-256 {m.sha256[:12]}…）"
    return data


def figures_from_application(application: Application, on: dt.date | None = None) -> dict[str, Any]:
    """The eligibility figures of a saved application, as of ``on`` (submission, or today)."""
    on = on or (application.submitted_at.date() if application.submitted_at else clock.today())
    return figures.figures_from_values(
        application.established_on, list(application.years.all()), application.extra_figures, on
    )


def eligibility_of(application: Application, on: dt.date | None = None) -> eligibility.EligibilityResult:
    """The scheme's check on the report's figures; missing figures raise EligibilityInputError."""
    raw = figures_from_application(application, on)
    parsed = eligibility.parse_figures(
        application.scheme.criteria, figures.as_json_numbers(raw), shares_typed_in_percent=True
    )
    return eligibility.evaluate(application.scheme, district=application.district, figures=parsed)


def window_problem(scheme: Scheme, today: dt.date) -> str | None:
    """Why applications under ``scheme`` are not accepted on ``today`` (None inside its window)."""
    md = today.strftime("%m-%d")
    opens, closes = scheme.window_opens, scheme.window_closes
    inside = opens <= md <= closes if opens <= closes else (md >= opens or md <= closes)
    if inside:
        return None
    return _("本办法的申报时间为每年%(opens)s至%(closes)s，当前不在申报期内。") % {
        "opens": _month_day(opens),
        "closes": _month_day(closes),
    }


def _month_day(text: str) -> str:
    """A scheme's "MM-DD" as a day of the year is written: 3月31日."""
    month, day = (int(part) for part in text.split("-"))
    return _("%(month)s月%(day)s日") % {"month": month, "day": day}


def submission_problems(application: Application, today: dt.date | None = None) -> dict[str, list[str]]:
    """Everything in the application's rows that stops it from being submitted, by field (empty:
    ready): the window, the report, the yearly figures, the uploads and the numeric conditions."""
    today = today or clock.today()
    problems: dict[str, list[str]] = {}
    window = window_problem(application.scheme, today)
    if window:
        problems.setdefault("__all__", []).append(window)
    for name in REQUIRED_REPORT_FIELDS:
        if getattr(application, name) in (None, ""):
            label = Application.field_label(name)
            problems.setdefault(name, []).append(_("请填写「%(field)s」。") % {"field": label})
    if not application.categories:
        problems.setdefault("categories", []).append(_("请至少选择一个服务功能类别。"))
    for y in application.years.all():
        for name in ApplicationYear.FIGURE_FIELDS:
            if getattr(y, name) is None:
                label = ApplicationYear.figure_label(name)
                problems.setdefault(f"years.{y.year}.{name}", []).append(
                    _("请填写%(year)s年的「%(field)s」。") % {"year": y.year, "field": label}
                )
    current = set(application.materials.filter(is_current=True).values_list("slot", flat=True))
    for spec in application.scheme.materials:
        if spec.get("provided_by") == "upload" and spec.get("required") and spec["key"] not in current:
            problems.setdefault(f"materials.{spec['key']}", []).append(
                _("请上传「%(label)s」。") % {"label": names.local(spec)}
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
                    % {
                        "label": c.label,
                        "value": figures.shown(c.value),
                        "threshold": figures.shown(c.threshold),
                    }
                )
    return problems


def eligibility_panel(application: Application, raw: dict[str, Any] | None = None) -> dict[str, Any]:
    """The live check for a page: ``{"result", "missing"}`` — the result on the saved report (or on
    ``raw`` figures typed into the unsaved form), or the figures still missing."""
    try:
        if raw is None:
            result = eligibility_of(application)
        else:
            parsed = eligibility.parse_figures(application.scheme.criteria, raw, shares_typed_in_percent=True)
            result = eligibility.evaluate(application.scheme, district=application.district, figures=parsed)
    except eligibility.EligibilityInputError as error:
        return {"result": None, "missing": [message for _name, message in error.problems]}
    return {"result": result, "missing": []}


def revision_diff(revisions: list[ApplicationRevision]) -> list[tuple[str, Any, Any]]:
    """What changed between the last two submissions: ``(field, before, after)``."""
    if len(revisions) < 2:
        return []
    before, after = revisions[-2].snapshot, revisions[-1].snapshot
    return [
        (k, before.get(k), after.get(k))
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    ]
