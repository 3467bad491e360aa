"""Login security (等保 2.0 三级): lock-out after repeated failures, idle-session timeout, token API.

Failures are counted per account in ``UsernameOrMobileBackend``, so the login page, the token API and
both identifiers (username, mobile) all feed the same counter. Time travel is done by moving
``locked_until`` / the session's ``last_activity`` into the past, or by patching ``timezone.now``.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from conftest import login
from sme.accounts.models import User
from sme.core.models import AuditLog
from sme.testing.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/me/"
IP = "203.0.113.7"
MOBILE = "13800138000"
WRONG = "Wrong-Pass-0000"


@pytest.fixture
def member(db):
    return UserFactory(username="zhang_login", mobile=MOBILE, real_name="张登录")


def post_login(client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=IP)


def logged_in_as(client) -> str | None:
    return client.session.get("_auth_user_id")


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def fail_times(client, identifier: str, n: int) -> None:
    for _ in range(n):
        response = post_login(client, identifier, WRONG)
        assert response.status_code == 200


def audit_rows(action: str, **filters):
    return AuditLog.objects.filter(action=action, **filters)


# --- successful login ----------------------------------------------------------------------------


@pytest.mark.parametrize("identifier", ["zhang_login", MOBILE])
def test_login_by_username_or_mobile(client, member, identifier):
    response = post_login(client, identifier, TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert logged_in_as(client) == str(member.pk)
    row = audit_rows("auth.login").get()
    assert row.actor == member
    assert row.ip == IP
    assert row.result == AuditLog.Result.SUCCESS


def test_login_identifier_surrounding_blanks_are_ignored(client, member):
    response = post_login(client, f"  {MOBILE} ", TEST_PASSWORD)
    assert response.status_code == 302
    assert logged_in_as(client) == str(member.pk)


def test_successful_login_resets_an_unexpired_failure_count(client, member):
    fail_times(client, "zhang_login", 3)
    assert fresh(member).failed_login_count == 3
    assert post_login(client, MOBILE, TEST_PASSWORD).status_code == 302
    member = fresh(member)
    assert member.failed_login_count == 0
    assert member.locked_until is None


# --- failures and lock-out -----------------------------------------------------------------------


def test_first_wrong_password_says_how_many_tries_are_left(client, member):
    response = post_login(client, "zhang_login", WRONG)
    assert response.status_code == 200
    html = response.content.decode()
    assert "用户名/手机号或密码错误" in html
    assert "再输错4次" in html
    assert "锁定15分钟" in html
    assert logged_in_as(client) is None
    member = fresh(member)
    assert member.failed_login_count == 1
    assert member.locked_until is None
    row = audit_rows("auth.login_failed").get()
    assert row.actor == member
    assert row.ip == IP
    assert row.result == AuditLog.Result.FAILURE


def test_remaining_count_goes_down_with_each_failure(client, member):
    for left in (4, 3, 2, 1):
        html = post_login(client, "zhang_login", WRONG).content.decode()
        assert f"再输错{left}次" in html
    assert fresh(member).locked_until is None


def test_fifth_failure_locks_the_account(client, member):
    fail_times(client, "zhang_login", 4)
    assert not fresh(member).is_locked()
    before = timezone.now()
    response = post_login(client, "zhang_login", WRONG)
    after = timezone.now()
    member = fresh(member)
    assert member.failed_login_count == 5
    assert member.is_locked()
    assert before + timedelta(minutes=15) <= member.locked_until <= after + timedelta(minutes=15)
    html = response.content.decode()
    assert "已被锁定" in html
    assert timezone.localtime(member.locked_until).strftime("%H:%M") in html
    locked = audit_rows("auth.locked").get()
    assert locked.actor == member
    assert locked.result == AuditLog.Result.DENIED
    assert audit_rows("auth.login_failed", actor=member).count() == 5


def test_right_password_is_refused_while_locked(client, member):
    fail_times(client, "zhang_login", 5)
    locked_until = fresh(member).locked_until
    for identifier in ("zhang_login", MOBILE):
        response = post_login(client, identifier, TEST_PASSWORD)
        assert response.status_code == 200
        assert logged_in_as(client) is None
        html = response.content.decode()
        assert "已被锁定" in html
        assert timezone.localtime(locked_until).strftime("%H:%M") in html
    member = fresh(member)
    # Refused attempts neither extend the lock nor touch the counter.
    assert member.locked_until == locked_until
    assert member.failed_login_count == 5
    assert audit_rows("auth.login_refused_locked", actor=member).count() == 2
    assert not audit_rows("auth.login").exists()


def test_failures_by_username_and_by_mobile_count_against_one_account(client, member):
    post_login(client, "zhang_login", WRONG)
    html = post_login(client, MOBILE, WRONG).content.decode()
    assert "再输错3次" in html
    fail_times(client, "zhang_login", 1)
    fail_times(client, MOBILE, 1)
    assert not fresh(member).is_locked()
    html = post_login(client, "zhang_login", WRONG).content.decode()
    assert "已被锁定" in html
    assert fresh(member).is_locked()


def test_failures_on_one_account_do_not_lock_another(client, member):
    other = UserFactory(username="li_other")
    fail_times(client, "zhang_login", 5)
    assert fresh(member).is_locked()
    other = fresh(other)
    assert other.failed_login_count == 0
    assert not other.is_locked()
    assert post_login(client, "li_other", TEST_PASSWORD).status_code == 302


def test_after_the_lock_expires_the_right_password_works_and_resets_the_counter(client, member):
    fail_times(client, "zhang_login", 5)
    User.objects.filter(pk=member.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    response = post_login(client, MOBILE, TEST_PASSWORD)
    assert response.status_code == 302
    assert logged_in_as(client) == str(member.pk)
    member = fresh(member)
    assert member.failed_login_count == 0
    assert member.locked_until is None


def test_lock_holds_until_the_lockout_has_passed(client, member, monkeypatch):
    fail_times(client, "zhang_login", 5)
    locked_until = fresh(member).locked_until
    real_now = timezone.now

    monkeypatch.setattr(timezone, "now", lambda: locked_until - timedelta(minutes=1))
    assert "已被锁定" in post_login(client, "zhang_login", TEST_PASSWORD).content.decode()
    assert logged_in_as(client) is None

    monkeypatch.setattr(timezone, "now", lambda: locked_until + timedelta(seconds=1))
    assert post_login(client, "zhang_login", TEST_PASSWORD).status_code == 302
    assert logged_in_as(client) == str(member.pk)
    monkeypatch.setattr(timezone, "now", real_now)
    assert fresh(member).failed_login_count == 0


def test_one_typo_after_the_lock_expired_does_not_lock_again(client, member):
    fail_times(client, "zhang_login", 5)
    User.objects.filter(pk=member.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    post_login(client, "zhang_login", WRONG)
    assert not fresh(member).is_locked()


def test_limit_and_lockout_are_configurable(client, member, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_LOCKOUT = timedelta(minutes=5)
    assert "连续3次输错密码" in client.get(LOGIN).content.decode()
    html = post_login(client, "zhang_login", WRONG).content.decode()
    assert "再输错2次" in html
    assert "锁定5分钟" in html
    fail_times(client, "zhang_login", 1)
    assert not fresh(member).is_locked()
    before = timezone.now()
    post_login(client, "zhang_login", WRONG)
    member = fresh(member)
    assert member.failed_login_count == 3
    assert member.is_locked()
    assert before + timedelta(minutes=5) <= member.locked_until <= timezone.now() + timedelta(minutes=5)
    assert audit_rows("auth.locked", actor=member).count() == 1


def test_lockout_notice_is_always_on_the_login_form(client, member):
    html = client.get(LOGIN).content.decode()
    assert 'data-testid="lockout-notice"' in html
    assert "连续5次输错密码" in html
    assert "锁定15分钟" in html
    # Still there next to the error after a failure.
    assert "连续5次输错密码" in post_login(client, "zhang_login", WRONG).content.decode()


def test_unknown_username_is_audited_without_actor(client, member):
    response = post_login(client, "nobody_here", WRONG)
    assert response.status_code == 200
    html = response.content.decode()
    assert "用户名/手机号或密码错误" in html
    assert "再输错4次" in html, "counted like a known name's failures, so the answer does not tell them apart"
    row = audit_rows("auth.login_failed").get()
    assert row.actor is None
    assert row.actor_label == ""
    assert "nobody_here" in row.summary
    assert row.ip == IP
    assert fresh(member).failed_login_count == 0


def test_admin_site_login_counts_against_the_same_account(client, member):
    fail_times(client, "zhang_login", 4)
    response = client.post("/admin/login/", {"username": MOBILE, "password": WRONG})
    assert response.status_code == 200
    assert fresh(member).is_locked()


def test_deactivated_account_cannot_log_in_and_is_not_counted(client, member):
    User.objects.filter(pk=member.pk).update(is_active=False)
    response = post_login(client, "zhang_login", TEST_PASSWORD)
    assert response.status_code == 200
    assert logged_in_as(client) is None
    assert "用户名/手机号或密码错误" in response.content.decode()
    assert fresh(member).failed_login_count == 0
    assert audit_rows("auth.login_failed", actor=member, summary__contains="停用").count() == 1


# --- token API -----------------------------------------------------------------------------------


def post_token(client, username: str, password: str):
    return client.post(TOKEN, {"username": username, "password": password}, REMOTE_ADDR=IP)


def test_token_api_issues_a_token_that_authenticates_me(client, member):
    response = post_token(client, MOBILE, TEST_PASSWORD)
    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(key=key).user == member
    assert audit_rows("auth.token_issued", actor=member).count() == 1
    me = client.get(ME, HTTP_AUTHORIZATION=f"Token {key}")
    assert me.status_code == 200
    assert me.json()["username"] == "zhang_login"
    assert me.json()["role"] == "enterprise"


def test_token_api_counts_failures_and_locks(client, member):
    response = post_token(client, "zhang_login", WRONG)
    assert response.status_code == 400
    assert "token" not in response.json()
    assert fresh(member).failed_login_count == 1
    for _ in range(4):
        post_token(client, MOBILE, WRONG)
    member = fresh(member)
    assert member.failed_login_count == 5
    assert member.is_locked()
    assert audit_rows("auth.locked", actor=member).count() == 1


def test_token_api_refuses_the_right_password_while_locked(client, member):
    fail_times(client, "zhang_login", 5)  # locked through the login page
    response = post_token(client, "zhang_login", TEST_PASSWORD)
    assert response.status_code == 403
    assert "token" not in response.json() and "已被锁定" in response.json()["detail"]
    assert not Token.objects.filter(user=member).exists()
    assert audit_rows("auth.login_refused_locked", actor=member).count() == 1


def test_token_api_and_login_page_share_one_counter(client, member):
    for _ in range(3):
        post_token(client, MOBILE, WRONG)
    html = post_login(client, "zhang_login", WRONG).content.decode()
    assert "再输错1次" in html
    html = post_login(client, "zhang_login", WRONG).content.decode()
    assert "已被锁定" in html


# --- /api/v1/me/ ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "role", "jurisdiction"),
    [
        ("enterprise_owner", "enterprise", None),
        ("provider_user", "provider", None),
        ("district_officer", "district_officer", "万州区"),
        ("city_officer", "city_officer", "重庆市"),
        ("expert", "expert", None),
        ("admin_user", "admin", None),
    ],
)
def test_me_returns_the_token_holders_role(client, request, persona, role, jurisdiction):
    user = request.getfixturevalue(persona)
    token = Token.objects.create(user=user)
    response = client.get(ME, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == user.pk
    assert body["username"] == user.username
    assert body["role"] == role
    assert body["role_label"] == user.get_role_display()
    assert body["jurisdiction"] == jurisdiction


def test_me_refuses_anonymous_and_bad_tokens(client, member):
    assert client.get(ME).status_code in (401, 403)
    assert client.get(ME, HTTP_AUTHORIZATION="Token not-a-real-key").status_code in (401, 403)


def test_me_refuses_the_token_of_a_deactivated_user(client, member):
    token = Token.objects.create(user=member)
    User.objects.filter(pk=member.pk).update(is_active=False)
    assert client.get(ME, HTTP_AUTHORIZATION=f"Token {token.key}").status_code in (401, 403)


# --- idle session timeout ------------------------------------------------------------------------


def set_last_activity(client, seconds_ago: float) -> None:
    session = client.session
    session["last_activity"] = time.time() - seconds_ago
    session.save()


def test_first_request_stamps_last_activity(client, enterprise_owner):
    login(client, enterprise_owner)
    assert "last_activity" not in client.session
    before = time.time()
    assert client.get("/dashboard/").status_code == 200
    assert before - 1 <= client.session["last_activity"] <= time.time() + 1


def test_idle_session_is_logged_out_on_next_request(client, enterprise_owner):
    login(client, enterprise_owner).get("/dashboard/")
    set_last_activity(client, 31 * 60)
    response = client.get("/dashboard/", REMOTE_ADDR=IP)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "next=/dashboard/" in response["Location"]
    assert logged_in_as(client) is None
    row = audit_rows("auth.session_expired").get()
    assert row.actor == enterprise_owner
    assert row.ip == IP
    html = client.get(response["Location"]).content.decode()
    assert "30分钟未操作" in html
    assert "自动退出" in html


def test_recent_session_stays_logged_in_and_is_touched(client, enterprise_owner):
    login(client, enterprise_owner).get("/dashboard/")
    set_last_activity(client, 29 * 60)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert logged_in_as(client) == str(enterprise_owner.pk)
    assert time.time() - client.session["last_activity"] < 60
    assert not audit_rows("auth.session_expired").exists()


def test_idle_timeout_is_configurable(client, enterprise_owner, settings):
    settings.SESSION_IDLE_TIMEOUT = timedelta(minutes=5)
    login(client, enterprise_owner).get("/dashboard/")
    set_last_activity(client, 4 * 60)
    assert client.get("/dashboard/").status_code == 200
    set_last_activity(client, 6 * 60)
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert logged_in_as(client) is None
    assert "5分钟未操作" in client.get(response["Location"]).content.decode()
    assert audit_rows("auth.session_expired", actor=enterprise_owner).count() == 1


def test_idle_timeout_also_applies_to_session_api_requests(client, enterprise_owner):
    login(client, enterprise_owner).get("/dashboard/")
    set_last_activity(client, 31 * 60)
    assert client.get(ME).status_code in (401, 403)
    assert audit_rows("auth.session_expired", actor=enterprise_owner).count() == 1


def test_a_password_typed_as_the_login_name_is_not_kept(client, db):
    client.post("/accounts/login/", {"username": "Secr3t!pass word", "password": "x"})
    row = AuditLog.objects.filter(action="auth.login_failed").latest("id")
    assert "Secr3t" not in row.summary
    client.post("/accounts/login/", {"username": "nobody_here", "password": "x"})
    assert "nobody_here" in AuditLog.objects.filter(action="auth.login_failed").latest("id").summary


# --- no user enumeration: a known and an unknown name get the same answers --------------------------


def _form_error(response) -> str:
    """The login form's error block, the part of the page that answers the attempt."""
    html = response.content.decode()
    start = html.index('data-testid="form-errors"')
    return html[start : html.index("</div>", start)]


