"""Realistic demo data: one persona per role and about forty organizations across real districts.

Idempotent: people and organizations are looked up by username and credit code, so a second run
adds nothing. Credit codes come from a seeded generator, so they are valid and the same every run.
"""

from __future__ import annotations

import random
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from sme.accounts.models import Role, User
from sme.assessment.demo import load_demo_assessments
from sme.catalog.demo import load_demo_catalog
from sme.certification.demo import load_demo_certification
from sme.core import audit, clock
from sme.core.messages import msg
from sme.demands.demo import load_demo as load_demo_demands
from sme.demo.personas import DEMO_PASSWORD, PERSONAS
from sme.enterprises.demo import load_demo_enterprises
from sme.orders.demo import load_demo as load_demo_orders
from sme.organizations import uscc
from sme.organizations.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Organization,
    OrganizationKind,
    VerificationStatus,
)
from sme.regions.models import Region
from sme.tickets.demo import load_demo as load_demo_tickets

# (district code, name, kind, status, legal representative); the first two belong to personas.
ORGANIZATIONS: list[tuple[str, str, str, str, str]] = [
    ("500103", "重庆渝中智联科技有限公司", "enterprise", "verified", "陈静"),
    ("500101", "重庆三峡云服信息技术有限公司", "service_provider", "verified", "李强"),
    ("500101", "万州区江南食品加工有限公司", "enterprise", "pending", "周建国"),
    ("500101", "重庆万州平湖纺织有限公司", "enterprise", "pending", "吴晓梅"),
    ("500101", "万州区天城数控机械厂", "enterprise", "pending", "郑海"),
    ("500101", "重庆市万州区鑫源物流有限公司", "enterprise", "rejected", "孙立"),
    ("500101", "重庆万州港兴电子商务有限公司", "enterprise", "verified", "冯丽"),
    ("500101", "万州区中小企业融资担保有限公司", "financial_institution", "verified", "何志勇"),
    ("500103", "重庆解放碑财务咨询有限公司", "service_provider", "verified", "黄蓉"),
    ("500103", "重庆渝中区大坪软件园管理有限公司", "service_provider", "verified", "马骏"),
    ("500105", "重庆江北观音桥商贸有限公司", "enterprise", "verified", "林芳"),
    ("500105", "重庆鸿恩寺文化传媒有限公司", "enterprise", "pending", "罗斌"),
    ("500106", "重庆沙坪坝磁器口工艺品有限公司", "enterprise", "verified", "唐雪"),
    ("500106", "重庆大学城信息技术培训学校", "training_institution", "verified", "宋涛"),
    ("500107", "重庆九龙坡铝材加工有限公司", "enterprise", "verified", "许杰"),
    ("500107", "重庆西彭精密模具有限公司", "enterprise", "pending", "韩冰"),
    ("500108", "重庆南岸茶园新区电子有限公司", "enterprise", "verified", "邓伟"),
    ("500108", "重庆南坪工业设计服务有限公司", "service_provider", "verified", "曹宇"),
    ("500109", "重庆北碚缙云山农业科技有限公司", "enterprise", "verified", "彭丹"),
    ("500112", "重庆两路空港供应链管理有限公司", "service_provider", "verified", "曾鹏"),
    ("500112", "重庆渝北仙桃数据技术有限公司", "enterprise", "verified", "谢婷"),
    ("500113", "重庆巴南界石汽配有限公司", "enterprise", "verified", "蒋军"),
    ("500102", "重庆涪陵榨菜食品有限公司", "enterprise", "verified", "蔡红"),
    ("500102", "重庆涪陵页岩气技术服务有限公司", "service_provider", "pending", "潘勇"),
    ("500115", "重庆长寿化工新材料有限公司", "enterprise", "verified", "田野"),
    ("500116", "重庆江津德感粮油有限公司", "enterprise", "verified", "董洁"),
    ("500117", "重庆合川钓鱼城旅游开发有限公司", "enterprise", "verified", "袁华"),
    ("500118", "重庆永川大数据产业服务有限公司", "service_provider", "verified", "于浩"),
    ("500119", "重庆南川金佛山中药材有限公司", "enterprise", "verified", "余芳"),
    ("500110", "重庆綦江齿轮传动有限公司", "enterprise", "verified", "杜明"),
    ("500111", "重庆大足五金制品有限公司", "enterprise", "verified", "戴静"),
    ("500120", "重庆璧山智能装备有限公司", "enterprise", "verified", "夏雨"),
    ("500151", "重庆铜梁龙灯文化创意有限公司", "enterprise", "pending", "钟伟"),
    ("500152", "重庆潼南柠檬科技有限公司", "enterprise", "verified", "汪洋"),
    ("500153", "重庆荣昌夏布制品有限公司", "enterprise", "verified", "田甜"),
    ("500154", "重庆开州电子商务服务中心有限公司", "service_provider", "verified", "任平"),
    ("500155", "重庆梁平竹编工艺有限公司", "enterprise", "verified", "姜涛"),
    ("500114", "重庆黔江蚕桑丝绸有限公司", "enterprise", "verified", "范丽"),
    ("500240", "石柱土家族自治县黄连种植专业合作社", "other", "verified", "谭勇"),
    ("500236", "重庆奉节脐橙电商有限公司", "enterprise", "verified", "廖敏"),
    ("500242", "酉阳县桃花源旅游服务有限公司", "enterprise", "pending", "熊伟"),
]

