"""Writes to organizations and memberships. Each one audits, and notifies after commit.

Verification and memberships move along their tables (``workflow.VERIFICATION``, ``workflow.MEMBERSHIP``)
through the workflow kernel, which leaves the transition-log and audit rows; edits of an organization's
facts are compare-and-set on its version (``sme.core.versioning``).
"""

from __future__ import annotations

import unicodedata
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from sme.core import audit, clock
from sme.core.errors import InvalidInput, NotAllowed
from sme.core.messages import Message, msg
from sme.core.versioning import update_versioned
from sme.core.workflow import apply_transition, start_transition
from sme.notifications.services import notify
from sme.regions.models import Region

from . import uscc
from .guards import has_members
from .models import (
    MANAGING_ROLES,
    Membership,
    MembershipRole,
    MembershipStatus,
    Organization,
    VerificationStatus,
)
from .permissions import district_officers_covering, membership_roles, roles_for
from .selectors import region_mismatch
from .workflow import APPLICANT, DISTRICT_OFFICER, MEMBERSHIP, ORG_MANAGER, VERIFICATION

IDENTITY_FIELDS = ("kind", "name", "uscc", "legal_representative", "district")
CONTACT_FIELDS = ("address", "contact_name", "contact_phone", "contact_email")
EVENT = "organizations"


def _validated_uscc(raw: str, *, exclude_pk: int | None = None) -> str:
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
    code = _validated_uscc(uscc_code)
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
                submitted_at=clock.now(),
            )
    except IntegrityError as exc:  # registered by someone else a moment ago
        raise InvalidInput(
            _("统一社会信用代码 %(code)s 刚刚已被注册。") % {"code": code}, {"uscc": [_("该代码已被注册。")]}
        ) from exc
    owner = Membership.objects.create(
        organization=org, user=actor, role=MembershipRole.OWNER, status=MembershipStatus.ACTIVE
    )
    start_transition(workflow=MEMBERSHIP, obj=owner, action="found", actor=actor, roles={APPLICANT})
    summary = msg("注册机构，待区县主管部门认证")
    if org.region_mismatch:
        summary = msg("%(summary)s%(warning)s", summary=summary, warning=msg("（代码区划与所在区县不一致）"))
    audit.record(
        "organization.create",
        actor=actor,
        obj=org,
        summary=summary,
        changes={"uscc": [None, code], "district": [None, district.name]},
    )
    _notify_district_officers(org, msg("新机构待认证：%(name)s", name=org.name))
    return org


def _notify_district_officers(org: Organization, title: Message) -> None:
    officers = get_user_model().objects.district_officers().filter(jurisdiction=org.district)
    notify(officers, title=title, url=reverse("organizations:detail", args=[org.pk]), event=EVENT)


def _managers(org: Organization) -> list[Any]:
    return [
        m.user
        for m in org.memberships.filter(
            status=MembershipStatus.ACTIVE, role__in=MANAGING_ROLES
        ).select_related("user")
    ]


def _field_names(names: list[str]) -> Message:
    """The fields' labels, joined, each shown in the reader's language."""
    labels = {
        f"f{i}": cast(models.Field, Organization._meta.get_field(n)).verbose_name for i, n in enumerate(names)
    }
    return Message("、".join(f"%({key})s" for key in labels), labels)


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
        changes["uscc"] = _validated_uscc(changes["uscc"], exclude_pk=organization.pk)
    if "district" in changes:
        _check_district(changes["district"])
    if not changes:
        return organization
    before = {k: getattr(organization, k) for k in changes}
    code = changes.get("uscc", organization.uscc)
    district = changes.get("district", organization.district)
    update_versioned(
        organization,
        expected_version=expected_version,
        conflict_message=_("在您编辑期间，该机构信息已被他人修改。您的修改未保存，请刷新后重新填写。"),
        **changes,
        region_mismatch=region_mismatch(code, district),
    )
    audit.record(
        "organization.update",
        actor=actor,
        obj=organization,
        summary=msg("修改机构信息：%(fields)s", fields=_field_names(sorted(changes))),
        changes=audit.diff(before, {k: getattr(organization, k) for k in changes}),
    )
    return organization


def organization_transition(
    *, actor: Any, organization: Organization, action: str, note: str = ""
) -> Organization:
    """Verify, reject (with a reason) or resubmit, per ``workflow.VERIFICATION``."""
    now = clock.now()
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
    url = reverse("organizations:detail", args=[org.pk])
    if action == "verify":
        notify(_managers(org), title=msg("机构认证已通过：%(name)s", name=org.name), url=url, event=EVENT)
    elif action == "reject":
        notify(
            _managers(org),
            title=msg("机构认证被退回：%(name)s", name=org.name),
            body=msg("退回理由：%(reason)s\n请按要求修改后重新提交。", reason=org.rejection_reason),
            url=url,
            event=EVENT,
        )
    elif action == "resubmit":
        _notify_district_officers(org, msg("机构修改后重新提交认证：%(name)s", name=org.name))
    return org


_NAME_DOTS = str.maketrans({"•": "·", "・": "·", "．": "·", ".": "·", "‧": "·"})


