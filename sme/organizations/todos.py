"""What organization work waits for a user, for their landing page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from sme.core.todos import Todo

from . import selectors
from .guards import has_members
from .models import MANAGING_ROLES, MembershipStatus, VerificationStatus


def todos_for(user: Any) -> list[Todo]:
    items: list[Todo] = []
    if user.is_district_officer:
        claims = selectors.pending_claims_for(user).count()
        if claims:
            items.append(
                Todo(
                    _("机构认领待审核"),
                    reverse("organizations:claims"),
                    detail=_("名录导入的机构尚无负责人，有人申请认领"),
                    count=claims,
                    level="warning",
                )
            )
        pending = selectors.pending_verification_count(user)
        if pending:
            items.append(
                Todo(
                    _("机构认证待审核"),
                    reverse("organizations:list") + "?status=pending&sort=oldest",
                    detail=_("按提交先后办理"),
                    count=pending,
                    level="warning",
                )
            )
    elif user.is_city_officer:
        for row in selectors.pending_verification_by_district(user):
            items.append(
                Todo(
                    _("%(d)s：机构认证待审核") % {"d": row["district__name"]},
                    reverse("organizations:list") + f"?status=pending&district={row['district']}",
                    count=row["n"],
                    level="secondary",
                )
            )
    elif user.acts_for_organization:
        for m in selectors.memberships_of(user):
            org = m.organization
            url = reverse("organizations:detail", args=[org.pk])
            if m.status == MembershipStatus.PENDING:
                waiting_for = (
                    _("认领「%(org)s」的申请待所在区县主管部门审核")
                    if not has_members(org.pk)
                    else _("加入「%(org)s」的申请待负责人批准")
                )
                items.append(Todo(waiting_for % {"org": org.name}, level="secondary"))
                continue
            if m.status != MembershipStatus.ACTIVE:
                continue
            if org.verification_status == VerificationStatus.REJECTED:
                items.append(
                    Todo(
                        _("机构认证被退回，请修改后重新提交"),
                        url,
                        detail=org.rejection_reason,
                        level="danger",
                    )
                )
            elif org.verification_status == VerificationStatus.PENDING:
                items.append(
                    Todo(
                        _("机构认证审核中：%(org)s") % {"org": org.name},
                        url,
                        detail=_("所在区县主管部门审核后会通知您"),
                        level="secondary",
                    )
                )
            if m.role in MANAGING_ROLES:
                waiting = selectors.pending_join_requests(org).count()
                if waiting:
                    items.append(
                        Todo(
                            _("有人申请加入「%(org)s」") % {"org": org.name},
                            reverse("organizations:members", args=[org.pk]),
                            count=waiting,
                            level="warning",
                        )
                    )
    return items
