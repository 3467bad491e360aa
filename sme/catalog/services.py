"""Writes to the service catalogue: drafts, submission, approval, direct edits, suspension, withdrawal,
attachments.

Every service checks role and scope, moves state only through ``apply_transition`` (compare-and-set,
transition log, audit row) or a compare-and-set on ``Service.version``, keeps the search index in
step, and notifies the people concerned after commit. Nothing here takes a request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sme.core import audit
from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.uploads import inspect_upload, storage_path
from sme.core.workflow import apply_transition
from sme.notifications.services import notify
from sme.organizations.models import PROVIDER_KINDS, Organization, VerificationStatus
from sme.regions.selectors import districts as current_districts

from . import search
from .models import (
    AttachmentKind,
    FeeType,
    RevisionStatus,
    Service,
    ServiceAttachment,
    ServiceCategory,
    ServiceDistrict,
    ServiceRevision,
    ServiceStatus,
)
from .permissions import acts_for, provider_people, reviewers_of, roles_for
from .workflow import APPROVAL_FIELDS, PROVIDER, REVIEWER, REVISION, SERVICE, SYSTEM

# The fields of a revision a provider writes, in form order.
REVISION_FIELDS = (
    "title",
    "category",
    "summary",
    "content",
    "process_steps",
    "deliverables",
    "quality_standard",
    "fee_type",
    "fee_amount",
    "fee_min",
    "fee_max",
    "fee_unit",
    "fee_note",
    "small_micro_price",
    "response_workdays",
    "delivery_workdays",
    "service_hours",
    "serves_all_districts",
    "district_ids",
)
MONEY_FIELDS = ("fee_amount", "fee_min", "fee_max", "small_micro_price")
DAY_FIELDS = ("response_workdays", "delivery_workdays")
MAX_PRICE = Decimal("9999999999.99")
MAX_WORKDAYS = 365
MAX_STEPS = 30
DEFAULT_RESPONSE_WORKDAYS = 1
ATTACHMENT_KINDS = ("pdf", "jpeg", "png", "docx")


def _stale() -> Conflict:
    return Conflict(
        _("该服务刚刚已被修改（可能是您在另一个窗口或同事的操作），您的修改未保存。请刷新页面后重试。")
    )


def _service_url(service: Service) -> str:
    return reverse("catalog:manage", args=[service.pk])


# --- input ------------------------------------------------------------------------------------


def _money(raw: Any, field: str, problems: dict[str, list[str]]) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError):
        problems.setdefault(field, []).append(_("请输入金额（元），例如 12000 或 12000.50。"))
        return None
    if not value.is_finite() or value < 0:
        problems.setdefault(field, []).append(_("金额不能为负数。"))
        return None
    if value > MAX_PRICE or value != value.quantize(Decimal("0.01")):
        problems.setdefault(field, []).append(_("金额最多精确到分，且不超过 99.99 亿元。"))
        return None
    return value


def _days(raw: Any, field: str, problems: dict[str, list[str]]) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = int(str(raw).strip())
    except ValueError:
        problems.setdefault(field, []).append(_("请输入整数个工作日。"))
        return None
    if value < 1 or value > MAX_WORKDAYS:
        problems.setdefault(field, []).append(_("工作日数应在 1 到 %(max)s 之间。") % {"max": MAX_WORKDAYS})
        return None
    return value


def _text(raw: Any, field: str, limit: int | None, problems: dict[str, list[str]]) -> str:
    value = "" if raw is None else str(raw).strip()
    if limit is not None and len(value) > limit:
        problems.setdefault(field, []).append(_("最多 %(n)s 个字。") % {"n": limit})
    return value


def _category(raw: Any, problems: dict[str, list[str]]) -> ServiceCategory | None:
    if isinstance(raw, ServiceCategory):
        return raw
    if raw in (None, ""):
        return None
    lookup = {"pk": int(raw)} if str(raw).isdigit() else {"key": str(raw)}
    category = ServiceCategory.objects.filter(is_active=True, **lookup).first()
    if category is None:
        problems.setdefault("category", []).append(_("没有这个服务类别。"))
    return category


def clean_revision_data(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The typed values of a provider's input and the problems with its form (not completeness)."""
    problems: dict[str, list[str]] = {}
    values: dict[str, Any] = {
        "title": _text(data.get("title"), "title", 120, problems),
        "category": _category(data.get("category"), problems),
        "summary": _text(data.get("summary"), "summary", 200, problems),
        "content": _text(data.get("content"), "content", 20000, problems),
        "deliverables": _text(data.get("deliverables"), "deliverables", 10000, problems),
        "quality_standard": _text(data.get("quality_standard"), "quality_standard", 10000, problems),
        "fee_unit": _text(data.get("fee_unit"), "fee_unit", 20, problems),
        "fee_note": _text(data.get("fee_note"), "fee_note", 300, problems),
        "service_hours": _text(data.get("service_hours"), "service_hours", 100, problems),
        "serves_all_districts": bool(data.get("serves_all_districts")),
    }
    fee_type = _text(data.get("fee_type"), "fee_type", None, problems)
    if fee_type and fee_type not in FeeType.values:
        problems.setdefault("fee_type", []).append(_("请选择有效的收费方式。"))
        fee_type = ""
    values["fee_type"] = fee_type
    for name in MONEY_FIELDS:
        values[name] = _money(data.get(name), name, problems)
    for name in DAY_FIELDS:
        values[name] = _days(data.get(name), name, problems)
    # Only the amounts the fee type uses are kept, so a stale hidden field never shows or flags.
    if fee_type in (FeeType.FIXED, FeeType.PER_UNIT):
        values["fee_min"] = values["fee_max"] = None
    elif fee_type == FeeType.RANGE:
        values["fee_amount"] = None
    elif fee_type == FeeType.FREE:
        values["fee_amount"] = values["fee_min"] = values["fee_max"] = None
    if fee_type != FeeType.PER_UNIT:
        values["fee_unit"] = ""

    raw_steps = data.get("process_steps") or []
    if isinstance(raw_steps, str):
        raw_steps = raw_steps.splitlines()
    steps = [str(s).strip() for s in raw_steps if str(s).strip()]
    if len(steps) > MAX_STEPS:
        problems.setdefault("process_steps", []).append(_("服务流程最多 %(n)s 步。") % {"n": MAX_STEPS})
    if any(len(s) > 200 for s in steps):
        problems.setdefault("process_steps", []).append(_("每个步骤最多 200 个字。"))
    values["process_steps"] = steps

    raw_districts = data.get("district_ids") or []
    if isinstance(raw_districts, (str, int)):
        raw_districts = [raw_districts]
    district_ids: list[int] = []
    for raw in raw_districts:
        try:
            district_ids.append(int(raw))
        except (TypeError, ValueError):
            problems.setdefault("district_ids", []).append(_("服务区县无效。"))
            break
    district_ids = sorted(set(district_ids))
    if district_ids:
        known = set(current_districts().filter(pk__in=district_ids).values_list("pk", flat=True))
        if set(district_ids) - known:
            problems.setdefault("district_ids", []).append(_("服务区县中有不存在或已撤销的区县。"))
    values["district_ids"] = [] if values["serves_all_districts"] else district_ids

    if not values["title"]:
        problems.setdefault("title", []).append(_("请填写服务名称。"))
    if values["category"] is None and "category" not in problems:
        problems.setdefault("category", []).append(_("请选择服务类别。"))
    return values, problems


