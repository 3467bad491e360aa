"""Profile and yearly-figure edits: checks, compare-and-set, audit, size class recomputed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.models import AuditLog
from sme.enterprises import services
from sme.enterprises.models import EnterpriseProfile, EnterpriseYearFigures
from sme.enterprises.reasons import render_reasons
from sme.organizations.models import Membership
from sme.testing.factories import OrganizationFactory, UserFactory

LAST_YEAR = dt.date.today().year - 1


def _profile(org, actor, code="C", **flags):
    return services.enterprise_profile_update(
        actor=actor,
        organization=org,
        expected_version=EnterpriseProfile.objects.filter(organization=org)
        .values_list("version", flat=True)
        .first()
        or 1,
        industry_code=code,
        is_tech_sme=flags.get("is_tech_sme", False),
        is_specialized_new=flags.get("is_specialized_new", False),
        is_high_tech=flags.get("is_high_tech", False),
    )


def _figures(org, actor, year=LAST_YEAR, employees=50, revenue="1500", assets="800", version=None):
    if version is None:
        version = (
            EnterpriseProfile.objects.filter(organization=org).values_list("version", flat=True).first() or 1
        )
    return services.enterprise_figures_set(
        actor=actor,
        organization=org,
        expected_version=version,
        year=year,
        employees=employees,
        revenue_wan=None if revenue is None else Decimal(revenue),
        assets_wan=None if assets is None else Decimal(assets),
    )


def test_profile_update_stores_code_flags_and_audits(own_enterprise, enterprise_owner):
    profile = _profile(own_enterprise, enterprise_owner, code="591", is_specialized_new=True)
    assert (profile.industry_code, profile.industry_section, profile.is_specialized_new) == ("591", "G", True)
    assert profile.version == 2
    row = AuditLog.objects.get(action="enterprise.profile_update")
    assert row.actor == enterprise_owner
    assert row.object_id == str(own_enterprise.pk)
    assert row.changes["industry_code"] == ["", "591"]
    assert row.changes["is_specialized_new"] == [False, True]


def test_profile_without_figures_is_not_classified_and_says_why(own_enterprise, enterprise_owner):
    profile = _profile(own_enterprise, enterprise_owner, code="C")
    assert profile.size_class == ""
    assert profile.size_group == 2
    assert any("尚未填写年度数据" in r for r in render_reasons(profile.size_reasons))


def test_figures_set_classifies_with_group_figures_and_rule_version(own_enterprise, enterprise_owner):
    _profile(own_enterprise, enterprise_owner, code="C")
    _figures(own_enterprise, enterprise_owner, employees=50, revenue="1500")
    profile = EnterpriseProfile.objects.get(organization=own_enterprise)
    assert profile.size_class == "small"
    assert profile.size_group == 2
    assert profile.size_standard_version == "2011"
    assert profile.size_figures_year == LAST_YEAR
    assert profile.size_figures == {"employees": 50, "revenue": "1500"}
    assert render_reasons(profile.size_reasons)[0].startswith("行业代码 C（制造业）属于第2组“工业”")
    assert profile.classified_at is not None
    audit_row = AuditLog.objects.get(action="enterprise.figures_set")
    assert audit_row.changes["size_class"] == ["", "small"]


def test_size_class_is_recomputed_when_figures_change(own_enterprise, enterprise_owner):
    _profile(own_enterprise, enterprise_owner, code="C")
    _figures(own_enterprise, enterprise_owner, employees=50, revenue="1500")
    _figures(own_enterprise, enterprise_owner, employees=350, revenue="2500")
    profile = EnterpriseProfile.objects.get(organization=own_enterprise)
    assert profile.size_class == "medium"
    assert profile.size_figures == {"employees": 350, "revenue": "2500"}
    assert EnterpriseYearFigures.objects.filter(organization=own_enterprise).count() == 1


def test_the_latest_year_decides(own_enterprise, enterprise_owner):
    _profile(own_enterprise, enterprise_owner, code="C")
    _figures(own_enterprise, enterprise_owner, year=LAST_YEAR, employees=5, revenue="100")
    _figures(own_enterprise, enterprise_owner, year=LAST_YEAR - 1, employees=2000, revenue="90000")
    profile = EnterpriseProfile.objects.get(organization=own_enterprise)
    assert (profile.size_class, profile.size_figures_year) == ("micro", LAST_YEAR)


def test_industry_change_recomputes_the_class(own_enterprise, enterprise_owner):
    _profile(own_enterprise, enterprise_owner, code="C")
    _figures(own_enterprise, enterprise_owner, employees=30, revenue="60")  # 工业: below 300 万元 → micro
    assert EnterpriseProfile.objects.get(organization=own_enterprise).size_class == "micro"
    profile = _profile(own_enterprise, enterprise_owner, code="65")  # 软件: X 30 ≥ 10, Y 60 ≥ 50 → small
    assert (profile.size_class, profile.size_group) == ("small", 12)


def test_not_classifiable_industry_keeps_the_reason_never_a_guess(own_enterprise, enterprise_owner):
    _figures(own_enterprise, enterprise_owner, employees=5000, revenue="900000")
    profile = _profile(own_enterprise, enterprise_owner, code="J")
    assert profile.size_class == ""
    assert profile.size_group is None
    assert render_reasons(profile.size_reasons) == [
        "金融业适用《金融业企业划型标准规定》（银发〔2015〕309号），不能按本标准划型。"
    ]


def test_missing_figure_the_group_needs_is_named(own_enterprise, enterprise_owner):
    _profile(own_enterprise, enterprise_owner, code="E")  # 建筑业: revenue and assets
    _figures(own_enterprise, enterprise_owner, employees=10, revenue="500", assets=None)
    profile = EnterpriseProfile.objects.get(organization=own_enterprise)
    assert profile.size_class == ""
    assert profile.size_group == 3
    assert any("缺少资产总额" in r for r in render_reasons(profile.size_reasons))


def test_profile_edit_conflict_changes_nothing(own_enterprise, enterprise_owner):
    _profile(own_enterprise, enterprise_owner, code="C")  # version 2
    stale = 1
    with pytest.raises(Conflict) as exc:
        services.enterprise_profile_update(
            actor=enterprise_owner,
            organization=own_enterprise,
            expected_version=stale,
            industry_code="65",
            is_tech_sme=True,
            is_specialized_new=False,
            is_high_tech=False,
        )
    assert "已被他人修改" in exc.value.message
    profile = EnterpriseProfile.objects.get(organization=own_enterprise)
    assert (profile.industry_code, profile.is_tech_sme, profile.version) == ("C", False, 2)
    assert AuditLog.objects.filter(action="enterprise.profile_update").count() == 1


def test_figures_conflict_after_a_profile_edit(own_enterprise, enterprise_owner):
    _profile(own_enterprise, enterprise_owner, code="C")
    with pytest.raises(Conflict):
        _figures(own_enterprise, enterprise_owner, version=1)
    assert not EnterpriseYearFigures.objects.filter(organization=own_enterprise).exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"year": 1999}, "year"),
        ({"year": dt.date.today().year + 1}, "year"),
        ({"employees": -1}, "employees"),
        ({"revenue": "-5"}, "revenue_wan"),
        ({"assets": "1.23456"}, "assets_wan"),
        ({"employees": None, "revenue": None, "assets": None}, "__all__"),
    ],
)
def test_bad_figures_are_refused_with_a_field_error(own_enterprise, enterprise_owner, kwargs, field):
    with pytest.raises(InvalidInput) as exc:
        _figures(own_enterprise, enterprise_owner, **kwargs)
    assert field in exc.value.field_errors
    assert not EnterpriseYearFigures.objects.exists()
    assert not AuditLog.objects.filter(action="enterprise.figures_set").exists()


def test_unknown_industry_code_is_refused(own_enterprise, enterprise_owner):
    with pytest.raises(InvalidInput) as exc:
        _profile(own_enterprise, enterprise_owner, code="ZZ")
    assert "industry_code" in exc.value.field_errors
    assert not EnterpriseProfile.objects.exists()


def test_four_digit_code_below_a_loaded_division_is_accepted(own_enterprise, enterprise_owner):
    profile = _profile(own_enterprise, enterprise_owner, code="7010")
    _figures(own_enterprise, enterprise_owner, employees=10, revenue="150", assets="2500")
    profile.refresh_from_db()
    assert (profile.industry_code, profile.industry_section, profile.size_group) == ("7010", "K", 13)


@pytest.mark.parametrize("who", ["plain_member", "officer", "other_owner", "provider"])
def test_only_managers_of_the_enterprise_may_edit(
    own_enterprise, who, district_officer, provider_user, yuzhong
):
    if who == "plain_member":
        actor = UserFactory(role="enterprise")
        Membership.objects.create(organization=own_enterprise, user=actor, role="member", status="active")
    elif who == "officer":
        actor = UserFactory(role="district_officer", jurisdiction=yuzhong)
    elif who == "other_owner":
        actor = UserFactory(role="enterprise")
        OrganizationFactory(owner=actor, district=yuzhong)
    else:
        actor = provider_user
    with pytest.raises(NotAllowed):
        _profile(own_enterprise, actor)
    with pytest.raises(NotAllowed):
        _figures(own_enterprise, actor)
    assert not EnterpriseProfile.objects.exists()


def test_a_provider_has_no_enterprise_profile(provider_user):
    org = provider_user.memberships.get().organization
    with pytest.raises(InvalidInput):
        _profile(org, provider_user)
