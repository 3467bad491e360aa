"""Self-registration (``POST /accounts/register/``): a new organization, or a request to join one.

Registration is all or nothing: every refusal below must leave users, organizations, memberships,
audit rows and notifications exactly as they were, and say in Chinese what is wrong.
"""

from __future__ import annotations

import random

import pytest

from sme.accounts import services
from sme.accounts.models import User
from sme.core.errors import NotAllowed
from sme.core.models import AuditLog
from sme.notifications.models import Notification
from sme.organizations import uscc
from sme.organizations.models import Membership, Organization
from sme.testing.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

REGISTER = "/accounts/register/"
PASSWORD = "Reg-Pass-2026"
MOBILE = "13712345678"
_rng = random.Random(20260101)


def new_code(region: str = "500101", *, with_letter: bool = False) -> str:
    while True:
        code = uscc.make(region, rng=_rng)
        if not Organization.objects.filter(uscc=code).exists() and (
            not with_letter or any(c.isalpha() for c in code[8:])
        ):
            return code


def form_data(district, /, **overrides) -> dict:
    data = {
        "role": "enterprise",
        "mode": "create",
        "uscc": new_code(district.code),
        "name": "重庆万州新注册科技有限公司",
        "provider_kind": "",
        "legal_representative": "王五",
        "district": district.pk,
        "address": "重庆市万州区白岩路2号",
        "contact_name": "王五",
        "contact_phone": "023-58000000",
        "contact_email": "",
        "username": "newcomer",
        "real_name": "王五",
        "mobile": MOBILE,
        "email": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def join_data(code: str, **overrides) -> dict:
    data = {
        "role": "enterprise",
        "mode": "join",
        "uscc": code,
        "username": "joiner",
        "real_name": "赵六",
        "mobile": "13612345678",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def snapshot() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (User, Organization, Membership, AuditLog, Notification)}


def assert_refused(client, data: dict, *fragments: str, field: str | None = None) -> str:
    """Post ``data``; the page comes back with every fragment and nothing at all was written."""
    before = snapshot()
    response = client.post(REGISTER, data)
    assert response.status_code == 200
    html = response.content.decode()
    for fragment in fragments:
        assert fragment in html, fragment
    if field is not None:
        assert f'data-testid="error-{field}"' in html
    assert snapshot() == before
    assert "_auth_user_id" not in client.session
    return html


# --- create mode: success ------------------------------------------------------------------------


def test_register_new_enterprise(client, wanzhou, district_officer, django_capture_on_commit_callbacks):
    data = form_data(wanzhou)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, data, REMOTE_ADDR="198.51.100.4")
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"

    user = User.objects.get(username="newcomer")
    assert user.role == "enterprise"
    assert user.mobile == MOBILE
    assert user.real_name == "王五"
    assert user.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)

    org = Organization.objects.get(uscc=data["uscc"])
    assert org.kind == "enterprise"
    assert org.name == "重庆万州新注册科技有限公司"
    assert org.district == wanzhou
    assert org.verification_status == "pending"
    assert org.submitted_at is not None
    assert org.region_mismatch is False
    membership = Membership.objects.get(organization=org)
    assert (membership.user, membership.role, membership.status) == (user, "owner", "active")

    actions = set(AuditLog.objects.filter(actor=user).values_list("action", flat=True))
    assert {"user.register", "organization.create", "auth.login"} <= actions
    assert AuditLog.objects.get(action="organization.create").object_id == str(org.pk)
    assert AuditLog.objects.get(action="user.register").ip == "198.51.100.4"
    # The district officer of 万州区 is told there is something to verify.
    assert Notification.objects.filter(recipient=district_officer, title__contains=org.name).count() == 1

    page = client.get("/dashboard/").content.decode()
    assert "注册成功" in page


def test_register_new_provider_uses_the_chosen_provider_kind(client, wanzhou):
    data = form_data(wanzhou, role="provider", provider_kind="training_institution")
    assert client.post(REGISTER, data).status_code == 302
    user = User.objects.get(username="newcomer")
    assert user.role == "provider"
    assert Organization.objects.get(uscc=data["uscc"]).kind == "training_institution"


def test_lower_case_credit_code_is_stored_upper_case(client, wanzhou):
    code = new_code("500101", with_letter=True)
    assert code.lower() != code
    assert client.post(REGISTER, form_data(wanzhou, uscc=f" {code.lower()} ")).status_code == 302
    assert Organization.objects.filter(uscc=code).exists()


