"""Writes to organizations and memberships. Each one audits, and notifies after commit."""

from __future__ import annotations

from typing import Any, cast

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sme.core import audit
from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.workflow import apply_transition
from sme.notifications.services import notify
from sme.regions.models import Region

from . import uscc
from .models import (
    MANAGING_ROLES,
    Membership,
    MembershipRole,
    MembershipStatus,
    Organization,
    VerificationStatus,
)
from .permissions import active_membership, roles_for
from .workflow import ORG_MANAGER, VERIFICATION

IDENTITY_FIELDS = ("kind", "name", "uscc", "legal_representative", "district")
CONTACT_FIELDS = ("address", "contact_name", "contact_phone", "contact_email")


def validated_uscc(raw: str, *, exclude_pk: int | None = None) -> str:
    """The normalized code, or InvalidInput naming what is wrong (or who already holds it)."""
    result = uscc.check(raw)
    if not result.valid:
        raise InvalidInput(result.errors[0], {"uscc": result.errors})
    holders = Organization.objects.filter(uscc=result.code)
    if exclude_pk is not None:
        holders = holders.exclude(pk=exclude_pk)
    holder = holders.first()
    if holder is not None:
        message = _(
            "统一社会信用代码 %(code)s 已由「%(name)s」注册。如您属于该机构，请选择“加入已有机构”。"
        ) % {
            "code": result.code,
            "name": holder.name,
        }
        raise InvalidInput(message, {"uscc": [message]})
    return result.code


def region_mismatch(code: str, district: Region) -> bool:
    """Whether the code's registration region names a different division than ``district``.

    A code registered at city or province level covers every district below it; a functional zone
    has no code of its own, so nothing can be compared.
    """
    region_code = code[2:8]
    if not district.code or region_code == district.code:
        return False
    if district.predecessors.filter(code=region_code).exists():
        return False
    if region_code[2:] == "0000" and district.code[:2] == region_code[:2]:
        return False
    if region_code[4:] == "00":  # registered at prefecture level
        return district.code[:4] != region_code[:4]
    return True


def _check_district(district: Region) -> None:
    if (
        district.level not in (Region.Level.DISTRICT, Region.Level.FUNCTIONAL_ZONE)
        or not district.is_current()
    ):
        raise InvalidInput(_("请选择现行的区县。"), {"district": [_("请选择现行的区县。")]})


@transaction.atomic
def organization_create(
    *,
    actor: Any,
    kind: str,
    name: str,
    uscc_code: str,
    legal_representative: str,
    district: Region,
    address: str,
    contact_name: str,
    contact_phone: str,
    contact_email: str = "",
) -> Organization:
    """A new organization, pending verification, with ``actor`` as its owner."""
    code = validated_uscc(uscc_code)
    _check_district(district)
    try:
        with transaction.atomic():
            org = Organization.objects.create(
                kind=kind,
                name=name.strip(),
                uscc=code,
                legal_representative=legal_representative.strip(),
                district=district,
                address=address.strip(),
                contact_name=contact_name.strip(),
                contact_phone=contact_phone.strip(),
                contact_email=contact_email.strip(),
                region_mismatch=region_mismatch(code, district),
                submitted_at=timezone.now(),
            )
    except IntegrityError as exc:  # registered by someone else a moment ago
        raise InvalidInput(
            _("统一社会信用代码 %(code)s 刚刚已被注册。") % {"code": code}, {"uscc": [_("该代码已被注册。")]}
        ) from exc
    Membership.objects.create(
        organization=org, user=actor, role=MembershipRole.OWNER, status=MembershipStatus.ACTIVE
    )
    audit.record(
        "organization.create",
        actor=actor,
        obj=org,
        summary=_("注册机构，待区县主管部门认证")
        + (_("（代码区划与所在区县不一致）") if org.region_mismatch else ""),
        changes={"uscc": [None, code], "district": [None, district.name]},
    )
    _notify_district_officers(org, _("新机构待认证：%(name)s") % {"name": org.name})
    return org


def _notify_district_officers(org: Organization, title: str) -> None:
    from sme.accounts.models import Role, User

    officers = User.objects.filter(role=Role.DISTRICT_OFFICER, jurisdiction=org.district, is_active=True)
    notify(officers, title=title, url=reverse("organizations:detail", args=[org.pk]))


def _managers(org: Organization) -> list[Any]:
    return [
        m.user
        for m in org.memberships.filter(
            status=MembershipStatus.ACTIVE, role__in=MANAGING_ROLES
        ).select_related("user")
    ]


