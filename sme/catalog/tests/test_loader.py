"""The categories file: eight functions, the fifteen services of seed 000 （十九）, idempotent loading."""

from __future__ import annotations

import json

from sme.catalog.loader import load_categories, read_categories
from sme.catalog.models import Service, ServiceCategory
from sme.catalog.selectors import categories
from sme.catalog.tests.factories import published_service

SEED_000_19 = [
    "市场营销",
    "客户关系管理",
    "企业资源计划",
    "供应链管理",
    "质量管理",
    "研发设计",
    "人才培养",
    "身份认证",
    "支付网关",
    "自动交易",
    "风险评估",
    "履约评估",
    "中介担保",
    "物流配送",
    "安全保障",
]


def test_file_has_the_eight_functions_each_with_sub_categories():
    tree = read_categories()
    assert [t["name"] for t in tree] == [
        "信息查询",
        "技术创新",
        "质量管理",
        "管理咨询",
        "创业辅导",
        "市场开拓",
        "人员培训",
        "设备共享",
    ]
    assert all(t["children"] and t["source"] for t in tree)
    children = [c for t in tree for c in t["children"]]
    assert all(c["source"] for c in children)
    names = {c["name"] for c in children}
    assert set(SEED_000_19) <= names
    keys = [t["key"] for t in tree] + [c["key"] for c in children]
    assert len(keys) == len(set(keys))


def test_loading_twice_changes_nothing(db):
    before = list(ServiceCategory.objects.order_by("pk").values_list("pk", "key", "parent_id", "sort_order"))
    load_categories()
    assert (
        list(ServiceCategory.objects.order_by("pk").values_list("pk", "key", "parent_id", "sort_order"))
        == before
    )


def test_a_category_dropped_from_the_file_is_switched_off_not_deleted(
    tmp_path, provider_user, district_officer
):
    service = published_service(provider_user, district_officer)
    tree = read_categories()
    for top in tree:
        top["children"] = [c for c in top["children"] if c["key"] != "finance-management"]
    path = tmp_path / "categories.json"
    path.write_text(json.dumps({"categories": tree}, ensure_ascii=False), encoding="utf-8")
    load_categories(path)
    dropped = ServiceCategory.objects.get(key="finance-management")
    assert not dropped.is_active
    assert Service.objects.get(pk=service.pk).category_id == dropped.pk
    load_categories()
    assert ServiceCategory.objects.get(key="finance-management").is_active


def test_a_category_edited_in_the_admin_shows_without_a_restart(db, monkeypatch):
    monkeypatch.setattr(categories, "_categories", None)  # left as it was found (the edits roll back)
    erp = categories.categories_by_key()["erp"]
    erp.name = "企业资源计划（ERP）"
    erp.save()  # a save in this process: at once
    assert categories.categories_by_key()["erp"].name == "企业资源计划（ERP）"
    ServiceCategory.objects.filter(key="erp").update(name="ERP 系统")  # as another process would
    assert categories.categories_by_key()["erp"].name == "企业资源计划（ERP）"
    monkeypatch.setattr(categories, "CATEGORIES_KEPT_SECONDS", 0.0)
    assert categories.categories_by_key()["erp"].name == "ERP 系统"
