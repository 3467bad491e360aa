"""Rule data edited in the admin (service categories, subsidy caps) leaves an audit row for every save
and delete; services and revisions are read-only there."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from conftest import login
from sme.catalog.models import ServiceCategory, SubsidyCap
from sme.core.models import AuditLog


def test_subsidy_cap_saves_and_deletes_are_audited(client, admin_user):
    login(client, admin_user)
    response = client.post(
        "/admin/catalog/subsidycap/add/",
        {"name": "服务券", "amount": "5000", "effective_from": "2026-01-01", "source": "渝经信〔2026〕1号"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    cap = SubsidyCap.objects.get()
    created = AuditLog.objects.get(action="catalog.subsidy_cap_save")
    assert (created.actor, created.object_id) == (admin_user, str(cap.pk))
    assert created.changes["amount"] == [None, "5000"]
    client.post(
        f"/admin/catalog/subsidycap/{cap.pk}/change/",
        {"name": "服务券", "amount": "6000", "effective_from": "2026-01-01", "source": "渝经信〔2026〕1号"},
    )
    changed = AuditLog.objects.filter(action="catalog.subsidy_cap_save").latest("id")
    assert changed.changes == {"amount": ["5000.00", "6000"]}
    client.post(f"/admin/catalog/subsidycap/{cap.pk}/delete/", {"post": "yes"})
    assert not SubsidyCap.objects.exists()
    assert AuditLog.objects.filter(action="catalog.subsidy_cap_delete", object_id=str(cap.pk)).exists()


def test_a_bulk_delete_is_audited_per_row(client, admin_user):
    caps = [
        SubsidyCap.objects.create(name=f"券{i}", amount=Decimal(1000 * i), effective_from=dt.date(2026, 1, 1))
        for i in (1, 2)
    ]
    login(client, admin_user)
    client.post(
        "/admin/catalog/subsidycap/",
        {"action": "delete_selected", "_selected_action": [c.pk for c in caps], "post": "yes"},
    )
    assert not SubsidyCap.objects.exists()
    deleted = AuditLog.objects.filter(action="catalog.subsidy_cap_delete")
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted(str(c.pk) for c in caps)


def test_a_category_rename_is_audited(client, admin_user):
    category = ServiceCategory.objects.get(key="erp")
    login(client, admin_user)
    response = client.post(
        f"/admin/catalog/servicecategory/{category.pk}/change/",
        {
            "name": "ERP 系统",
            "parent": category.parent_id,
            "description": category.description,
            "source": category.source,
            "sort_order": category.sort_order,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row = AuditLog.objects.get(action="catalog.category_save")
    assert row.changes == {"name": [category.name, "ERP 系统"]}
    assert "ERP 系统" in row.summary


def test_services_are_read_only_in_the_admin(client, admin_user):
    login(client, admin_user)
    assert client.get("/admin/catalog/service/").status_code == 200
    assert client.get("/admin/catalog/service/add/").status_code == 403