def test_code_registered_in_another_district_is_accepted_and_flagged(client, wanzhou):
    code = new_code("500103")  # 渝中区 code, organization now in 万州区
    assert client.post(REGISTER, form_data(wanzhou, uscc=code)).status_code == 302
    org = Organization.objects.get(uscc=code)
    assert org.district == wanzhou
    assert org.region_mismatch is True
    assert "不一致" in AuditLog.objects.get(action="organization.create").summary


def test_city_level_code_is_not_a_mismatch_for_a_district(client, wanzhou):
    code = new_code("500000")
    assert client.post(REGISTER, form_data(wanzhou, uscc=code)).status_code == 302
    assert Organization.objects.get(uscc=code).region_mismatch is False


def test_code_of_a_former_county_is_not_a_mismatch_for_its_successor(client):
    from sme.regions.models import Region

    kaizhou = Region.objects.current().get(code="500154", level="district")  # 开县 (500234) until 2016
    code = new_code("500234")
    assert client.post(REGISTER, form_data(kaizhou, uscc=code)).status_code == 302
    assert Organization.objects.get(uscc=code).region_mismatch is False


def test_logged_in_user_is_sent_to_the_dashboard(client, enterprise_owner, wanzhou):
    client.force_login(enterprise_owner)
    before = snapshot()
    response = client.post(REGISTER, form_data(wanzhou))
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert snapshot() == before


# --- create mode: refusals -----------------------------------------------------------------------


def test_wrong_check_character_names_position_18_and_the_expected_character(client, wanzhou):
    code = new_code()
    expected = code[17]
    wrong = next(c for c in uscc.CHARSET if c != expected)
    assert_refused(
        client, form_data(wanzhou, uscc=code[:17] + wrong), "第18位", f"应为 {expected}", field="uscc"
    )


def test_malformed_credit_code_is_explained(client, wanzhou):
    assert_refused(client, form_data(wanzhou, uscc="91500101ABC"), "应为18位", field="uscc")
    assert_refused(
        client, form_data(wanzhou, uscc="O" + new_code()[1:]), "不使用字母 I、O、Z、S、V", field="uscc"
    )


def test_credit_code_of_an_existing_organization(client, wanzhou):
    existing = OrganizationFactory(district=wanzhou, name="重庆万州已注册有限公司", uscc=new_code())
    html = assert_refused(
        client,
        form_data(wanzhou, uscc=existing.uscc.lower()),
        "重庆万州已注册有限公司",
        "加入已有机构",
        field="uscc",
    )
    assert existing.uscc in html


def test_weak_password(client, wanzhou):
    assert_refused(
        client,
        form_data(wanzhou, password1="qwxzmnbv12", password2="qwxzmnbv12"),
        "至少3类",
        field="password1",
    )


def test_short_password(client, wanzhou):
    assert_refused(client, form_data(wanzhou, password1="Ab1-xyz", password2="Ab1-xyz"), field="password1")


def test_mismatched_passwords(client, wanzhou):
    assert_refused(
        client, form_data(wanzhou, password2=PASSWORD + "x"), "两次输入的密码不一致", field="password2"
    )


def test_duplicate_username(client, wanzhou):
    UserFactory(username="newcomer")
    assert_refused(client, form_data(wanzhou), "用户名「newcomer」已被使用", field="username")


def test_duplicate_mobile(client, wanzhou):
    UserFactory(username="someone_else", mobile=MOBILE)
    assert_refused(client, form_data(wanzhou), f"手机号 {MOBILE} 已注册", field="mobile")


@pytest.mark.parametrize(
    "field",
    [
        "uscc",
        "name",
        "legal_representative",
        "district",
        "address",
        "contact_name",
        "contact_phone",
        "username",
        "real_name",
        "mobile",
        "password1",
        "password2",
        "role",
        "mode",
    ],
)
def test_missing_required_field(client, wanzhou, field):
    assert_refused(client, form_data(wanzhou, **{field: ""}), field=field)


def test_missing_name_says_it_is_required(client, wanzhou):
    assert_refused(client, form_data(wanzhou, name="  "), "此项为必填项", field="name")


@pytest.mark.parametrize("mobile", ["12345678901", "1381234567", "138123456789", "2381234567a"])
def test_invalid_mobile(client, wanzhou, mobile):
    assert_refused(client, form_data(wanzhou, mobile=mobile), field="mobile")


def test_invalid_mobile_message(client, wanzhou):
    assert_refused(
        client, form_data(wanzhou, mobile="12345678901"), "请输入11位中国大陆手机号码", field="mobile"
    )


def test_district_outside_the_platform_is_refused(client, wanzhou):
    from sme.regions.models import Region

    city = Region.objects.current().get(code="500000")
    assert_refused(client, form_data(wanzhou, district=city.pk), field="district")


