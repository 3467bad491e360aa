"""Divisions with their code history and zone groupings, loaded from data files."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sme.regions import loader
from sme.regions.models import Region, Zone, ZoneMembership
from sme.regions.selectors import districts, in_zone, region_for_code, zone_of

D = dt.date


def region(key: str) -> Region:
    return Region.objects.get(key=key)


@pytest.mark.django_db
class TestChongqingData:
    def test_thirty_eight_current_districts_and_four_functional_zones(self):
        current = districts()
        assert current.filter(level="district").count() == 38
        assert current.filter(level="functional_zone").count() == 4
        assert set(current.filter(level="district").values_list("code", flat=True)) >= {
            "500101",
            "500243",
            "500156",
        }

    def test_code_history(self):
        # 500110 was 万盛区 until the 2011 merger, then 綦江区.
        assert region_for_code("500110", on=D(2010, 6, 1)).name == "万盛区"
        assert region_for_code("500110", on=D(2012, 6, 1)).name == "綦江区"
        assert region_for_code("500110").name == "綦江区"
        kaixian = region_for_code("500234")
        assert (
            kaixian.name == "开县"
            and kaixian.valid_to == D(2016, 10, 1)
            and kaixian.successor.name == "开州区"
        )
        assert region("cq-500222").successor == region("cq-500110")
        # Before the county became a district, the district's code did not exist yet.
        assert region_for_code("500154", on=D(2015, 1, 1)) is not None  # falls back to the latest use
        assert not region("cq-500154").is_current(D(2015, 1, 1))

    def test_districts_on_a_past_date(self):
        names_2013 = set(districts(on=D(2013, 6, 1)).values_list("name", flat=True))
        assert {"璧山县", "开县", "梁平县", "綦江区"} <= names_2013
        assert not {"璧山区", "开州区", "万盛区"} & names_2013

    @pytest.mark.parametrize(
        ("key", "liangyi"),
        [
            ("cq-500101", True),
            ("cq-500242", True),
            ("cq-500156", True),
            ("cq-500232", True),
            ("cq-500234", True),
            ("cq-500103", False),
            ("cq-500110", False),
            ("cq-500227", False),
            ("cq-liangjiang", False),
        ],
    )
    def test_is_in_liangyi(self, key, liangyi):
        assert in_zone(region(key), "liangyi", on=D(2013, 6, 1)) is liangyi

    def test_zone_of_each_grouping(self):
        wz = region("cq-500101")
        assert zone_of(wz, "yiquan-liangyi").name == "渝东北翼"
        assert zone_of(wz, "wuda-gongnengqu").name == "渝东北生态涵养发展区"
        assert zone_of(region("cq-500103"), "wuda-gongnengqu").key == "dushi-gongnengqu"
        assert zone_of(region("cq-500120"), "yiquan-liangyi").key == "yixiaoshi-jingjiquan"

    def test_every_current_district_has_one_zone_per_grouping(self):
        for r in districts().filter(level="district"):
            for grouping in ("yiquan-liangyi", "wuda-gongnengqu"):
                n = ZoneMembership.objects.filter(region=r, zone__grouping__key=grouping).count()
                assert n == 1, (r.name, grouping, n)


@pytest.mark.django_db
def test_loader_is_idempotent_and_applies_edits(tmp_path, settings):
    before = (Region.objects.count(), Zone.objects.count(), ZoneMembership.objects.count())
    loader.load_all()
    assert (Region.objects.count(), Zone.objects.count(), ZoneMembership.objects.count()) == before

    # Another province ships its own file; nothing in the code names Chongqing.
    other = {
        "regions": [
            {
                "key": "sc-510100",
                "code": "510100",
                "name": "成都市",
                "level": "prefecture",
                "parent": "cn-51",
            },
            {
                "key": "sc-510104",
                "code": "510104",
                "name": "锦江区",
                "level": "district",
                "parent": "sc-510100",
            },
        ],
        "zone_groupings": [
            {
                "key": "cd-rings",
                "name": "圈层",
                "zones": [{"key": "cd-inner", "name": "中心城区", "members": ["sc-510104"]}],
            }
        ],
    }
    path = tmp_path / "chengdu.json"
    path.write_text(json.dumps(other, ensure_ascii=False), encoding="utf-8")
    settings.REGION_DATA_FILES = ["cn-provinces.json", str(path)]
    loader.load_all()
    jinjiang = region_for_code("510104")
    assert jinjiang.parent.name == "成都市" and in_zone(jinjiang, "cd-inner")
    assert list(districts(within=jinjiang.parent)) == [jinjiang]

    other["regions"][1]["name"] = "锦江区（更名）"
    path.write_text(json.dumps(other, ensure_ascii=False), encoding="utf-8")
    loader.load_all()
    assert region_for_code("510104").name == "锦江区（更名）"


@pytest.mark.django_db
def test_district_choices_follow_the_data_version_and_the_day(clock):
    from sme.regions.selectors import bump_data_version, district_choices

    today = clock.today()
    clock.pin(today)
    assert [(d.pk, d.code, d.name) for d in district_choices()] == list(
        districts().values_list("pk", "code", "name")
    )
    wanzhou = Region.objects.get(code="500101", valid_to__isnull=True)
    Region.objects.filter(pk=wanzhou.pk).update(valid_to=today)
    assert "500101" in {d.code for d in district_choices()}  # kept until the data changes
    bump_data_version()
    assert "500101" not in {d.code for d in district_choices()}
    tomorrow = today + dt.timedelta(days=1)
    Region.objects.filter(pk=wanzhou.pk).update(valid_to=tomorrow)
    assert "500101" not in {d.code for d in district_choices()}  # still today's list
    bump_data_version()
    assert "500101" in {d.code for d in district_choices()}
    clock.pin(tomorrow)
    assert "500101" not in {d.code for d in district_choices()}


@pytest.mark.django_db
def test_today_is_the_platform_clocks(clock):
    """ "Current" divisions, zones and the district list follow the pinned clock, not the machine's."""
    clock.pin(D(2010, 6, 1))
    current = Region.objects.current().filter(code="500110", level="district")
    assert [r.name for r in current] == ["万盛区"]
    assert region("cq-500110-wanshengqu").is_current()
    assert "万盛区" in set(districts().values_list("name", flat=True))
    clock.pin(D(2012, 6, 1))
    assert [r.name for r in Region.objects.current().filter(code="500110", level="district")] == ["綦江区"]
    assert not region("cq-500110-wanshengqu").is_current()
    wanzhou = region("cq-500101")
    ZoneMembership.objects.filter(region=wanzhou, zone__key="yudongbei-yi").update(valid_to=D(2012, 1, 1))
    assert not in_zone(wanzhou, "liangyi") and zone_of(wanzhou, "yiquan-liangyi") is None
    clock.pin(D(2011, 6, 1))
    assert in_zone(wanzhou, "liangyi") and zone_of(wanzhou, "yiquan-liangyi").name == "渝东北翼"
