"""The audit log is append-only through every interface: ORM, admin, pages, API — and, on
PostgreSQL, the database itself."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from openpyxl import load_workbook

from conftest import login
from sme.core import audit
from sme.core.models import AppendOnlyError, AuditLog, TransitionLog
from sme.core.request_context import RequestContext, bound


@pytest.fixture
def row(db):
    return audit.record("audit.export", summary="原始摘要")


def test_orm_cannot_change_or_delete(row):
    row.summary = "篡改"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.filter(pk=row.pk).update(summary="篡改")
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.filter(pk=row.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.bulk_update([row], ["summary"])
    row.refresh_from_db()
    assert row.summary == "原始摘要"


def test_transition_log_is_append_only_too(db):
    log = TransitionLog.objects.create(
        workflow="w", object_id="1", action="a", from_status="x", to_status="y"
    )
    with pytest.raises(AppendOnlyError):
        TransitionLog.objects.filter(pk=log.pk).delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_database_refuses_raw_update_and_delete(row):
    for sql in (
        "UPDATE core_auditlog SET summary = 'x' WHERE id = %s",
        "DELETE FROM core_auditlog WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [row.pk])
    row.refresh_from_db()
    assert row.summary == "原始摘要"


def test_admin_offers_no_change_or_delete(client, admin_user, row):
    login(client, admin_user)
    assert client.get(f"/admin/core/auditlog/{row.pk}/change/").status_code == 200  # read-only view
    assert client.post(f"/admin/core/auditlog/{row.pk}/change/", {"summary": "篡改"}).status_code == 403
    assert client.post(f"/admin/core/auditlog/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/core/auditlog/add/").status_code == 403
    bulk = client.post("/admin/core/auditlog/", {"action": "delete_selected", "_selected_action": [row.pk]})
    assert bulk.status_code in (200, 302)
    row.refresh_from_db()
    assert AuditLog.objects.filter(pk=row.pk, summary="原始摘要").exists()


def test_no_page_or_api_writes_to_it(client, admin_user, row):
    login(client, admin_user)
    for method in ("post", "put", "patch", "delete"):
        for url in ("/audit/", f"/audit/?id={row.pk}", "/audit/export.xlsx"):
            response = getattr(client, method)(url, {"summary": "篡改"}, content_type="application/json")
            assert response.status_code in (403, 405), (method, url, response.status_code)
    row.refresh_from_db()
    assert row.summary == "原始摘要"


def test_record_captures_actor_ip_and_agent(db, admin_user):
    with bound(RequestContext(ip="203.0.113.9", user_agent="测试浏览器/1.0")):
        r = audit.record("user.unlock", actor=admin_user, obj=admin_user, summary="s", changes={"a": [1, 2]})
    assert (r.actor, r.actor_label, r.ip, r.user_agent) == (
        admin_user,
        admin_user.username,
        "203.0.113.9",
        "测试浏览器/1.0",
    )
    assert (r.object_type, r.object_id) == ("accounts.user", str(admin_user.pk))


def test_admin_filters_and_exports(client, admin_user, district_officer):
    login(client, admin_user)
    audit.record("organization.create", actor=district_officer, summary="甲")
    audit.record("auth.login", actor=admin_user, summary="乙")
    page = client.get("/audit/?action=organization.").content.decode()
    assert "甲" in page and "乙" not in page
    response = client.get(f"/audit/export.xlsx?actor={district_officer.username}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    import io

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "时间"
    assert [r[6] for r in rows[1:]] == ["甲"]
    assert AuditLog.objects.filter(action="audit.export", actor=admin_user).exists(), "the export is audited"


def test_login_and_state_changes_leave_rows(client, enterprise_owner):
    from sme.testing.factories import TEST_PASSWORD

    client.post("/accounts/login/", {"username": enterprise_owner.username, "password": TEST_PASSWORD})
    assert AuditLog.objects.filter(action="auth.login", actor=enterprise_owner).exists()


def test_an_unregistered_action_code_is_refused_and_writes_nothing(db):
    before = AuditLog.objects.count()
    with pytest.raises(audit.UnknownAuditAction):
        audit.record("nobody.registered_this", summary="x")
    assert AuditLog.objects.count() == before


def test_workflow_moves_are_registered_with_their_table_labels():
    from sme.orders.workflow import ORDER

    codes = dict(audit.action_choices())
    for row in ORDER.transitions:
        assert codes[f"{ORDER.name}.{row.action}"] == str(row.label)


def test_a_summary_message_reads_in_the_readers_language(db):
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    with translation.override("en"):
        row = audit.record(
            "audit.export", summary=audit.transition_summary({"a": gettext_lazy("已提交")}, "a", "b")
        )
    row.refresh_from_db()
    assert row.summary == "已提交 → b", "the stored text is Chinese whoever wrote it"
    with translation.override("en"):
        assert row.summary_text != row.summary
        assert row.summary_text.endswith("→ b")


def test_the_action_filter_is_exact_for_a_code_and_a_prefix_for_a_family(
    client, admin_user, enterprise_owner
):
    audit.record("auth.login", actor=enterprise_owner, summary="登录一")
    audit.record("auth.logout", actor=enterprise_owner, summary="退出二")
    login(client, admin_user)
    exact = client.get("/audit/?action=auth.login").content.decode()
    assert "登录一" in exact and "退出二" not in exact
    family = client.get("/audit/?action=auth.").content.decode()
    assert "登录一" in family and "退出二" in family