@transaction.atomic
def organization_update(
    *, actor: Any, organization: Organization, expected_version: int, **fields: Any
) -> Organization:
    """Edit an organization's facts. Identity facts can change only while it is not verified
    (a verified organization asks its district officer); contacts can change at any time.
    ``expected_version`` is the version the form was read at: if someone saved in between, nothing
    is written and the caller is told."""
    if ORG_MANAGER not in roles_for(actor, organization):
        raise NotAllowed(_("只有机构负责人或管理员可以修改机构信息。"))
    unknown = set(fields) - set(IDENTITY_FIELDS) - set(CONTACT_FIELDS)
    if unknown:
        raise InvalidInput(_("不能修改的字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    changes = {k: v for k, v in fields.items() if getattr(organization, k) != v}
    identity_changes = set(changes) & set(IDENTITY_FIELDS)
    if identity_changes and organization.verification_status == VerificationStatus.VERIFIED:
        raise NotAllowed(
            _("机构已通过认证，名称、信用代码、法定代表人和所在区县不能自行修改，请联系所在区县主管部门。")
        )
    if "uscc" in changes:
        changes["uscc"] = validated_uscc(changes["uscc"], exclude_pk=organization.pk)
    if "district" in changes:
        _check_district(changes["district"])
    if not changes:
        return organization
    before = {k: getattr(organization, k) for k in changes}
    code = changes.get("uscc", organization.uscc)
    district = changes.get("district", organization.district)
    updated = Organization.objects.filter(pk=organization.pk, version=expected_version).update(
        **changes,
        region_mismatch=region_mismatch(code, district),
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if updated == 0:
        raise Conflict(_("在您编辑期间，该机构信息已被他人修改。您的修改未保存，请刷新后重新填写。"))
    organization.refresh_from_db()
    audit.record(
        "organization.update",
        actor=actor,
        obj=organization,
        summary=_("修改机构信息：%(fields)s")
        % {
            "fields": "、".join(
                str(cast(models.Field, Organization._meta.get_field(k)).verbose_name) for k in sorted(changes)
            )
        },
        changes=audit.diff(before, {k: getattr(organization, k) for k in changes}),
    )
    return organization


def organization_transition(
    *, actor: Any, organization: Organization, action: str, note: str = ""
) -> Organization:
    """Verify, reject (with a reason) or resubmit, per ``workflow.VERIFICATION``."""
    now = timezone.now()
    updates: dict[str, Any] = {
        "verify": {"verified_at": now, "verified_by": actor, "rejection_reason": ""},
        "reject": {"rejection_reason": note.strip(), "verified_at": None, "verified_by": None},
        "resubmit": {"submitted_at": now},
    }.get(action, {})
    org = apply_transition(
        workflow=VERIFICATION,
        obj=organization,
        action=action,
        actor=actor,
        roles=roles_for(actor, organization),
        note=note,
        status_field="verification_status",
        updates=updates,
    )
    assert isinstance(org, Organization)
    url = reverse("organizations:detail", args=[org.pk])
    if action == "verify":
        notify(_managers(org), title=_("机构认证已通过：%(name)s") % {"name": org.name}, url=url)
    elif action == "reject":
        notify(
            _managers(org),
            title=_("机构认证被退回：%(name)s") % {"name": org.name},
            body=_("退回理由：%(reason)s\n请按要求修改后重新提交。") % {"reason": org.rejection_reason},
            url=url,
        )
    elif action == "resubmit":
        _notify_district_officers(org, _("机构修改后重新提交认证：%(name)s") % {"name": org.name})
    return org


@transaction.atomic
def membership_request(*, actor: Any, organization: Organization) -> Membership:
    """Ask to join an existing organization; its owner or an administrator decides."""
    existing = Membership.objects.filter(organization=organization, user=actor).first()
    if existing is not None and existing.status != MembershipStatus.DECLINED:
        raise InvalidInput(_("您已是该机构成员或已提交过加入申请。"))
    if existing is not None:
        Membership.objects.filter(pk=existing.pk).update(
            status=MembershipStatus.PENDING, updated_at=timezone.now()
        )
        existing.refresh_from_db()
        membership = existing
    else:
        membership = Membership.objects.create(
            organization=organization, user=actor, role=MembershipRole.MEMBER, status=MembershipStatus.PENDING
        )
    audit.record(
        "membership.request",
        actor=actor,
        obj=membership,
        summary=_("申请加入「%(org)s」") % {"org": organization.name},
    )
    notify(
        _managers(organization),
        title=_("%(user)s 申请加入「%(org)s」") % {"user": actor.display_name, "org": organization.name},
        url=reverse("organizations:members", args=[organization.pk]),
    )
    return membership


@transaction.atomic
def membership_decide(*, actor: Any, membership: Membership, approve: bool) -> Membership:
    """Approve or decline a pending join request (compare-and-set on the pending status)."""
    org = membership.organization
    mine = active_membership(actor, org)
    if mine is None or mine.role not in MANAGING_ROLES:
        raise NotAllowed(_("只有机构负责人或管理员可以处理加入申请。"))
    target = MembershipStatus.ACTIVE if approve else MembershipStatus.DECLINED
    changed = Membership.objects.filter(pk=membership.pk, status=MembershipStatus.PENDING).update(
        status=target, updated_at=timezone.now()
    )
    if changed == 0:
        raise Conflict(_("该申请已被处理。"))
    membership.refresh_from_db()
    audit.record(
        "membership.approve" if approve else "membership.decline",
        actor=actor,
        obj=membership,
        summary=(_("批准 %(user)s 加入") if approve else _("拒绝 %(user)s 加入"))
        % {"user": membership.user.display_name},
        changes={"status": [MembershipStatus.PENDING, target]},
    )
    notify(
        [membership.user],
        title=(_("您加入「%(org)s」的申请已获批准") if approve else _("您加入「%(org)s」的申请未获批准"))
        % {"org": org.name},
        url=reverse("core:dashboard"),
    )
    return membership