def _name_key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split()).translate(_NAME_DOTS).casefold()


def _same_name(a: str, b: str) -> bool:
    """Two spellings of a person's name are the same name (blanks, full-width forms and the dot
    between the parts of a transcribed name aside)."""
    return bool(a and b) and _name_key(a) == _name_key(b)


def claim_check(membership: Membership) -> dict[str, Any]:
    """What the district officer compares before deciding a claim: the legal representative the
    applicant typed against the registry's."""
    typed = membership.claimed_legal_representative
    registry = membership.organization.legal_representative
    return {"typed": typed, "registry": registry, "matches": _same_name(typed, registry)}


@transaction.atomic
def membership_request(
    *, actor: Any, organization: Organization, legal_representative: str = ""
) -> Membership:
    """Ask to join an existing organization; its owner or an administrator decides. Someone who was
    declined may ask again (the same membership moves back to pending).

    An organization without members (imported from the registry) is claimed instead: the applicant
    gives its legal representative's name, and the district officer of its district decides
    (:func:`membership_decide`); the first person approved becomes the owner."""
    legal_representative = (legal_representative or "").strip()[:50]
    claim = not has_members(organization.pk)
    if claim and not legal_representative:
        message = _("该机构由企业名录导入，尚无负责人。请填写法定代表人姓名，供所在区县主管部门核对。")
        raise InvalidInput(message, {"legal_representative": [message]})
    existing = Membership.objects.filter(organization=organization, user=actor).first()
    if existing is not None and existing.status != MembershipStatus.DECLINED:
        raise InvalidInput(_("您已是该机构成员或已提交过加入申请。"))
    changes = {"claimed_legal_representative": [None, legal_representative]} if legal_representative else None
    if existing is not None:
        membership = apply_transition(
            workflow=MEMBERSHIP,
            obj=existing,
            action="request",
            actor=actor,
            roles=membership_roles(actor, existing),
            updates={"claimed_legal_representative": legal_representative},
            changes=changes,
        )
    else:
        membership = Membership.objects.create(
            organization=organization,
            user=actor,
            role=MembershipRole.MEMBER,
            status=MembershipStatus.PENDING,
            claimed_legal_representative=legal_representative,
        )
        start_transition(
            workflow=MEMBERSHIP,
            obj=membership,
            action="request",
            actor=actor,
            roles={APPLICANT},
            changes=changes,
        )
    if claim:
        notify(
            district_officers_covering(organization.district_id),
            title=msg(
                "认领申请待审核：%(user)s 申请成为「%(org)s」的负责人",
                user=actor.display_name,
                org=organization.name,
            ),
            body=msg(
                "该机构由企业名录导入，尚无负责人。申请人填写的法定代表人：%(typed)s；名录记载：%(registry)s。",
                typed=legal_representative,
                registry=organization.legal_representative or "—",
            ),
            url=reverse("organizations:claims"),
            event=EVENT,
        )
    else:
        notify(
            _managers(organization),
            title=msg("%(user)s 申请加入「%(org)s」", user=actor.display_name, org=organization.name),
            url=reverse("organizations:members", args=[organization.pk]),
            event=EVENT,
        )
    return membership


@transaction.atomic
def membership_decide(*, actor: Any, membership: Membership, approve: bool, note: str = "") -> Membership:
    """Approve or decline a pending join request, per ``workflow.MEMBERSHIP``. Of two deciding at
    once, the first one wins and the second is told (compare-and-set on pending).

    The organization's owner or an administrator decides a request to join; the district officer
    of its district decides a claim of an organization nobody acts for yet (a reason is required
    to decline), and the person approved becomes its owner."""
    # One claim decided at a time per organization: the first approved becomes the owner, and the
    # guard of a second sees that owner.
    Organization.objects.select_for_update().filter(pk=membership.organization_id).first()
    roles = membership_roles(actor, membership)
    claim = ORG_MANAGER not in roles and DISTRICT_OFFICER in roles
    action = ("approve" if approve else "decline") + ("_claim" if claim else "")
    check = claim_check(membership) if claim else None
    decided = apply_transition(
        workflow=MEMBERSHIP,
        obj=membership,
        action=action,
        actor=actor,
        roles=roles,
        note=note,
        updates={"role": MembershipRole.OWNER} if claim and approve else None,
        changes=(
            {
                "claimed_legal_representative": [check["typed"], check["registry"]],
                **({"role": [membership.role, MembershipRole.OWNER]} if approve else {}),
            }
            if check
            else None
        ),
    )
    org = decided.organization.name
    if claim and approve:
        title = msg("您已成为「%(org)s」的负责人：所在区县主管部门已批准认领", org=org)
        body: Message | str = ""
    elif claim:
        title = msg("您认领「%(org)s」的申请未获批准", org=org)
        body = msg("理由：%(reason)s", reason=note.strip())
    else:
        title = (
            msg("您加入「%(org)s」的申请已获批准", org=org)
            if approve
            else msg("您加入「%(org)s」的申请未获批准", org=org)
        )
        body = ""
    notify([decided.user], title=title, body=body, url=reverse("core:dashboard"), event=EVENT)
    return decided