def test_a_known_and_an_unknown_name_get_byte_identical_answers_up_to_the_lock(client, member):
    known = [_form_error(post_login(client, "zhang_login", WRONG)) for _ in range(5)]
    unknown = [_form_error(post_login(client, "nobody_here", WRONG)) for _ in range(5)]
    assert known == unknown
    assert "再输错4次" in known[0] and "已被锁定" in known[4]
    # and while locked, the right password of the account is answered like any other attempt
    assert _form_error(post_login(client, "zhang_login", TEST_PASSWORD)) == _form_error(
        post_login(client, "nobody_here", TEST_PASSWORD)
    )


def test_the_token_api_answers_a_known_and_an_unknown_name_alike(client, member):
    known = [post_token(client, "zhang_login", WRONG) for _ in range(6)]
    unknown = [post_token(client, "nobody_here", WRONG) for _ in range(6)]
    assert [(r.status_code, r.content) for r in known] == [(r.status_code, r.content) for r in unknown]
    assert [r.status_code for r in known] == [400, 400, 400, 400, 403, 403]


def test_an_unknown_name_is_kept_only_as_a_digest(client, db):
    from sme.accounts.models import LoginThrottle

    post_login(client, "Secret-Pass-1234", WRONG)
    row = LoginThrottle.objects.get()
    assert "Secret" not in row.key and len(row.key) == 64


def test_a_token_request_whose_body_is_not_an_object_is_a_400(client, db):
    response = client.post(TOKEN, "[1, 2]", content_type="application/json")
    assert response.status_code == 400
    assert "JSON 对象" in response.json()["detail"]