# --- the five disclosures ---------------------------------------------------------------------

DISCLOSURE_LABELS = {
    "content": _("内容公开"),
    "process": _("流程公开"),
    "standard": _("标准公开"),
    "fee": _("收费公开"),
    "time": _("时间公开"),
}


def missing_disclosures(values: Mapping[str, Any]) -> dict[str, dict[str, list[str]]]:
    """What is still missing before publication, by disclosure (``content``, ``process``,
    ``standard``, ``fee``, ``time``, plus ``scope`` for the category and districts), each with the
    field messages. Empty when the revision may be submitted."""
    missing: dict[str, dict[str, list[str]]] = {}

    def need(group: str, field: str, message: str) -> None:
        missing.setdefault(group, {}).setdefault(field, []).append(message)

    if not (values.get("content") or "").strip():
        need("content", "content", _("内容公开：请填写服务内容（交付什么）。"))
    if not values.get("process_steps"):
        need("process", "process_steps", _("流程公开：请至少填写一个服务步骤。"))
    if not (values.get("deliverables") or "").strip():
        need("standard", "deliverables", _("标准公开：请填写交付成果。"))
    if not (values.get("quality_standard") or "").strip():
        need("standard", "quality_standard", _("标准公开：请填写所达到的质量标准。"))

    fee_type = values.get("fee_type") or ""
    amount, low, high = values.get("fee_amount"), values.get("fee_min"), values.get("fee_max")
    small = values.get("small_micro_price")
    if not fee_type:
        need("fee", "fee_type", _("收费公开：请选择收费方式。"))
    elif fee_type == FeeType.FIXED:
        if amount is None:
            need("fee", "fee_amount", _("收费公开：固定价格须填写价格。"))
        elif small is not None and small >= amount:
            need("fee", "small_micro_price", _("收费公开：小微企业优惠价须低于价格。"))
    elif fee_type == FeeType.RANGE:
        if low is None:
            need("fee", "fee_min", _("收费公开：价格区间须填写最低价。"))
        if high is None:
            need("fee", "fee_max", _("收费公开：价格区间须填写最高价。"))
        if low is not None and high is not None and low >= high:
            need("fee", "fee_max", _("收费公开：最高价须高于最低价。"))
        if small is not None and low is not None and small >= low:
            need("fee", "small_micro_price", _("收费公开：小微企业优惠价须低于区间最低价。"))
    elif fee_type == FeeType.PER_UNIT:
        if amount is None:
            need("fee", "fee_amount", _("收费公开：按量计价须填写单价。"))
        if not (values.get("fee_unit") or "").strip():
            need("fee", "fee_unit", _("收费公开：按量计价须填写计价单位（如“次”“人·天”）。"))
        if small is not None and amount is not None and small >= amount:
            need("fee", "small_micro_price", _("收费公开：小微企业优惠价须低于单价。"))
    elif fee_type == FeeType.FREE and small is not None:
        need("fee", "small_micro_price", _("收费公开：免费服务不设小微企业优惠价。"))

    if not values.get("delivery_workdays"):
        need("time", "delivery_workdays", _("时间公开：请填写交付时间（工作日）。"))
    if not (values.get("service_hours") or "").strip():
        need("time", "service_hours", _("时间公开：请填写服务时间（如“工作日 9:00—17:30”）。"))

    if values.get("category") is None and not values.get("category_id"):
        need("scope", "category", _("请选择服务类别。"))
    if not values.get("serves_all_districts") and not values.get("district_ids"):
        need("scope", "district_ids", _("请至少选择一个服务区县，或选择“服务全市”。"))
    return missing