@pytest.mark.parametrize("role", ["admin", "expert", "district_officer", "city_officer"])
def test_registration_cannot_choose_a_staff_role(client, wanzhou, role):
    assert_refused(client, form_data(wanzhou, role=role), field="role")


@pytest.mark.parametrize("role", ["expert", "admin", "district_officer", "city_officer"])
def test_service_refuses_staff_roles(wanzhou, role):
    before = snapshot()
    with pytest.raises(NotAllowed) as exc:
        services.user_register(
            username="sneaky",
            password=PASSWORD,
            real_name="某人",
            mobile=MOBILE,
            role=role,
            organization={
                "kind": "enterprise",
                "name": "重庆某公司",
                "uscc_code": new_code(),
                "legal_representative": "某人",
                "district": wanzhou,
                "address": "万州",
                "contact_name": "某人",
                "contact_phone": "023-58000000",
            },
        )
    assert "管理员创建" in exc.value.message
    assert snapshot() == before


# --- join mode -----------------------------------------------------------------------------------


def test_join_existing_provider(client, provider_user, django_capture_on_commit_callbacks):
    org = Organization.objects.get(memberships__user=provider_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, join_data(org.uscc, role="enterprise"))
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"

    user = User.objects.get(username="joiner")
    assert user.role == "provider"  # derived from the organization, not from what was ticked
    assert client.session["_auth_user_id"] == str(user.pk)
    membership = Membership.objects.get(user=user)
    assert (membership.organization, membership.role, membership.status) == (org, "member", "pending")
    assert Organization.objects.count() == 1
    assert AuditLog.objects.filter(action="membership.request", actor=user).count() == 1
    assert AuditLog.objects.filter(action="user.register", actor=user).count() == 1
    note = Notification.objects.get(recipient=provider_user)
    assert "赵六" in note.title
    assert org.name in note.title
    assert not Notification.objects.filter(recipient=user).exists()
    assert "加入申请已提交" in client.get("/dashboard/").content.decode()


def test_join_existing_enterprise_gives_enterprise_role(client, enterprise_owner):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    assert client.post(REGISTER, join_data(org.uscc.lower(), role="provider")).status_code == 302
    user = User.objects.get(username="joiner")
    assert user.role == "enterprise"
    assert Membership.objects.get(user=user).organization == org


def test_join_notification_is_written_with_the_request_and_mailed_after_commit(
    client, provider_user, django_capture_on_commit_callbacks
):
    from django.core import mail

    provider_user.email = "owner@example.cn"
    provider_user.save(update_fields=["email"])
    org = Organization.objects.get(memberships__user=provider_user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(REGISTER, join_data(org.uscc))
    assert callbacks
    assert Notification.objects.filter(recipient=provider_user).exists(), "in the same transaction (outbox)"
    assert not mail.outbox, "the mail waits for the commit"


def test_join_unknown_code(client, enterprise_owner):
    code = new_code()
    html = assert_refused(client, join_data(code), "平台上还没有信用代码为", field="uscc")
    assert code in html


def test_join_with_invalid_code(client, enterprise_owner):
    code = new_code()
    assert_refused(client, join_data(code[:17] + ("0" if code[17] != "0" else "1")), "第18位", field="uscc")


def test_join_still_checks_the_account_fields(client, enterprise_owner):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    UserFactory(username="joiner")
    assert_refused(client, join_data(org.uscc), "用户名「joiner」已被使用", field="username")
    assert_refused(
        client, join_data(org.uscc, username="joiner2", password1="abc", password2="abc"), field="password1"
    )


def test_join_ignores_leftovers_of_the_create_only_fields(client, enterprise_owner):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    data = join_data(org.uscc, contact_phone="023－58000000", contact_email="wang@", district="999999")
    assert client.post(REGISTER, data).status_code == 302


def test_nobody_self_joins_an_authority(client, wanzhou):
    from sme.accounts.models import User
    from sme.testing.factories import OrganizationFactory

    authority = OrganizationFactory(district=wanzhou, kind="authority", verification_status="verified")
    response = client.post(
        "/accounts/register/",
        {
            "role": "enterprise",
            "mode": "join",
            "uscc": authority.uscc,
            "username": "sneaky_one",
            "real_name": "某人",
            "mobile": "13912345678",
            "password1": "Good-Pass-2026",
            "password2": "Good-Pass-2026",
        },
    )
    assert response.status_code == 200
    assert "主管部门的账号由平台管理员开通" in response.content.decode()
    assert not User.objects.filter(username="sneaky_one").exists()