STREETS = ["人民路", "新华路", "解放路", "建设大道", "工业园区创业大道", "滨江路", "科技路", "学府大道"]


class Command(BaseCommand):
    help = "Load the demo personas and organizations (idempotent)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        rng = random.Random(20260301)
        users = self._personas()
        created = 0
        for i, (code, name, kind, status, legal_rep) in enumerate(ORGANIZATIONS):
            district = Region.objects.current().get(code=code, level=Region.Level.DISTRICT)
            department, category = ("9", "3") if name.endswith("合作社") else ("9", "1")
            code_value = uscc.make(code, department=department, category=category, rng=rng)
            if Organization.objects.filter(name=name).exists():
                continue
            org = Organization.objects.create(
                kind=kind,
                name=name,
                uscc=code_value,
                legal_representative=legal_rep,
                district=district,
                address=f"重庆市{district.name}{STREETS[i % len(STREETS)]}{rng.randint(1, 300)}号",
                contact_name=legal_rep,
                contact_phone=f"023-{rng.randint(60000000, 69999999)}",
                verification_status=status,
                submitted_at=clock.now(),
                verified_at=clock.now() if status == VerificationStatus.VERIFIED else None,
                rejection_reason="营业执照扫描件不清晰，且地址与执照不一致，请核对后重新提交。"
                if status == VerificationStatus.REJECTED
                else "",
            )
            created += 1
            owner = users.get("qiye_yuzhong") if i == 0 else users.get("fuwu_wanzhou") if i == 1 else None
            if owner is None:
                owner = self._owner_for(org, i)
            Membership.objects.get_or_create(
                organization=org,
                user=owner,
                defaults={"role": MembershipRole.OWNER, "status": MembershipStatus.ACTIVE},
            )
        load_demo_enterprises()
        applications = load_demo_certification()
        assessments = load_demo_assessments()
        load_demo_catalog()
        load_demo_orders()
        load_demo_demands()
        load_demo_tickets()
        if created:
            audit.record(
                "demo.load",
                summary=msg(
                    "载入演示数据：%(orgs)s 家机构，%(applications)s 份平台认定申请，%(assessments)s 份数字化评测",
                    orgs=created,
                    applications=applications,
                    assessments=assessments,
                ),
            )
        self.stdout.write(
            self.style.SUCCESS(f"演示数据就绪：新增 {created} 家机构，共 {Organization.objects.count()} 家。")
        )

    def _personas(self) -> dict[str, User]:
        users = {}
        for p in PERSONAS:
            user = User.objects.filter(username=p.username).first()
            if user is None:
                jurisdiction = (
                    Region.objects.current().filter(code=p.jurisdiction_code).order_by("level").first()
                    if p.jurisdiction_code
                    else None
                )
                user = User(
                    username=p.username,
                    real_name=p.real_name,
                    role=p.role,
                    mobile=p.mobile,
                    jurisdiction=jurisdiction,
                    is_staff=p.role == Role.ADMIN,
                    is_superuser=p.role == Role.ADMIN,
                    email=f"{p.username}@demo.sme-platform.local",
                )
                user.set_password(DEMO_PASSWORD)
                user.save()
            users[p.username] = user
        return users

    def _owner_for(self, org: Organization, index: int) -> User:
        username = f"demo_org{index:02d}"
        user = User.objects.filter(username=username).first()
        if user is None:
            role = Role.ENTERPRISE if org.kind == OrganizationKind.ENTERPRISE else Role.PROVIDER
            user = User(username=username, real_name=org.legal_representative, role=role)
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user
