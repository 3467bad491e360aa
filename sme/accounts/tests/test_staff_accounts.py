"""Accounts made by platform administrators: officers, experts, administrators (/accounts/users/…).

Only administrators (role ``admin``) may list, create, deactivate, activate and unlock accounts.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import login
from sme.accounts import services
from sme.accounts.models import User
from sme.core.errors import NotAllowed
from sme.core.models import AuditLog
from sme.testing.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/accounts/users/"
NEW = "/accounts/users/new/"
PASSWORD = "Staff-Pass-2026"
NON_ADMINS = ["enterprise_owner", "provider_user", "district_officer", "city_officer", "expert"]


def action_url(user: User, action: str) -> str:
    return f"/accounts/users/{user.pk}/{action}/"


def staff_data(**overrides) -> dict:
    data = {
        "role": "district_officer",
        "jurisdiction": "",
        "username": "officer_new",
        "real_name": "孙主任",
        "mobile": "",
        "email": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def counts() -> tuple[int, int]:
    return User.objects.count(), AuditLog.objects.count()


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


# --- who may manage accounts ---------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST, NEW])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("persona", NON_ADMINS)
def test_non_admins_are_refused(client, request, wanzhou, persona):
    user = request.getfixturevalue(persona)
    login(client, user)
    assert client.get(LIST).status_code == 403
    assert client.get(NEW).status_code == 403
    users_before = User.objects.count()
    response = client.post(NEW, staff_data(role="admin", username="sneaky_admin"))
    assert response.status_code == 403
    assert User.objects.count() == users_before
    assert not User.objects.filter(username="sneaky_admin").exists()
    assert AuditLog.objects.filter(action="access.denied", actor=user).count() == 3


@pytest.mark.parametrize("persona", NON_ADMINS)
def test_non_admins_cannot_act_on_accounts(client, request, persona):
    victim = UserFactory(
        username="victim", locked_until=timezone.now() + timedelta(minutes=10), failed_login_count=5
    )
    login(client, request.getfixturevalue(persona))
    for action in ("deactivate", "unlock"):
        assert client.post(action_url(victim, action)).status_code == 403
    victim = fresh(victim)
    assert victim.is_active
    assert victim.is_locked()


def test_admin_sees_the_user_list(client, admin_user, district_officer, expert):
    response = login(client, admin_user).get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    for user in (district_officer, expert):
        assert user.username in html
    assert "万州区" in html


def test_role_admin_without_superuser_flag_is_an_admin(client):
    plain_admin = UserFactory(username="admin_role_only", role="admin")
    assert not plain_admin.is_superuser
    login(client, plain_admin)
    assert client.get(LIST).status_code == 200
    assert client.get(NEW).status_code == 200


def test_list_filters_by_role_and_search(client, admin_user, district_officer, expert):
    login(client, admin_user)
    html = client.get(LIST, {"role": "expert"}).content.decode()
    assert expert.username in html
    assert district_officer.username not in html
    html = client.get(LIST, {"q": "officer_w"}).content.decode()
    assert district_officer.username in html
    assert expert.username not in html


def test_list_marks_locked_and_deactivated_accounts(client, admin_user):
    UserFactory(
        username="locked_one", locked_until=timezone.now() + timedelta(minutes=10), failed_login_count=5
    )
    UserFactory(username="gone_one", is_active=False)
    login(client, admin_user)
    html = client.get(LIST, {"q": "locked_one"}).content.decode()
    assert "已锁定" in html
    html = client.get(LIST, {"q": "gone_one"}).content.decode()
    assert "已停用" in html


# --- creating accounts ---------------------------------------------------------------------------


def test_create_district_officer(client, admin_user, wanzhou):
    login(client, admin_user)
    response = client.post(NEW, staff_data(jurisdiction=wanzhou.pk, mobile="13512345678"))
    assert response.status_code == 302
    assert response["Location"] == LIST
    user = User.objects.get(username="officer_new")
    assert user.role == "district_officer"
    assert user.jurisdiction == wanzhou
    assert user.mobile == "13512345678"
    assert user.check_password(PASSWORD)
    assert not user.is_staff
    row = AuditLog.objects.get(action="user.create")
    assert row.actor == admin_user
    assert row.object_id == str(user.pk)
    assert "万州区" in row.summary


def test_district_officer_needs_a_district(client, admin_user):
    login(client, admin_user)
    before = counts()
    response = client.post(NEW, staff_data())
    assert response.status_code == 200
    html = response.content.decode()
    assert "请选择区县" in html
    assert 'data-testid="error-jurisdiction"' in html
    assert counts() == before


@pytest.mark.parametrize("given", [None, "500101"])
def test_city_officer_gets_the_platform_jurisdiction(client, admin_user, given):
    from sme.regions.models import Region

    jurisdiction = Region.objects.current().get(code=given).pk if given else ""
    login(client, admin_user)
    response = client.post(
        NEW, staff_data(role="city_officer", username="city_new", jurisdiction=jurisdiction)
    )
    assert response.status_code == 302
    user = User.objects.get(username="city_new")
    assert user.role == "city_officer"
    assert user.jurisdiction.code == "500000"
    assert (
        AuditLog.objects.filter(action="user.create", actor=admin_user, object_id=str(user.pk)).count() == 1
    )


def test_expert_has_no_jurisdiction(client, admin_user, wanzhou):
    login(client, admin_user)
    response = client.post(NEW, staff_data(role="expert", username="expert_new", jurisdiction=wanzhou.pk))
    assert response.status_code == 302
    user = User.objects.get(username="expert_new")
    assert user.role == "expert"
    assert user.jurisdiction is None
    assert not user.is_staff
    assert AuditLog.objects.filter(action="user.create", object_id=str(user.pk)).count() == 1


def test_create_admin(client, admin_user):
    login(client, admin_user)
    assert client.post(NEW, staff_data(role="admin", username="admin_new")).status_code == 302
    user = User.objects.get(username="admin_new")
    assert user.role == "admin"
    assert user.is_staff
    assert user.jurisdiction is None
    assert AuditLog.objects.filter(action="user.create", object_id=str(user.pk)).count() == 1
    # The new administrator can manage accounts in turn.
    client.logout()
    assert login(client, user).get(LIST).status_code == 200


def test_several_accounts_without_mobile(client, admin_user):
    login(client, admin_user)
    for username in ("expert_a", "expert_b"):
        assert client.post(NEW, staff_data(role="expert", username=username)).status_code == 302
    assert list(
        User.objects.filter(username__in=["expert_a", "expert_b"]).values_list("mobile", flat=True)
    ) == [
        None,
        None,
    ]


@pytest.mark.parametrize("role", ["enterprise", "provider", "superuser"])
def test_only_staff_roles_can_be_created_here(client, admin_user, role):
    login(client, admin_user)
    before = counts()
    response = client.post(NEW, staff_data(role=role))
    assert response.status_code == 200
    assert 'data-testid="error-role"' in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"password1": "qwxzmnbv12", "password2": "qwxzmnbv12"}, "password1", "至少3类"),
        ({"password2": "Other-Pass-2026"}, "password2", "两次输入的密码不一致"),
        ({"username": "officer_wz"}, "username", "已被使用"),
        ({"mobile": "12345678901"}, "mobile", "请输入11位中国大陆手机号码"),
        ({"username": "1officer"}, "username", "以字母开头"),
        ({"real_name": ""}, "real_name", ""),
    ],
)
def test_bad_input_creates_nothing(client, admin_user, district_officer, wanzhou, overrides, field, fragment):
    login(client, admin_user)
    before = counts()
    response = client.post(NEW, staff_data(jurisdiction=wanzhou.pk, **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-testid="error-{field}"' in html
    assert fragment in html
    assert counts() == before


def test_duplicate_mobile_creates_nothing(client, admin_user, wanzhou):
    UserFactory(username="has_mobile", mobile="13512345678")
    login(client, admin_user)
    before = counts()
    response = client.post(NEW, staff_data(jurisdiction=wanzhou.pk, mobile="13512345678"))
    assert response.status_code == 200
    assert "13512345678 已注册" in response.content.decode()
    assert counts() == before


def test_service_refuses_non_admin_actor(district_officer, wanzhou):
    before = counts()
    with pytest.raises(NotAllowed):
        services.staff_account_create(
            actor=district_officer,
            username="x_officer",
            password=PASSWORD,
            real_name="某人",
            role="district_officer",
            jurisdiction=wanzhou,
        )
    assert counts() == before


def test_service_refuses_a_city_as_district_jurisdiction(admin_user):
    from sme.core.errors import InvalidInput
    from sme.regions.models import Region

    city = Region.objects.current().get(code="500000")
    with pytest.raises(InvalidInput) as exc:
        services.staff_account_create(
            actor=admin_user,
            username="x_officer",
            password=PASSWORD,
            real_name="某人",
            role="district_officer",
            jurisdiction=city,
        )
    assert "jurisdiction" in exc.value.field_errors
    assert not User.objects.filter(username="x_officer").exists()


# --- deactivate, activate, unlock ----------------------------------------------------------------


def test_deactivate_and_activate(client, admin_user, expert):
    login(client, admin_user)
    response = client.post(action_url(expert, "deactivate"))
    assert response.status_code == 302
    assert response["Location"] == LIST
    assert fresh(expert).is_active is False
    row = AuditLog.objects.get(action="user.deactivate")
    assert (row.actor, row.object_id) == (admin_user, str(expert.pk))
    assert row.changes == {"is_active": [True, False]}

    assert client.post(action_url(expert, "activate")).status_code == 302
    assert fresh(expert).is_active is True
    row = AuditLog.objects.get(action="user.activate")
    assert (row.actor, row.object_id) == (admin_user, str(expert.pk))


def test_deactivating_twice_is_reported_not_audited(client, admin_user, expert):
    login(client, admin_user)
    client.post(action_url(expert, "deactivate"))
    response = client.post(action_url(expert, "deactivate"), follow=True)
    assert "已经是停用状态" in response.content.decode()
    assert AuditLog.objects.filter(action="user.deactivate").count() == 1


def test_unlock(client, admin_user):
    locked = UserFactory(
        username="locked_user", failed_login_count=5, locked_until=timezone.now() + timedelta(minutes=12)
    )
    login(client, admin_user)
    assert client.post(action_url(locked, "unlock")).status_code == 302
    locked = fresh(locked)
    assert locked.failed_login_count == 0
    assert locked.locked_until is None
    row = AuditLog.objects.get(action="user.unlock")
    assert (row.actor, row.object_id) == (admin_user, str(locked.pk))
    # The unlocked person can log in straight away.
    client.logout()
    response = client.post("/accounts/login/", {"username": "locked_user", "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_admin_cannot_deactivate_themself(client, admin_user):
    login(client, admin_user)
    response = client.post(action_url(admin_user, "deactivate"), follow=True)
    assert response.status_code == 200
    assert "不能停用自己的账号" in response.content.decode()
    assert fresh(admin_user).is_active
    assert not AuditLog.objects.filter(action="user.deactivate").exists()


def test_actions_need_post_and_a_known_action(client, admin_user, expert):
    login(client, admin_user)
    assert client.get(action_url(expert, "deactivate")).status_code == 405
    assert client.post(action_url(expert, "delete")).status_code == 403
    assert client.post(f"/accounts/users/{expert.pk + 10_000}/deactivate/").status_code == 404
    assert fresh(expert).is_active
    assert User.objects.filter(pk=expert.pk).exists()


def test_deactivated_user_cannot_log_in(client, admin_user, expert):
    login(client, admin_user).post(action_url(expert, "deactivate"))
    client.logout()
    response = client.post("/accounts/login/", {"username": expert.username, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "用户名/手机号或密码错误" in response.content.decode()
    assert (
        AuditLog.objects.filter(action="auth.login_failed", actor=expert, summary__contains="停用").count()
        == 1
    )


def test_deactivation_ends_the_users_open_session(client, admin_user, expert):
    from django.test import Client

    expert_client = login(Client(), expert)
    assert expert_client.get("/dashboard/").status_code == 200
    login(client, admin_user).post(action_url(expert, "deactivate"))
    response = expert_client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_unlocking_an_account_that_is_not_locked_is_refused(admin_user, expert):
    from sme.accounts.services import user_unlock
    from sme.core.errors import Conflict
    from sme.core.models import AuditLog

    with pytest.raises(Conflict):
        user_unlock(actor=admin_user, user=expert)
    assert not AuditLog.objects.filter(action="user.unlock").exists()


def test_every_problem_of_the_form_is_shown_at_once(client, admin_user, district_officer):
    UserFactory(username="has_mobile2", mobile="13512345679")
    login(client, admin_user)
    before = counts()
    response = client.post(
        NEW,
        staff_data(
            role="district_officer",
            jurisdiction="",  # a district officer needs a district
            username="officer_wz",  # taken
            mobile="13512345679",  # taken
            email="not-an-email",  # malformed (the form's own check)
            password1="qwxzmnbv12",  # too weak
            password2="qwxzmnbv12",
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    for field, fragment in [
        ("jurisdiction", "须指定所辖区县"),
        ("username", "已被使用"),
        ("mobile", "13512345679 已注册"),
        ("email", ""),
        ("password1", "至少3类"),
    ]:
        assert f'data-testid="error-{field}"' in html, field
        assert fragment in html
    assert counts() == before


def test_the_service_reports_every_problem_at_once(admin_user, district_officer):
    from sme.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as exc:
        services.staff_account_create(
            actor=admin_user,
            username="officer_wz",
            password="qwxzmnbv12",
            real_name="某人",
            role="district_officer",
            jurisdiction=None,
        )
    assert set(exc.value.field_errors) == {"jurisdiction", "username", "password1"}