def _refuse_incomplete(missing: Mapping[str, Mapping[str, list[str]]]) -> InvalidInput:
    names = [str(DISCLOSURE_LABELS[g]) for g in DISCLOSURE_LABELS if g in missing]
    if "scope" in missing:
        names.append(_("服务类别和区域"))
    fields: dict[str, list[str]] = {}
    for group in missing.values():
        for field, messages in group.items():
            fields.setdefault(field, []).extend(messages)
    return InvalidInput(_("“五公开”信息不完整，不能提交：%(names)s。") % {"names": "、".join(names)}, fields)


def revision_values(revision: ServiceRevision) -> dict[str, Any]:
    """A revision's provider-written fields as the services and the diff compare them."""
    values = {name: getattr(revision, name) for name in REVISION_FIELDS if name != "category"}
    values["category"] = revision.category
    values["category_id"] = revision.category_id
    return values


def _comparable(values: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in values.items() if k in REVISION_FIELDS}
    category = values.get("category")
    out["category"] = category.pk if isinstance(category, ServiceCategory) else values.get("category_id")
    out["district_ids"] = sorted(values.get("district_ids") or [])
    return out


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    a, b = _comparable(before), _comparable(after)
    return [name for name in REVISION_FIELDS if a.get(name) != b.get(name)]


def _fill(revision: ServiceRevision, values: Mapping[str, Any]) -> None:
    for name in REVISION_FIELDS:
        if name == "category":
            revision.category = values["category"]
        else:
            setattr(revision, name, values[name])
    if revision.response_workdays is None:
        revision.response_workdays = DEFAULT_RESPONSE_WORKDAYS


