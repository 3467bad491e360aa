"""Account writes: self-registration, accounts made by administrators, activation and unlocking."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sme.core import audit
from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.messages import msg
from sme.organizations.models import Organization, OrganizationKind
from sme.organizations.services import membership_request, organization_create
from sme.regions.models import Region
from sme.regions.selectors import platform_jurisdiction

from .models import Role, User

STAFF_ROLES = frozenset({Role.DISTRICT_OFFICER, Role.CITY_OFFICER, Role.EXPERT, Role.ADMIN})


def _check_unique(username: str, mobile: str | None) -> None:
    errors: dict[str, list[str]] = {}
    if User.objects.filter(username=username).exists():
        errors["username"] = [_("用户名「%(u)s」已被使用。") % {"u": username}]
    if mobile and User.objects.filter(mobile=mobile).exists():
        errors["mobile"] = [_("手机号 %(m)s 已注册，请直接登录或找回密码。") % {"m": mobile}]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], errors)


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0], {"password1": list(exc.messages)}) from exc


@transaction.atomic
def user_register(
    *,
    username: str,
    password: str,
    real_name: str,
    mobile: str,
    email: str = "",
    join_organization: Organization | None = None,
    organization: dict[str, Any] | None = None,
    role: str = Role.ENTERPRISE,
    legal_representative: str = "",
) -> User:
    """Self-registration of an enterprise or provider user, who either creates an organization
    (``organization`` holds its facts) or asks to join an existing one (claims it, when nobody acts
    for it yet: ``legal_representative`` is then the name the district officer checks). All or
    nothing."""
    if (join_organization is None) == (organization is None):
        raise InvalidInput(_("请选择“注册新机构”或“加入已有机构”之一。"))
    if join_organization is not None:
        role = Role.ENTERPRISE if join_organization.kind == OrganizationKind.ENTERPRISE else Role.PROVIDER
    if role not in (Role.ENTERPRISE, Role.PROVIDER):
        raise NotAllowed(_("主管部门和专家账号由平台管理员创建。"))
    _check_unique(username, mobile)
    user = User(
        username=username, real_name=real_name.strip(), mobile=mobile or None, email=email.strip(), role=role
    )
    _check_password(password, user)
    user.set_password(password)
    user.save()
    audit.record(
        "user.register",
        actor=user,
        obj=user,
        summary=msg("自助注册（%(role)s）", role=Role(user.role).label),
    )
    if join_organization is not None:
        membership_request(
            actor=user, organization=join_organization, legal_representative=legal_representative
        )
    else:
        assert organization is not None
        organization_create(actor=user, **organization)
    return user


def _staff_jurisdiction(role: str, jurisdiction: Region | None) -> Region | None:
    """The jurisdiction an account of ``role`` gets: its district, the city, or none."""
    if role == Role.CITY_OFFICER:
        if jurisdiction is None or jurisdiction.level != Region.Level.PROVINCE:
            return platform_jurisdiction()
        return jurisdiction
    return jurisdiction if role == Role.DISTRICT_OFFICER else None


def staff_account_problems(
    *,
    username: str | None,
    password: str | None,
    real_name: str | None = "",
    role: str | None,
    mobile: str | None = "",
    email: str | None = "",
    jurisdiction: Region | None = None,
) -> dict[str, list[str]]:
    """Every reason the account cannot be made as given, by field, all at once (an administrator
    fixes them in one round). A value given as None was refused already (by the form) and is not
    checked again."""
    problems: dict[str, list[str]] = {}
    if role is not None and role not in STAFF_ROLES:
        problems["role"] = [_("请选择主管部门、专家或管理员角色。")]
    if role == Role.DISTRICT_OFFICER and (
        jurisdiction is None
        or jurisdiction.level not in (Region.Level.DISTRICT, Region.Level.FUNCTIONAL_ZONE)
    ):
        problems["jurisdiction"] = [_("区县主管部门账号须指定所辖区县，请选择区县。")]
    if username and User.objects.filter(username=username).exists():
        problems["username"] = [_("用户名「%(u)s」已被使用。") % {"u": username}]
    if mobile and User.objects.filter(mobile=mobile).exists():
        problems["mobile"] = [_("手机号 %(m)s 已注册，请直接登录或找回密码。") % {"m": mobile}]
    if password:
        probe = User(
            username=username or "", real_name=(real_name or "").strip(), email=(email or "").strip()
        )
        try:
            validate_password(password, probe)
        except ValidationError as exc:
            problems["password1"] = list(exc.messages)
    return problems


@transaction.atomic
def staff_account_create(
    *,
    actor: User,
    username: str,
    password: str,
    real_name: str,
    role: str,
    mobile: str = "",
    email: str = "",
    jurisdiction: Region | None = None,
) -> User:
    """An authority, expert or administrator account, made by an administrator. Every problem of
    the input is reported at once (:func:`staff_account_problems`)."""
    if not actor.is_platform_admin:
        raise NotAllowed(_("只有平台管理员可以创建主管部门、专家和管理员账号。"))
    problems = staff_account_problems(
        username=username,
        password=password,
        real_name=real_name,
        role=role,
        mobile=mobile,
        email=email,
        jurisdiction=jurisdiction,
    )
    if not password:
        problems.setdefault("password1", []).append(_("请设置密码。"))
    if problems:
        raise InvalidInput(next(iter(problems.values()))[0], problems)
    jurisdiction = _staff_jurisdiction(role, jurisdiction)
    user = User(
        username=username,
        real_name=real_name.strip(),
        mobile=mobile or None,
        email=email.strip(),
        role=role,
        jurisdiction=jurisdiction,
        is_staff=(role == Role.ADMIN),
    )
    user.set_password(password)
    user.save()
    audit.record(
        "user.create",
        actor=actor,
        obj=user,
        summary=(
            msg("创建账号：%(role)s（%(scope)s）", role=Role(user.role).label, scope=jurisdiction.name)
            if jurisdiction
            else msg("创建账号：%(role)s", role=Role(user.role).label)
        ),
    )
    return user


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> User:
    if not actor.is_platform_admin:
        raise NotAllowed(_("只有平台管理员可以停用或启用账号。"))
    if user.pk == actor.pk and not active:
        raise InvalidInput(_("不能停用自己的账号。"))
    changed = User.objects.filter(pk=user.pk, is_active=not active).update(is_active=active)
    if not changed:
        raise Conflict(_("该账号已经是%(state)s状态。") % {"state": _("启用") if active else _("停用")})
    user.refresh_from_db()
    audit.record(
        "user.activate" if active else "user.deactivate",
        actor=actor,
        obj=user,
        changes={"is_active": [not active, active]},
    )
    return user


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> User:
    if not actor.is_platform_admin:
        raise NotAllowed(_("只有平台管理员可以解除锁定。"))
    changed = User.objects.filter(pk=user.pk, locked_until__isnull=False).update(
        failed_login_count=0, locked_until=None
    )
    if not changed:
        raise Conflict(_("该账号没有被锁定。"))
    user.refresh_from_db()
    audit.record("user.unlock", actor=actor, obj=user, summary=msg("管理员解除登录锁定"))
    return user
