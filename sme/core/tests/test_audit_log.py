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


def test_database_refuses_raw_update_delete_and_truncate(row):
    statements = [
        ("UPDATE core_auditlog SET summary = 'x' WHERE id = %s", [row.pk]),
        ("DELETE FROM core_auditlog WHERE id = %s", [row.pk]),
        ("DELETE FROM core_auditlog", []),
        ("UPDATE core_transitionlog SET note = 'x'", []),
    ]
    if connection.vendor == "postgresql":
        statements += [("TRUNCATE core_auditlog", []), ("TRUNCATE core_transitionlog CASCADE", [])]
    TransitionLog.objects.create(workflow="w", object_id="1", action="a", from_status="x", to_status="y")
    for sql, params in statements:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    row.refresh_from_db()
    assert row.summary == "原始摘要"
    assert TransitionLog.objects.count() == 1


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


# --- the hash chain -------------------------------------------------------------------------------


def _tamper(sql: str, params: list) -> None:
    """Change a row behind the application's back, as someone with database access could."""
    from sme.core import append_only

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # triggers off (superuser)
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            append_only.uninstall(connection)
            cursor.execute(sql, params)
            append_only.install(connection)


def _three_rows(actor):
    return [
        audit.record("auth.login", actor=actor, summary=f"第{i}条", changes={"n": [i, 1.5]}) for i in range(3)
    ]


def test_each_row_links_to_the_one_before(db, admin_user):
    from sme.core import audit_chain

    rows = _three_rows(admin_user)
    stored = list(AuditLog.objects.filter(pk__in=[r.pk for r in rows]).order_by("id"))
    assert stored[1].prev_hash == stored[0].row_hash and stored[2].prev_hash == stored[1].row_hash
    assert all(len(r.row_hash) == 64 for r in stored)
    result = audit_chain.verify()
    assert result.ok and result.checked == AuditLog.objects.count()


@pytest.mark.parametrize("how", ["changed", "removed"])
def test_a_row_changed_or_removed_by_direct_sql_is_found_by_audit_verify(db, admin_user, how):
    from io import StringIO

    from django.core.management import CommandError, call_command

    rows = _three_rows(admin_user)
    call_command("audit_verify", stdout=StringIO())
    if how == "changed":
        _tamper("UPDATE core_auditlog SET summary = %s WHERE id = %s", ["篡改", rows[1].pk])
        expected = rows[1].pk
    else:
        _tamper("DELETE FROM core_auditlog WHERE id = %s", [rows[1].pk])
        expected = rows[2].pk
    with pytest.raises(CommandError, match=f"audit row {expected}:"):
        call_command("audit_verify", stdout=StringIO())


def test_the_daily_check_alerts_the_administrators(db, admin_user, django_capture_on_commit_callbacks):
    import datetime as dt

    from sme.core import audit_chain
    from sme.notifications.models import Notification

    assert audit_chain.daily_check(today=dt.date(2026, 3, 2))["broken_at"] is None
    assert not Notification.objects.filter(recipient=admin_user).exists()
    rows = _three_rows(admin_user)
    _tamper("UPDATE core_auditlog SET changes = %s WHERE id = %s", ['{"n": [9, 9]}', rows[0].pk])
    report = audit_chain.daily_check(today=dt.date(2026, 3, 2))
    assert report["broken_at"] == rows[0].pk
    alert = Notification.objects.get(recipient=admin_user, event="security")
    assert str(rows[0].pk) in alert.title
    assert AuditLog.objects.filter(action="audit.chain_broken", result="failure").exists()


@pytest.mark.django_db(transaction=True)
def test_the_test_flush_may_empty_the_log_but_the_guards_come_back(admin_user):
    from django.core.management import call_command

    audit.record("auth.login", actor=admin_user, summary="x")
    call_command("flush", "--noinput", verbosity=0)
    assert not AuditLog.objects.exists()
    row = audit.record("audit.export", summary="y")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditlog WHERE id = %s", [row.pk])