# --- publishing a revision --------------------------------------------------------------------


def price_bounds(revision: ServiceRevision) -> tuple[Decimal | None, Decimal | None]:
    """The lowest and highest price a buyer can face (the listing's price facet and sort)."""
    fee_type = revision.fee_type
    if fee_type == FeeType.FREE:
        return Decimal("0"), Decimal("0")
    if fee_type == FeeType.RANGE:
        low, high = revision.fee_min, revision.fee_max
    else:
        low = high = revision.fee_amount
    if revision.small_micro_price is not None and low is not None:
        low = min(low, revision.small_micro_price)
    return low, high


def _listing_columns(revision: ServiceRevision) -> dict[str, Any]:
    low, high = price_bounds(revision)
    category = revision.category
    return {
        "published_revision": revision,
        "title": revision.title,
        "category": category,
        "top_category_id": category.parent_id or category.pk,
        "fee_type": revision.fee_type,
        "price_low": low,
        "price_high": high,
        "serves_all_districts": revision.serves_all_districts,
    }


def _copy_districts(service: Service, revision: ServiceRevision) -> None:
    ServiceDistrict.objects.filter(service=service).delete()
    if not revision.serves_all_districts:
        ServiceDistrict.objects.bulk_create(
            [ServiceDistrict(service=service, district_id=d) for d in revision.district_ids]
        )


def _supersede_previous(service: Service, keep: ServiceRevision, actor: Any) -> None:
    for old in ServiceRevision.objects.filter(service=service, status=RevisionStatus.APPROVED).exclude(
        pk=keep.pk
    ):
        apply_transition(workflow=REVISION, obj=old, action="supersede", actor=actor, roles={SYSTEM})


def _make_public(service: Service, revision: ServiceRevision, actor: Any) -> None:
    """Copy the approved ``revision`` onto the listing (service already moved by its transition)."""
    columns = _listing_columns(revision)
    if service.published_at is None:
        columns["published_at"] = timezone.now()
    Service.objects.filter(pk=service.pk).update(**columns, version=F("version") + 1)
    _copy_districts(service, revision)
    _supersede_previous(service, revision, actor)
    service.refresh_from_db()
    search.index_services([service.pk])


# --- drafts -----------------------------------------------------------------------------------


def _check_provider(actor: Any, provider: Organization) -> None:
    if not acts_for(actor, provider.pk):
        raise NotAllowed(_("只有本机构的成员可以管理本机构的服务。"))
    if provider.kind not in PROVIDER_KINDS:
        raise NotAllowed(_("只有服务机构可以发布服务。"))
    if provider.verification_status != VerificationStatus.VERIFIED:
        raise InvalidInput(_("机构信息通过区县审核后才能发布服务。"))


def _check_version(service: Service, version: int | None) -> None:
    if version is not None and int(version) != service.version:
        raise _stale()


def _bump_version(service: Service, version: int | None) -> None:
    expected = service.version if version is None else int(version)
    if (
        Service.objects.filter(pk=service.pk, version=expected).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
        == 0
    ):
        raise _stale()
    service.version = expected + 1


@transaction.atomic
def service_create(*, actor: Any, provider: Organization, data: Mapping[str, Any]) -> Service:
    """Start a service of ``provider`` with its first draft revision (may still be incomplete)."""
    _check_provider(actor, provider)
    values, problems = clean_revision_data(data)
    if problems:
        raise InvalidInput(_("请更正标出的项目。"), problems)
    service = Service.objects.create(
        provider=provider, provider_district_id=provider.district_id, status=ServiceStatus.DRAFT
    )
    revision = ServiceRevision(service=service, number=1, created_by=actor, needs_approval=True)
    _fill(revision, values)
    revision.changed_fields = list(REVISION_FIELDS)
    revision.save()
    audit.record(
        "catalog_service.create",
        actor=actor,
        obj=service,
        object_label=revision.title,
        summary=_("新建服务草稿：%(title)s") % {"title": revision.title},
    )
    return service


def current_draft(service: Service) -> ServiceRevision | None:
    return (
        ServiceRevision.objects.filter(service=service, status=RevisionStatus.DRAFT)
        .order_by("-number")
        .first()
    )


