"""Peer keys, the pre-aggregated peer table and the five-peer threshold."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.core.management import call_command

from sme.assessment.models import PeerStat
from sme.assessment.peers import MIN_PEERS, peer_comparison, peer_keys_for, rebuild_peer_stats
from sme.assessment.tasks import rebuild_assessment_peers
from sme.assessment.tests.factories import ResponseFactory, days_ago, questionnaire
from sme.testing.factories import OrganizationFactory


class RaisingProfile:
    """An organization whose profile row is missing: the reverse one-to-one raises."""

    district = SimpleNamespace(code="500101")

    @property
    def enterprise_profile(self):
        raise ObjectDoesNotExist("no profile")


def test_peer_keys_without_a_profile():
    keys = peer_keys_for(RaisingProfile())
    assert (keys.district_code, keys.size_class, keys.size_group, keys.industry_code) == (
        "500101",
        "",
        None,
        "",
    )
    keys = peer_keys_for(SimpleNamespace(district=SimpleNamespace(code="500103")))  # no attribute at all
    assert (keys.district_code, keys.size_class, keys.size_group) == ("500103", "", None)


def test_peer_keys_from_a_profile():
    org = SimpleNamespace(
        district=SimpleNamespace(code="500103"),
        enterprise_profile=SimpleNamespace(industry_code="3311", size_class="small", size_group=2),
    )
    keys = peer_keys_for(org)
    assert (keys.district_code, keys.size_class, keys.size_group, keys.industry_code) == (
        "500103",
        "small",
        2,
        "3311",
    )
    assert keys.key_for("industry_group") == "2" and keys.key_for("size_class") == "small"


def _response(total, district, size_class="small", size_group=2, latest=True, **kw):
    org = kw.pop("organization", None) or OrganizationFactory(district=district, verified=True)
    return ResponseFactory(
        organization=org,
        submitted=True,
        total=Decimal(total),
        dimension_scores={"foundation": float(total) / 2, "management": float(total) / 4},
        size_class=size_class,
        size_group=size_group,
        is_latest=latest,
        **kw,
    )


def test_rebuild_groups_by_kind_and_counts_only_the_latest_response(wanzhou, yuzhong):
    a = _response(40, wanzhou)
    _response(60, wanzhou, size_class="medium")
    _response(80, yuzhong, size_group=None, size_class="")
    _response(10, wanzhou, latest=False, organization=a.organization, submitted_at=days_ago(300))  # a's T0
    ResponseFactory(organization=OrganizationFactory(district=wanzhou))  # a draft: never counted
    counts = rebuild_peer_stats()
    assert counts == {"industry_group": 1, "size_class": 2, "district": 2}
    stats = {(s.kind, s.key): s for s in PeerStat.objects.all()}
    # 万州区: 40 and 60 → 50 (the T0 of 10 is not the latest); 渝中区: 80
    assert (stats["district", "500101"].respondents, stats["district", "500101"].mean_total) == (
        2,
        Decimal(50),
    )
    assert stats["district", "500103"].mean_total == Decimal(80)
    # industry group 2: the two with a profile (40, 60) → 50; foundation = total / 2 → (20 + 30) / 2 = 25
    assert stats["industry_group", "2"].respondents == 2
    assert stats["industry_group", "2"].dimension_means == {"foundation": 25.0, "management": 12.5}
    assert (stats["size_class", "small"].respondents, stats["size_class", "medium"].mean_total) == (
        1,
        Decimal(60),
    )
    # Idempotent: the same rows again.
    before = sorted((s.kind, s.key, s.respondents, s.mean_total) for s in PeerStat.objects.all())
    rebuild_peer_stats()
    assert sorted((s.kind, s.key, s.respondents, s.mean_total) for s in PeerStat.objects.all()) == before


@pytest.mark.parametrize(("peers", "shown"), [(MIN_PEERS - 1, False), (MIN_PEERS, True)])
def test_peer_average_hidden_below_five(wanzhou, peers, shown):
    assert MIN_PEERS == 5
    mine = _response(70, wanzhou)
    for n in range(peers - 1):  # the group counts this enterprise too
        _response(40 + n, wanzhou)
    rebuild_peer_stats()
    district = next(p for p in peer_comparison(mine) if p.kind == "district")
    assert district.shown is shown
    assert district.group_label == "万州区"
    if shown:
        # 70, 40, 41, 42, 43 → 236 / 5 = 47.2; this enterprise is 22.8 above
        assert (district.respondents, district.mean_total, district.difference) == (
            5,
            Decimal("47.2"),
            Decimal("22.8"),
        )
        assert district.dimension_means["foundation"] == pytest.approx(23.6)
    else:
        assert district.mean_total is None
        assert "不足5家" in district.message and "目前4家" in district.message


def test_unknown_keys_say_why(wanzhou):
    mine = _response(70, wanzhou, size_class="", size_group=None)
    rebuild_peer_stats()
    by_kind = {p.kind: p for p in peer_comparison(mine)}
    assert not by_kind["industry_group"].shown and "企业档案" in by_kind["industry_group"].message
    assert not by_kind["size_class"].shown


def test_command_and_task_run_the_same_rebuild(wanzhou):
    for total in (10, 20, 30, 40, 50):
        _response(total, wanzhou)
    call_command("rebuild_assessment_peers", stdout=open("/dev/null", "w"))  # noqa: SIM115
    stat = PeerStat.objects.get(kind="district", key="500101")
    assert (stat.respondents, stat.mean_total) == (5, Decimal(30))
    PeerStat.objects.all().delete()
    assert rebuild_assessment_peers.delay().get() == {"industry_group": 1, "size_class": 1, "district": 1}
    assert PeerStat.objects.get(kind="size_class", key="small").questionnaire == questionnaire()
