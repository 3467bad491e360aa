"""Every legal entity on the platform, and the people who act for it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sme.core.models import TimeStampedModel


class OrganizationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    SERVICE_PROVIDER = "service_provider", _("服务机构")
    AUTHORITY = "authority", _("主管部门")
    FINANCIAL_INSTITUTION = "financial_institution", _("金融机构")
    TRAINING_INSTITUTION = "training_institution", _("培训机构")
    OTHER = "other", _("其他")


PROVIDER_KINDS = frozenset(
    {
        OrganizationKind.SERVICE_PROVIDER,
        OrganizationKind.FINANCIAL_INSTITUTION,
        OrganizationKind.TRAINING_INSTITUTION,
        OrganizationKind.OTHER,
    }
)


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    VERIFIED = "verified", _("已认证")
    REJECTED = "rejected", _("已退回")


class Organization(TimeStampedModel):
    kind = models.CharField(_("机构类型"), max_length=32, choices=OrganizationKind.choices)
    name = models.CharField(_("机构名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=50)
    # No index of its own: the composite indexes below all start with the district.
    district = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在区县"),
        on_delete=models.PROTECT,
        related_name="organizations",
        db_index=False,
    )
    address = models.CharField(_("地址"), max_length=200)
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    # The credit code's region part names another division than ``district``: allowed (entities
    # move), and shown to the reviewing officer.
    region_mismatch = models.BooleanField(_("代码区划与所在区县不一致"), default=False)

    verification_status = models.CharField(
        _("认证状态"), max_length=16, choices=VerificationStatus.choices, default=VerificationStatus.PENDING
    )
    rejection_reason = models.TextField(_("退回理由"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    verified_at = models.DateTimeField(_("认证时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Optimistic lock for edits: a form carries the version it was read at.
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        indexes = [
            # An officer's queue: their district, a status, newest first (bench org_list_1m).
            models.Index(
                fields=["district", "verification_status", "-created_at", "-id"], name="org_district_status"
            ),
            # Covering ``name`` so a keyword search finds its page of keys from the index alone.
            models.Index(
                fields=["district", "-created_at", "-id"], name="org_district_recent", include=["name"]
            ),
            models.Index(fields=["district", "kind", "-created_at", "-id"], name="org_district_kind"),
            # Sorting by name, and counting name matches without visiting the rows (PostgreSQL).
            models.Index(
                fields=["district", "name", "id"],
                name="org_district_name",
                include=["kind", "verification_status"],
            ),
            models.Index(fields=["verification_status", "-created_at", "-id"], name="org_status_recent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED


class MembershipRole(models.TextChoices):
    OWNER = "owner", _("负责人")
    ADMIN = "admin", _("管理员")
    MEMBER = "member", _("成员")


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("待批准")
    ACTIVE = "active", _("有效")
    DECLINED = "declined", _("已拒绝")


MANAGING_ROLES = frozenset({MembershipRole.OWNER, MembershipRole.ADMIN})


class Membership(TimeStampedModel):
    organization = models.ForeignKey(
        Organization, verbose_name=_("机构"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("机构内角色"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    # Asking to join an organization that has no members yet (imported from the registry): the name
    # the applicant gives, which the district officer compares with the registry's before deciding.
    claimed_legal_representative = models.CharField(_("申请人填写的法定代表人"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("机构成员")
        verbose_name_plural = _("机构成员")
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="membership_once")]
        indexes = [models.Index(fields=["user", "status"], name="membership_user_status")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"