def latest_revision(service: Service) -> ServiceRevision | None:
    return ServiceRevision.objects.filter(service=service).order_by("-number").first()


@transaction.atomic
def service_save_draft(
    *, actor: Any, service: Service, data: Mapping[str, Any], version: int | None
) -> ServiceRevision:
    """Save the draft of a service not yet public (new, or returned by the officer)."""
    if PROVIDER not in roles_for(actor, service):
        raise NotAllowed(_("只有本机构的成员可以修改本机构的服务。"))
    if service.status != ServiceStatus.DRAFT:
        raise Conflict(_("服务已提交或已发布，不能再按草稿修改。"))
    _check_version(service, version)
    values, problems = clean_revision_data(data)
    if problems:
        raise InvalidInput(_("请更正标出的项目。"), problems)
    draft = current_draft(service)
    before: dict[str, Any] = {}
    if draft is None:  # the last one was returned: the next attempt is a new revision
        previous = latest_revision(service)
        before = revision_values(previous) if previous else {}
        draft = ServiceRevision(
            service=service, number=(previous.number + 1) if previous else 1, created_by=actor
        )
    else:
        before = revision_values(draft)
    changes = changed_fields(before, values) if before else list(REVISION_FIELDS)
    _fill(draft, values)
    draft.needs_approval = True
    draft.changed_fields = changes
    draft.save()
    _bump_version(service, version)
    audit.record(
        "catalog_service.save_draft",
        actor=actor,
        obj=service,
        object_label=draft.title,
        summary=_("保存服务草稿（第 %(n)s 版）") % {"n": draft.number},
        changes={"fields": changes},
    )
    return draft


@transaction.atomic
def service_submit(*, actor: Any, service: Service, version: int | None = None) -> Service:
    """Send the draft for first publication; refused, naming each missing disclosure, while any of
    the five disclosures (or the category and districts) is empty."""
    roles = roles_for(actor, service)
    SERVICE.check("submit", service.status, roles)
    draft = current_draft(service)
    if draft is None:
        raise Conflict(_("没有可提交的草稿。"))
    missing = missing_disclosures(revision_values(draft))
    if missing:
        raise _refuse_incomplete(missing)
    _check_version(service, version)
    apply_transition(
        workflow=REVISION,
        obj=draft,
        action="submit",
        actor=actor,
        roles=roles,
        updates={"submitted_at": timezone.now(), "needs_approval": True},
    )
    apply_transition(
        workflow=SERVICE,
        obj=service,
        action="submit",
        actor=actor,
        roles=roles,
        updates={"version": F("version") + 1},
    )
    notify(
        reviewers_of(service.provider_district_id),
        title=_("新的服务发布申请待审核：%(title)s") % {"title": draft.title},
        body=_("%(provider)s 提交了服务“%(title)s”的发布申请。")
        % {"provider": service.provider.name, "title": draft.title},
        url=reverse("catalog:review-revision", args=[draft.pk]),
    )
    return service


# --- changes to a public service --------------------------------------------------------------


