"""Writing a batch of checked registry rows: the one place that inserts and updates in bulk.

For each batch the writer reads what exists for those credit codes (four queries), decides per row
whether it is new, changed or unchanged, and writes only new and changed rows: ``COPY`` on
PostgreSQL and a prepared ``INSERT`` stepped per row on SQLite for new rows (the new organizations'
ids are known without looking them up), ``executemany`` ``UPDATE`` for changed ones. Raw SQL rather
than ``bulk_create`` because building a million model instances three times over costs more than the
rest of the import.

Who owns which facts (so a self-registered enterprise never loses what it entered):

- an organization with no active member exists only because of registry imports: the file is its
  source, and a row overwrites its name, district, legal representative, address, industry code,
  flags and that year's figures;
- an organization with members keeps its own facts: a row only fills what is empty (industry code,
  a year with no figures, a flag not yet set) and every difference it leaves alone is reported as a
  note on the import report.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from sme.core import audit
from sme.core.messages import msg
from sme.organizations.models import Membership, MembershipStatus, Organization, OrganizationKind
from sme.regions.models import Region

from ..classification import Classification, Classifier
from ..models import EnterpriseProfile, EnterpriseYearFigures
from . import sql
from .rows import FLAG_KEYS, DistrictInfo, ParsedRow, region_mismatch

PROFILE_COLUMNS = (
    "organization_id",
    "industry_code",
    "industry_section",
    "is_tech_sme",
    "is_specialized_new",
    "is_high_tech",
    "size_class",
    "size_group",
    "size_standard_version",
    "size_figures_year",
    "size_figures",
    "size_reasons",
    "classified_at",
    "version",
    "updated_at",
)
FIGURES_COLUMNS = ("organization_id", "year", "employees", "revenue_wan", "assets_wan", "updated_at")
SIZE_KEYS = (
    "size_class",
    "size_group",
    "size_standard_version",
    "size_figures_year",
    "size_figures",
    "size_reasons",
)


@dataclass
class BatchOutcome:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[ParsedRow, str]] = field(default_factory=list)
    notes: list[tuple[ParsedRow, str]] = field(default_factory=list)


@dataclass
class _Plan:
    """What one row will write."""

    row: ParsedRow
    org_id: int | None
    org_update: dict[str, Any] | None = None
    profile_id: int | None = None
    profile_values: dict[str, Any] | None = None  # insert or update
    figures_id: int | None = None
    figures_values: dict[str, Any] | None = None
    changes: dict[str, list[Any]] = field(default_factory=dict)


def _profile_row(org_id: int, v: dict[str, Any], stamp: Any) -> tuple[Any, ...]:
    """A profile row in ``PROFILE_COLUMNS`` order (the JSON values already encoded)."""
    return (
        org_id,
        v["industry_code"],
        v["industry_section"],
        v["is_tech_sme"],
        v["is_specialized_new"],
        v["is_high_tech"],
        v["size_class"],
        v["size_group"],
        v["size_standard_version"],
        v["size_figures_year"],
        v["size_figures"],
        v["size_reasons"],
        stamp,
        1,
        stamp,
    )


class Writer:
    """Writes batches for one import run. ``dry_run`` decides and counts without writing."""

    def __init__(
        self,
        *,
        actor: Any,
        classifier: Classifier,
        districts: dict[int, DistrictInfo],
        allowed_ids: frozenset[int] | None,
        source_label: str,
        dry_run: bool = False,
    ) -> None:
        self.actor = actor
        self.actor_id = getattr(actor, "pk", None)
        self.classifier = classifier
        self.districts = districts
        self.allowed_ids = allowed_ids
        self.source_label = source_label
        self.dry_run = dry_run
        self._json = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode

    def prepare(self, row: ParsedRow) -> None:
        """Classify ``row`` as a new enterprise would be (its own figures are the only ones), while
        the file is being read; an existing enterprise is classified again when written."""
        result = self.classifier.classify(
            row.industry_code, row.year, row.employees, row.revenue_wan, row.assets_wan
        )
        row.size = (
            result.size_class,
            result.group,
            result.standard_version,
            result.figures_year,
            self._json(result.figures),
            self._json(result.reasons),
        )

    # --- reading what exists -----------------------------------------------------------------------

    def _existing(
        self, rows: list[ParsedRow]
    ) -> tuple[
        dict[str, dict[str, Any]], set[int], dict[int, dict[str, Any]], dict[int, dict[int, dict[str, Any]]]
    ]:
        codes = [r.uscc for r in rows]
        keys = ("id", "uscc", "kind", "name", "district_id", "legal_representative", "address")
        columns = ", ".join(connection.ops.quote_name(k) for k in keys)
        orgs: dict[str, dict[str, Any]] = {}
        for values in sql.select_in(
            f"SELECT {columns} FROM {sql.table_name(Organization)} WHERE ", "uscc", codes
        ):
            orgs[values[1]] = dict(zip(keys, values, strict=True))
        if not orgs:
            return orgs, set(), {}, {}
        ids = [o["id"] for o in orgs.values()]
        members = {
            r[0]
            for r in sql.select_in(
                f'SELECT DISTINCT "organization_id" FROM {sql.table_name(Membership)} WHERE "status" = %s AND ',
                "organization_id",
                ids,
                [MembershipStatus.ACTIVE.value],
            )
        }
        profile_keys = ("id", "organization_id", "industry_code", "industry_section", *FLAG_KEYS, *SIZE_KEYS)
        columns = ", ".join(connection.ops.quote_name(k) for k in profile_keys)
        profiles: dict[int, dict[str, Any]] = {}
        for values in sql.select_in(
            f"SELECT {columns} FROM {sql.table_name(EnterpriseProfile)} WHERE ", "organization_id", ids
        ):
            p = dict(zip(profile_keys, values, strict=True))
            for k in FLAG_KEYS:
                p[k] = bool(p[k])
            p["size_figures"] = sql.json_value(p["size_figures"])
            p["size_reasons"] = sql.json_value(p["size_reasons"])
            profiles[p["organization_id"]] = p
        figures: dict[int, dict[int, dict[str, Any]]] = {}
        figure_keys = ("id", "organization_id", "year", "employees", "revenue_wan", "assets_wan")
        columns = ", ".join(connection.ops.quote_name(k) for k in figure_keys)
        for values in sql.select_in(
            f"SELECT {columns} FROM {sql.table_name(EnterpriseYearFigures)} WHERE ", "organization_id", ids
        ):
            f = dict(zip(figure_keys, values, strict=True))
            f["revenue_wan"] = sql.stored_decimal(f["revenue_wan"])
            f["assets_wan"] = sql.stored_decimal(f["assets_wan"])
            figures.setdefault(f["organization_id"], {})[f["year"]] = f
        return orgs, members, profiles, figures

    # --- deciding -----------------------------------------------------------------------------------

    def _classify(self, industry_code: str, years: dict[int, dict[str, Any]]) -> Classification:
        if not years:
            return self.classifier.classify(industry_code, None, None, None, None)
        latest = years[max(years)]
        return self.classifier.classify(
            industry_code, latest["year"], latest["employees"], latest["revenue_wan"], latest["assets_wan"]
        )

    def _size_values(self, result: Classification) -> dict[str, Any]:
        return result.as_fields()

    def write(self, rows: list[ParsedRow], now: dt.datetime) -> BatchOutcome:
        outcome = BatchOutcome()
        orgs, members, profiles, figures = self._existing(rows)
        plans: list[_Plan] = []
        new_rows: list[ParsedRow] = []
        for row in rows:
            org = orgs.get(row.uscc)
            if org is None:
                if row.size is None:
                    self.prepare(row)
                new_rows.append(row)
                continue
            if org["kind"] != OrganizationKind.ENTERPRISE:
                outcome.errors.append(
                    (
                        row,
                        _("统一社会信用代码 %(code)s 已由「%(name)s」注册为%(kind)s，不能作为企业导入。")
                        % {
                            "code": row.uscc,
                            "name": org["name"],
                            "kind": OrganizationKind(org["kind"]).label,
                        },
                    )
                )
                continue
            if self.allowed_ids is not None and org["district_id"] not in self.allowed_ids:
                outcome.errors.append(
                    (
                        row,
                        _(
                            "统一社会信用代码 %(code)s 的企业「%(name)s」登记在%(district)s，不在您的管辖范围内。"
                        )
                        % {
                            "code": row.uscc,
                            "name": org["name"],
                            "district": self._district_name(org["district_id"]),
                        },
                    )
                )
                continue
            plan = self._plan_existing(
                row, org, org["id"] in members, profiles.get(org["id"]), figures.get(org["id"], {}), outcome
            )
            if plan.org_update or plan.profile_values or plan.figures_values:
                plans.append(plan)
                outcome.updated += 1
            else:
                outcome.unchanged += 1
        outcome.inserted = len(new_rows)
        if not self.dry_run:
            self._insert_new(new_rows, now)
            self._apply(plans, now)
        return outcome

    def _figures_values(self, row: ParsedRow) -> dict[str, Any]:
        return {
            "year": row.year,
            "employees": row.employees,
            "revenue_wan": row.revenue_wan,
            "assets_wan": row.assets_wan,
        }

    def _plan_existing(
        self,
        row: ParsedRow,
        org: dict[str, Any],
        owned: bool,
        profile: dict[str, Any] | None,
        years: dict[int, dict[str, Any]],
        outcome: BatchOutcome,
    ) -> _Plan:
        plan = _Plan(row, org["id"], profile_id=profile["id"] if profile else None)
        notes: list[str] = []
        # organization facts
        wanted = {"name": row.name, "district_id": row.district_id}
        if row.legal_representative is not None:
            wanted["legal_representative"] = row.legal_representative
        if row.address is not None:
            wanted["address"] = row.address
        differing = {k: v for k, v in wanted.items() if org[k] != v}
        if differing and owned:
            notes.append(_("企业已有用户，名称、区县、法定代表人和地址以企业自己填写的为准，未按文件修改"))
        elif differing:
            plan.org_update = differing
            plan.changes.update(audit.diff({k: org[k] for k in differing}, differing))
        # profile: industry and flags
        current = profile or {"industry_code": "", "industry_section": "", **dict.fromkeys(FLAG_KEYS, False)}
        values: dict[str, Any] = {}
        if row.industry_code != current["industry_code"]:
            if not owned or not current["industry_code"]:
                values["industry_code"] = row.industry_code
                values["industry_section"] = row.industry_section
            else:
                notes.append(_("行业代码以企业自己填写的 %(code)s 为准") % {"code": current["industry_code"]})
        for key in FLAG_KEYS:
            flag = row.flags.get(key)
            if flag is None or flag == current[key]:
                continue
            if not owned or flag:
                values[key] = flag
            else:
                notes.append(_("企业资质标记以企业自己填写的为准"))
        # that year's figures
        years = dict(years)
        wanted_figures = self._figures_values(row)
        existing = years.get(row.year)
        if existing is None or (not owned and any(existing[k] != wanted_figures[k] for k in wanted_figures)):
            plan.figures_id = existing["id"] if existing else None
            plan.figures_values = wanted_figures
            before = {
                k: existing[k] if existing else None for k in ("employees", "revenue_wan", "assets_wan")
            }
            plan.changes.update(
                {
                    f"{row.year}.{k}": v
                    for k, v in audit.diff(before, {k: wanted_figures[k] for k in before}).items()
                }
            )
            years[row.year] = {**wanted_figures, "id": plan.figures_id}
        elif any(existing[k] != wanted_figures[k] for k in wanted_figures):
            notes.append(_("%(year)s 年度数据以企业自己填报的为准") % {"year": row.year})
        # the size class from the latest year, with the industry as it will be
        industry = values.get("industry_code", current["industry_code"])
        result = self._size_values(self._classify(industry, years))
        size_changes = {k: v for k, v in result.items() if profile is None or profile[k] != v}
        if values or size_changes or profile is None:
            plan.changes.update(audit.diff({k: current[k] for k in values}, values))
            if profile is not None and "size_class" in size_changes:
                plan.changes["size_class"] = [profile["size_class"], result["size_class"]]
            plan.profile_values = (
                {**current, **values, **result} if profile is None else {**values, **size_changes}
            )
        if notes:
            outcome.notes.append((row, "；".join(dict.fromkeys(notes)) + "。"))
        return plan

    # --- writing --------------------------------------------------------------------------------------

    def _insert_new(self, rows: list[ParsedRow], now: dt.datetime) -> None:
        """New enterprises: organization, profile and figures rows, built straight from the checked
        rows (in credit-code order, which keeps the credit-code index's pages together)."""
        if not rows:
            return
        rows = sorted(rows, key=lambda r: r.uscc)
        stamp = connection.ops.adapt_datetimefield_value(now)
        actor_id = self.actor_id
        districts = self.districts
        enterprise = OrganizationKind.ENTERPRISE.value
        org_rows = [
            (
                enterprise,
                r.name,
                r.uscc,
                r.legal_representative or "",
                r.district_id,
                r.address or "",
                r.legal_representative or "",
                "",
                "",
                region_mismatch(r.uscc, districts[r.district_id]),
                "verified",
                "",
                None,
                stamp,
                actor_id,
                1,
                stamp,
                stamp,
            )
            for r in rows
        ]
        ids = sql.insert_organizations(org_rows, [r.uscc for r in rows])
        profile_rows = []
        figure_rows = []
        for org_id, r in zip(ids, rows, strict=True):
            flags = r.flags
            size = r.size
            assert size is not None
            profile_rows.append(
                (
                    org_id,
                    r.industry_code,
                    r.industry_section,
                    bool(flags.get("is_tech_sme")),
                    bool(flags.get("is_specialized_new")),
                    bool(flags.get("is_high_tech")),
                    *size,
                    stamp,
                    1,
                    stamp,
                )
            )
            figure_rows.append((org_id, r.year, r.employees, r.revenue_wan, r.assets_wan, stamp))
        sql.insert_rows(EnterpriseProfile, PROFILE_COLUMNS, profile_rows)
        sql.insert_rows(EnterpriseYearFigures, FIGURES_COLUMNS, figure_rows)

    def _apply(self, plans: list[_Plan], now: dt.datetime) -> None:
        ops = connection.ops
        stamp = ops.adapt_datetimefield_value(now)
        enc = self._json
        dec = self._decimal
        if not plans:
            return
        # organizations of the file: each changed row is audited with what changed
        org_updates: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        new_profiles = []
        profile_updates: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        figure_inserts = []
        figure_updates = []
        for p in plans:
            target_id = p.org_id
            assert target_id is not None
            if p.org_update:
                values = dict(p.org_update)
                if "district_id" in values:
                    values["region_mismatch"] = region_mismatch(
                        p.row.uscc, self.districts[values["district_id"]]
                    )
                values["updated_at"] = stamp
                org_updates.setdefault(tuple(values), []).append((*values.values(), target_id))
            if p.profile_values is not None:
                v = dict(p.profile_values)
                if any(k in v for k in SIZE_KEYS):
                    v["classified_at"] = stamp
                for k in ("size_figures", "size_reasons"):
                    if k in v:
                        v[k] = enc(v[k])
                v["updated_at"] = stamp
                if p.profile_id is None:
                    new_profiles.append(_profile_row(target_id, v, stamp))
                else:
                    profile_updates.setdefault(tuple(v), []).append((*v.values(), p.profile_id))
            if p.figures_values is not None:
                f = p.figures_values
                if p.figures_id is None:
                    figure_inserts.append(
                        (
                            target_id,
                            f["year"],
                            f["employees"],
                            dec(f["revenue_wan"]),
                            dec(f["assets_wan"]),
                            stamp,
                        )
                    )
                else:
                    figure_updates.append(
                        (f["employees"], dec(f["revenue_wan"]), dec(f["assets_wan"]), stamp, p.figures_id)
                    )
        for columns, rows in org_updates.items():
            sql.update_rows(Organization, columns, rows, bump_version=True)
        for columns, rows in profile_updates.items():
            sql.update_rows(EnterpriseProfile, columns, rows, bump_version=True)
        sql.insert_rows(EnterpriseProfile, PROFILE_COLUMNS, new_profiles)
        sql.insert_rows(EnterpriseYearFigures, FIGURES_COLUMNS, figure_inserts)
        sql.update_rows(
            EnterpriseYearFigures, ("employees", "revenue_wan", "assets_wan", "updated_at"), figure_updates
        )
        for p in plans:
            audit.record(
                "enterprise.import_update",
                actor=self.actor,
                object_type="organizations.organization",
                object_id=str(p.org_id),
                object_label=p.row.name,
                summary=msg(
                    "名录导入更新（%(source)s 第 %(line)s 行）", source=self.source_label, line=p.row.line
                ),
                changes=p.changes,
            )

    def _district_name(self, district_id: int) -> str:
        info = self.districts.get(district_id)
        if info is not None:
            return info.name
        return str(Region.objects.filter(pk=district_id).values_list("name", flat=True).first() or "")

    @staticmethod
    def _decimal(value: Decimal | None) -> Any:
        return connection.ops.adapt_decimalfield_value(value, 18, 4) if value is not None else None
