"""What changed between two revisions, as the provider's history and the officer's review show it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sme.regions.selectors import districts

from ..disclosures import MONEY_FIELDS, changed_fields, revision_values
from ..models import FeeType, ServiceRevision
from ..templatetags.catalog_tags import yuan


def field_display(revision: ServiceRevision, name: str, district_names: dict[int, str]) -> str:
    value = getattr(revision, name, None)
    if name == "category":
        return revision.category.name
    if name == "process_steps":
        return " → ".join(value or []) or "—"
    if name in MONEY_FIELDS:
        return yuan(value)
    if name == "fee_type":
        return str(FeeType(value).label) if value else "—"
    if name in ("serves_all_districts", "districts_only"):
        return _("是") if value else _("否")
    if name == "district_ids":
        return "、".join(district_names.get(d, str(d)) for d in value or []) or "—"
    if value in (None, ""):
        return "—"
    return str(value)


def diff_rows(old: ServiceRevision | None, new: ServiceRevision) -> list[tuple[str, str, str]]:
    """(label, before, after) for each field that differs between two revisions."""
    if old is None:
        return []
    names = changed_fields(revision_values(old), revision_values(new))
    ids = set(old.district_ids or []) | set(new.district_ids or [])
    district_names = (
        dict(districts().filter(pk__in=ids).values_list("pk", "name")) if "district_ids" in names else {}
    )
    return [
        (
            str(getattr(ServiceRevision._meta.get_field(name), "verbose_name", name)),
            field_display(old, name, district_names),
            field_display(new, name, district_names),
        )
        for name in names
    ]


def history_rows(
    revisions: list[ServiceRevision],
) -> list[tuple[ServiceRevision, list[tuple[str, str, str]]]]:
    """Each revision (newest first) with what it changed from the one before it."""
    rows = []
    for i, revision in enumerate(revisions):
        previous = revisions[i + 1] if i + 1 < len(revisions) else None
        rows.append((revision, diff_rows(previous, revision) if previous else []))
    return rows