@transaction.atomic
def service_revise(
    *, actor: Any, service: Service, data: Mapping[str, Any], version: int | None
) -> ServiceRevision:
    """Change a service that has been public. A change to the fee or the time waits for the officer
    (the public page keeps the approved version); any other change is published at once."""
    roles = roles_for(actor, service)
    if PROVIDER not in roles:
        raise NotAllowed(_("只有本机构的成员可以修改本机构的服务。"))
    if service.published_revision_id is None or service.status in (
        ServiceStatus.DRAFT,
        ServiceStatus.PENDING,
    ):
        raise Conflict(_("服务尚未发布，请在草稿中修改。"))
    _check_version(service, version)
    if ServiceRevision.objects.filter(service=service, status=RevisionStatus.PENDING).exists():
        raise Conflict(_("该服务已有一项收费或时间变更待审核，审核结束后才能再次修改。"))
    values, problems = clean_revision_data(data)
    if problems:
        raise InvalidInput(_("请更正标出的项目。"), problems)
    missing = missing_disclosures(values)
    if missing:
        raise _refuse_incomplete(missing)
    published = ServiceRevision.objects.select_related("category").get(pk=service.published_revision_id)
    changes = changed_fields(revision_values(published), values)
    if not changes:
        raise InvalidInput(_("没有任何修改。"))
    needs_approval = bool(APPROVAL_FIELDS & set(changes))
    last_number = (
        ServiceRevision.objects.filter(service=service)
        .order_by("-number")
        .values_list("number", flat=True)[0]
    )
    revision = ServiceRevision(
        service=service,
        number=last_number + 1,
        created_by=actor,
        needs_approval=needs_approval,
        changed_fields=changes,
    )
    _fill(revision, values)
    revision.save()
    _bump_version(service, version)
    if needs_approval:
        apply_transition(
            workflow=REVISION,
            obj=revision,
            action="submit",
            actor=actor,
            roles=roles,
            updates={"submitted_at": timezone.now()},
        )
        notify(
            reviewers_of(service.provider_district_id),
            title=_("服务收费或时间变更待审核：%(title)s") % {"title": revision.title},
            body=_("%(provider)s 修改了服务“%(title)s”的收费或时间，需审核后生效。")
            % {"provider": service.provider.name, "title": revision.title},
            url=reverse("catalog:review-revision", args=[revision.pk]),
        )
    else:
        apply_transition(
            workflow=REVISION,
            obj=revision,
            action="publish_directly",
            actor=actor,
            roles=roles,
            updates={"submitted_at": timezone.now(), "decided_at": timezone.now()},
        )
        if service.status in (ServiceStatus.PUBLISHED, ServiceStatus.SUSPENDED, ServiceStatus.WITHDRAWN):
            _make_public(service, revision, actor)
    return revision


# --- the officer's decisions ------------------------------------------------------------------


def _pending_revision(revision: ServiceRevision) -> ServiceRevision:
    if revision.status != RevisionStatus.PENDING:
        raise Conflict(_("该版本已审核过（%(status)s）。") % {"status": revision.get_status_display()})
    return revision


@transaction.atomic
def revision_approve(*, actor: Any, revision: ServiceRevision, note: str = "") -> ServiceRevision:
    """Approve a first publication or a fee/time change: the revision becomes the public one."""
    service = Service.objects.select_related("provider").get(pk=revision.service_id)
    roles = roles_for(actor, service)
    if REVIEWER not in roles:
        raise NotAllowed(_("只有服务机构所在区县的主管部门可以审核。"))
    _pending_revision(revision)
    apply_transition(
        workflow=REVISION,
        obj=revision,
        action="approve",
        actor=actor,
        roles=roles,
        note=note,
        updates={"decided_by": actor, "decided_at": timezone.now(), "decision_note": note.strip()},
    )
    first = service.status == ServiceStatus.PENDING
    if first:
        apply_transition(workflow=SERVICE, obj=service, action="approve", actor=actor, roles=roles, note=note)
    _make_public(service, revision, actor)
    notify(
        provider_people(service.provider_id),
        title=(_("服务已通过审核并发布：%(title)s") if first else _("服务变更已通过审核：%(title)s"))
        % {"title": revision.title},
        body=note,
        url=_service_url(service),
    )
    return revision


@transaction.atomic
def revision_return(*, actor: Any, revision: ServiceRevision, note: str) -> ServiceRevision:
    """Return a submission with a reason; a returned change leaves the public version as it was."""
    service = Service.objects.get(pk=revision.service_id)
    roles = roles_for(actor, service)
    if REVIEWER not in roles:
        raise NotAllowed(_("只有服务机构所在区县的主管部门可以审核。"))
    _pending_revision(revision)
    apply_transition(
        workflow=REVISION,
        obj=revision,
        action="return",
        actor=actor,
        roles=roles,
        note=note,
        updates={"decided_by": actor, "decided_at": timezone.now(), "decision_note": (note or "").strip()},
    )
    if service.status == ServiceStatus.PENDING:
        apply_transition(
            workflow=SERVICE,
            obj=service,
            action="return",
            actor=actor,
            roles=roles,
            note=note,
            updates={"version": F("version") + 1},
        )
    notify(
        provider_people(service.provider_id),
        title=_("服务审核被退回：%(title)s") % {"title": revision.title},
        body=note,
        url=_service_url(service),
    )
    return revision


