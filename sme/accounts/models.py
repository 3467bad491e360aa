"""People who use the platform, their platform role and, for officers, their jurisdiction."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

mobile_validator = RegexValidator(r"^1[3-9]\d{9}$", _("请输入11位中国大陆手机号码。"))


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业用户")
    PROVIDER = "provider", _("服务机构用户")
    DISTRICT_OFFICER = "district_officer", _("区县主管部门")
    CITY_OFFICER = "city_officer", _("市级主管部门")
    EXPERT = "expert", _("评审专家")
    ADMIN = "admin", _("平台管理员")


OFFICER_ROLES = frozenset({Role.DISTRICT_OFFICER, Role.CITY_OFFICER})
SELF_REGISTERED_ROLES = frozenset({Role.ENTERPRISE, Role.PROVIDER})


class PlatformUserManager(UserManager["User"]):
    """Apps that only know the user model (``get_user_model()``) ask it for officers here, so that
    they need not import the role list."""

    def district_officers(self) -> models.QuerySet[User]:
        """Active district officers (each has a jurisdiction: a check constraint says so)."""
        return self.filter(role=Role.DISTRICT_OFFICER, is_active=True, jurisdiction__isnull=False)

    def create_superuser(self, username: str, email: str | None = None, password: str | None = None, **extra):  # type: ignore[no-untyped-def,override]
        extra.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    """Log in with the username or the mobile number; email is optional."""

    email = models.EmailField(_("电子邮箱"), blank=True)
    mobile = models.CharField(
        _("手机号码"), max_length=11, unique=True, null=True, blank=True, validators=[mobile_validator]
    )
    real_name = models.CharField(_("姓名"), max_length=50, blank=True)
    role = models.CharField(_("平台角色"), max_length=20, choices=Role.choices, default=Role.ENTERPRISE)
    jurisdiction = models.ForeignKey(
        "regions.Region",
        verbose_name=_("管辖区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
        help_text=_("区县主管部门为所辖区县，市级主管部门为全市"),
    )
    failed_login_count = models.PositiveSmallIntegerField(_("连续登录失败次数"), default=0)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)

    objects: ClassVar[PlatformUserManager] = PlatformUserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=["district_officer", "city_officer"])
                | models.Q(jurisdiction__isnull=False),
                name="officer_has_jurisdiction",
            )
        ]

    def __str__(self) -> str:
        return self.real_name or self.username

    @property
    def display_name(self) -> str:
        return self.real_name or self.username

    @property
    def is_officer(self) -> bool:
        return self.role in OFFICER_ROLES

    @property
    def is_district_officer(self) -> bool:
        return self.role == Role.DISTRICT_OFFICER

    @property
    def is_city_officer(self) -> bool:
        return self.role == Role.CITY_OFFICER

    @property
    def acts_for_organization(self) -> bool:
        """An enterprise or provider user: someone who works through the organizations they belong to."""
        return self.role in SELF_REGISTERED_ROLES

    @property
    def is_platform_admin(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or timezone.now())


class LoginThrottle(models.Model):
    """Failed logins with a login name no account has, counted and locked like an account's own
    failures, so that the answers to a known and an unknown name are the same (no enumeration).

    The name typed is kept only as a SHA-256 (people type passwords into the name box)."""

    key = models.CharField(_("登录名摘要"), max_length=64, unique=True)
    failed_login_count = models.PositiveSmallIntegerField(_("连续登录失败次数"), default=0)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("未知登录名的失败计数")
        verbose_name_plural = _("未知登录名的失败计数")

    def __str__(self) -> str:
        return f"{self.key[:12]}… ×{self.failed_login_count}"

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or timezone.now())
