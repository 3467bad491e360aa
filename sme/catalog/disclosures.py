"""The five disclosures (五公开) of a revision as data: reading a provider's input, what is still
missing before publication, what changed between two versions, and the price a buyer can face.

Nothing here writes: the services (``services/``) call these, and so do the pages that show what is
missing or what changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sme.core import parsing
from sme.core.errors import InvalidInput
from sme.regions.selectors import districts as current_districts

from .models import FeeType, ServiceCategory, ServiceRevision

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
    "districts_only",
)
MONEY_LABELS = {
    "fee_amount": gettext_lazy("价格"),
    "fee_min": gettext_lazy("最低价"),
    "fee_max": gettext_lazy("最高价"),
    "small_micro_price": gettext_lazy("小微企业优惠价"),
}
DAY_LABELS = {
    "response_workdays": gettext_lazy("响应时限"),
    "delivery_workdays": gettext_lazy("交付时间"),
}
MONEY_FIELDS = tuple(MONEY_LABELS)
DAY_FIELDS = tuple(DAY_LABELS)
MAX_WORKDAYS = 365
MAX_STEPS = 30
DEFAULT_RESPONSE_WORKDAYS = 1

DISCLOSURE_LABELS = {
    "content": gettext_lazy("内容公开"),
    "process": gettext_lazy("流程公开"),
    "standard": gettext_lazy("标准公开"),
    "fee": gettext_lazy("收费公开"),
    "time": gettext_lazy("时间公开"),
}


# --- reading the provider's input ---------------------------------------------------------------


def _text(raw: Any, field: str, limit: int | None, problems: parsing.Problems) -> str:
    value = "" if raw is None else str(raw).strip()
    if limit is not None and len(value) > limit:
        problems.add(field, _("最多 %(n)s 个字。") % {"n": limit})
    return value


def _category(raw: Any, problems: parsing.Problems) -> ServiceCategory | None:
    if isinstance(raw, ServiceCategory):
        return raw
    if raw in (None, ""):
        return None
    lookup = {"pk": int(raw)} if str(raw).isdigit() else {"key": str(raw)}
    category = ServiceCategory.objects.filter(is_active=True, **lookup).first()
    if category is None:
        problems.add("category", _("没有这个服务类别。"))
    return category


def _steps(raw: Any, problems: parsing.Problems) -> list[str]:
    raw_steps = raw or []
    if isinstance(raw_steps, str):
        raw_steps = raw_steps.splitlines()
    steps = [str(s).strip() for s in raw_steps if str(s).strip()]
    if len(steps) > MAX_STEPS:
        problems.add("process_steps", _("服务流程最多 %(n)s 步。") % {"n": MAX_STEPS})
    if any(len(s) > 200 for s in steps):
        problems.add("process_steps", _("每个步骤最多 200 个字。"))
    return steps


def _district_ids(raw: Any, problems: parsing.Problems) -> list[int]:
    raw_districts = raw or []
    if isinstance(raw_districts, (str, int)):
        raw_districts = [raw_districts]
    district_ids: list[int] = []
    for value in raw_districts:
        try:
            district_ids.append(int(value))
        except (TypeError, ValueError):
            problems.add("district_ids", _("服务区县无效。"))
            break
    district_ids = sorted(set(district_ids))
    if district_ids:
        known = set(current_districts().filter(pk__in=district_ids).values_list("pk", flat=True))
        if set(district_ids) - known:
            problems.add("district_ids", _("服务区县中有不存在或已撤销的区县。"))
    return district_ids


def clean_revision_data(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The typed values of a provider's input and the problems with its form (not completeness)."""
    problems = parsing.Problems()
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
        problems.add("fee_type", _("请选择有效的收费方式。"))
        fee_type = ""
    values["fee_type"] = fee_type
    for name, label in MONEY_LABELS.items():
        values[name] = parsing.money(data.get(name), name, problems, label=label)
    for name, label in DAY_LABELS.items():
        values[name] = parsing.integer(
            data.get(name), name, problems, label=label, minimum=1, maximum=MAX_WORKDAYS, unit=_("工作日")
        )
    # Only the amounts the fee type uses are kept, so a stale hidden field never shows or flags.
    if fee_type in (FeeType.FIXED, FeeType.PER_UNIT):
        values["fee_min"] = values["fee_max"] = None
    elif fee_type == FeeType.RANGE:
        values["fee_amount"] = None
    elif fee_type == FeeType.FREE:
        values["fee_amount"] = values["fee_min"] = values["fee_max"] = None
    if fee_type != FeeType.PER_UNIT:
        values["fee_unit"] = ""
    values["process_steps"] = _steps(data.get("process_steps"), problems)
    district_ids = _district_ids(data.get("district_ids"), problems)
    values["district_ids"] = [] if values["serves_all_districts"] else district_ids
    # Serving the whole city, no enterprise is outside: "only its districts" means nothing then.
    values["districts_only"] = bool(data.get("districts_only")) and not values["serves_all_districts"]

    if not values["title"]:
        problems.add("title", _("请填写服务名称。"))
    if values["category"] is None and "category" not in problems:
        problems.add("category", _("请选择服务类别。"))
    return values, problems.by_field


# --- completeness -------------------------------------------------------------------------------


def _missing_fee(values: Mapping[str, Any], need: Any) -> None:
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
    _missing_fee(values, need)
    if not values.get("delivery_workdays"):
        need("time", "delivery_workdays", _("时间公开：请填写交付时间（工作日）。"))
    if not (values.get("service_hours") or "").strip():
        need("time", "service_hours", _("时间公开：请填写服务时间（如“工作日 9:00—17:30”）。"))
    if values.get("category") is None and not values.get("category_id"):
        need("scope", "category", _("请选择服务类别。"))
    if not values.get("serves_all_districts") and not values.get("district_ids"):
        need("scope", "district_ids", _("请至少选择一个服务区县，或选择“服务全市”。"))
    return missing


def incomplete_error(missing: Mapping[str, Mapping[str, list[str]]]) -> InvalidInput:
    """The refusal of an incomplete revision, naming each missing disclosure and field."""
    names = [str(DISCLOSURE_LABELS[g]) for g in DISCLOSURE_LABELS if g in missing]
    if "scope" in missing:
        names.append(_("服务类别和区域"))
    fields: dict[str, list[str]] = {}
    for group in missing.values():
        for field, messages in group.items():
            fields.setdefault(field, []).extend(messages)
    return InvalidInput(_("“五公开”信息不完整，不能提交：%(names)s。") % {"names": "、".join(names)}, fields)


# --- versions compared --------------------------------------------------------------------------


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


def fill_revision(revision: ServiceRevision, values: Mapping[str, Any]) -> None:
    """Write the read values onto an unsaved (or draft) revision."""
    for name in REVISION_FIELDS:
        if name == "category":
            revision.category = values["category"]
        else:
            setattr(revision, name, values[name])
    if revision.response_workdays is None:
        revision.response_workdays = DEFAULT_RESPONSE_WORKDAYS


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