def _service_transition(
    *, actor: Any, service: Service, action: str, note: str = "", version: int | None = None, **updates: Any
) -> Service:
    roles = roles_for(actor, service)
    if not roles:
        raise NotAllowed(_("您无权处理该服务。"))
    _check_version(service, version)
    apply_transition(
        workflow=SERVICE,
        obj=service,
        action=action,
        actor=actor,
        roles=roles,
        note=note,
        updates={"version": F("version") + 1, **updates},
    )
    search.index_services([service.pk])
    return service


@transaction.atomic
def service_suspend(*, actor: Any, service: Service, note: str, version: int | None = None) -> Service:
    """An officer takes a published service off the catalogue, with a reason the provider sees."""
    _service_transition(
        actor=actor,
        service=service,
        action="suspend",
        note=note,
        version=version,
        suspension_reason=note.strip(),
    )
    notify(
        provider_people(service.provider_id),
        title=_("服务已被主管部门暂停：%(title)s") % {"title": service.title},
        body=note,
        url=_service_url(service),
    )
    return service


@transaction.atomic
def service_resume(*, actor: Any, service: Service, note: str = "", version: int | None = None) -> Service:
    _service_transition(
        actor=actor, service=service, action="resume", note=note, version=version, suspension_reason=""
    )
    notify(
        provider_people(service.provider_id),
        title=_("服务已恢复：%(title)s") % {"title": service.title},
        body=note,
        url=_service_url(service),
    )
    return service


@transaction.atomic
def service_withdraw(*, actor: Any, service: Service, note: str = "", version: int | None = None) -> Service:
    """The provider takes its service off the catalogue (orders already placed go on)."""
    return _service_transition(actor=actor, service=service, action="withdraw", note=note, version=version)


@transaction.atomic
def service_republish(*, actor: Any, service: Service, version: int | None = None) -> Service:
    """The provider puts a withdrawn service back, as last approved."""
    return _service_transition(actor=actor, service=service, action="republish", version=version)


# --- attachments ------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(*, actor: Any, service: Service, kind: str, upload: UploadedFile) -> ServiceAttachment:
    """A brochure or sample report, checked by content before it is stored."""
    if PROVIDER not in roles_for(actor, service):
        raise NotAllowed(_("只有本机构的成员可以上传附件。"))
    if kind not in AttachmentKind.values:
        raise InvalidInput(_("请选择附件类型。"), {"kind": [_("请选择附件类型。")]})
    info = inspect_upload(upload, allowed=ATTACHMENT_KINDS, field="file")
    name = default_storage.save(storage_path("catalog/attachments", info), upload)
    attachment = ServiceAttachment.objects.create(
        service=service,
        kind=kind,
        file=name,
        label=info.label,
        file_kind=info.kind,
        content_type=info.content_type,
        size=info.size,
        sha256=info.sha256,
        uploaded_by=actor,
    )
    audit.record(
        "catalog_service.attachment_add",
        actor=actor,
        obj=service,
        summary=_("上传附件：%(label)s") % {"label": info.label},
        changes={"attachment": attachment.pk, "sha256": info.sha256},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, actor: Any, attachment: ServiceAttachment) -> ServiceAttachment:
    """Take an attachment off the service page (the file is kept, like every version)."""
    service = attachment.service
    if PROVIDER not in roles_for(actor, service):
        raise NotAllowed(_("只有本机构的成员可以删除附件。"))
    if ServiceAttachment.objects.filter(pk=attachment.pk, is_current=True).update(is_current=False) == 0:
        raise Conflict(_("该附件已被删除。"))
    audit.record(
        "catalog_service.attachment_remove",
        actor=actor,
        obj=service,
        summary=_("删除附件：%(label)s") % {"label": attachment.label},
    )
    attachment.is_current = False
    return attachment


def reindex_all(batch: int = 5000) -> int:
    """Rebuild the whole search index (after a change of the segmentation); returns services seen."""
    ids: Iterable[int] = Service.objects.order_by("pk").values_list("pk", flat=True)
    chunk: list[int] = []
    seen = 0
    for pk in ids.iterator(chunk_size=batch):  # type: ignore[attr-defined]
        chunk.append(pk)
        if len(chunk) >= batch:
            search.index_services(chunk)
            seen += len(chunk)
            chunk = []
    if chunk:
        search.index_services(chunk)
        seen += len(chunk)
    return seen
