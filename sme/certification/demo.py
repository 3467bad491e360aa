"""Demo certification cases, made through the real services so every row, log and audit entry is
what the platform itself would write: two platforms certified in 2025 (in the public register),
one on public notice now, one waiting for the 万州区 officer, and the provider persona's draft.

The services read "today" from ``sme.core.clock``; the demo walks each case through the dates it
would really have passed (the district deadline is the end of February), pinning the clock for each
step and restoring it after. The officers and experts it adds sign in with the personas' password: it
copies the city officer persona's (``sme.demo`` calls this module, never the other way round).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from sme.accounts.models import Role, User
from sme.core import clock
from sme.core.pdf import render_pdf
from sme.organizations.models import Membership, MembershipStatus, Organization
from sme.regions.models import Region

from .models import Application, Scheme
from .services import applications, reviews, titles


def _officer(username: str, real_name: str, district_code: str, password_like: User) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        region = Region.objects.current().get(code=district_code, level=Region.Level.DISTRICT)
        user = User(username=username, real_name=real_name, role=Role.DISTRICT_OFFICER, jurisdiction=region)
        user.password = password_like.password
        user.save()
    return user


def _expert(username: str, real_name: str, password_like: User) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, real_name=real_name, role=Role.EXPERT)
        user.password = password_like.password
        user.save()
    return user


def _owner(org: Organization) -> User:
    membership = (
        Membership.objects.filter(organization=org, status=MembershipStatus.ACTIVE)
        .select_related("user")
        .first()
    )
    assert membership is not None, org.name
    return membership.user


_MATERIAL_PDFS: dict[str, bytes] = {}


def _material_pdf(label: str) -> bytes:
    if label not in _MATERIAL_PDFS:
        _MATERIAL_PDFS[label] = render_pdf("certification/pdf/demo_material.html", {"label": label})
    return _MATERIAL_PDFS[label]


def _fill(
    actor: User, org: Organization, scheme: Scheme, platform: str, base_smes: int, assets: str
) -> Application:
    application = applications.application_create(actor=actor, organization=org, scheme=scheme)
    years = []
    for i, y in enumerate(application.years.all()):
        years.append(
            {
                "year": y.year,
                "smes_served": base_smes + 15 * i,
                "satisfaction_percent": str(Decimal("88.5") + i),
                "revenue_wan": str(520 + 60 * i),
                "service_revenue_wan": str(330 + 45 * i),
                "staff_total": 24 + 2 * i,
                "staff_qualified": 18 + 2 * i,
                "assets_wan": assets,
            }
        )
    application = applications.application_update(
        actor=actor,
        application=application,
        expected_version=application.version,
        report={
            "platform_name": platform,
            "established_on": "2014-06-18",
            "legal_representative": org.legal_representative,
            "address": org.address,
            "contact_name": org.contact_name,
            "contact_phone": org.contact_phone,
            "service_area": f"{org.district.name}中小企业集聚区及周边产业园区",
            "facilities": "固定服务场所600平方米，培训教室两间，云服务机房一间",
            "management_system": "服务流程、收费标准和服务质量保证措施在平台公开，建立客户回访制度",
            "leadership": "负责人从事中小企业信息化服务十余年，曾主持多个区级信息化项目",
            "description": "为中小企业提供云上办公、进销存软件租用、电子商务代运营和信息化培训等服务。",
        },
        years=years,
        categories=["market", "operations"],
    )
    for spec in application.scheme.materials:
        if spec.get("provided_by") == "upload" and spec.get("required"):
            upload = ContentFile(_material_pdf(spec["label"]), name=f"{spec['label']}.pdf")
            applications.material_upload(
                actor=actor, application=application, slot=spec["key"], upload=upload
            )
    application.refresh_from_db()
    return application


def _submit(actor: User, application: Application) -> Application:
    return applications.application_submit(
        actor=actor,
        application=application,
        declaration_name=application.legal_representative,
        declaration_date=clock.today(),
        declared=True,
    )


def _to_notice(
    app: Application, district: User, city: User, experts: list[User], published: dt.date
) -> Application:
    app, _message = applications.application_district_decide(
        actor=district, application=app, action="recommend"
    )
    app = reviews.application_assign_experts(actor=city, application=app, experts=experts)
    for n, expert in enumerate(experts):
        scores = {
            item["key"]: str(
                (Decimal(str(item["max_score"])) * Decimal("0.8") + n)
                .quantize(Decimal("1"))
                .min(Decimal(str(item["max_score"])))
            )
            for item in app.scheme.expert_form["items"]
        }
        reviews.expert_review_submit(
            actor=expert, application=app, scores=scores, comment="材料齐全，服务业绩突出。"
        )
    with clock.pinned(published):
        return reviews.application_city_decide(actor=city, application=app, action="approve_notice")


@transaction.atomic
def load_demo_certification() -> int:
    """Create the demo cases once; returns how many applications were created (0 on a second run)."""
    if Application.objects.exists():
        return 0
    scheme = Scheme.objects.current().get(code="cq-2013-city")
    city = User.objects.get(username="shiji_guanli")
    experts = [
        User.objects.get(username="zhuanjia_li"),
        _expert("zhuanjia_zhou", "周卫东", city),
        _expert("zhuanjia_he", "何晓燕", city),
    ]
    created = 0

    certified = [
        (
            "重庆解放碑财务咨询有限公司",
            "解放碑中小企业财税云服务平台",
            "500103",
            "quxian_yuzhong",
            "张燕",
            95,
            "260",
        ),
        (
            "重庆两路空港供应链管理有限公司",
            "空港供应链协同服务平台",
            "500112",
            "quxian_yubei",
            "高峰",
            110,
            "420",
        ),
    ]
    for name, platform, code, username, real_name, smes, assets in certified:
        org = Organization.objects.get(name=name)
        district = _officer(username, real_name, code, city)
        with clock.pinned(dt.date(2025, 1, 8)):
            app = _submit(_owner(org), _fill(_owner(org), org, scheme, platform, smes, assets))
            app = _to_notice(app, district, city, experts, dt.date(2025, 3, 17))
        notice = app.notices.get()
        with clock.pinned(notice.ends_on + dt.timedelta(days=1)):
            titles.application_grant(actor=None, application=app)
        created += 1

    # On public notice now: 开州区 (两翼), published today.
    org = Organization.objects.get(name="重庆开州电子商务服务中心有限公司")
    district = _officer("quxian_kaizhou", "熊涛", "500154", city)
    today = clock.today()
    with clock.pinned(dt.date(today.year, 1, 12)):
        app = _submit(_owner(org), _fill(_owner(org), org, scheme, "开州电商进村服务平台", 40, "80"))
        _to_notice(app, district, city, experts, today)
    created += 1

    # Waiting for the 万州区 officer (persona quxian_wanzhou).
    org = Organization.objects.get(name="万州区中小企业融资担保有限公司")
    _submit(_owner(org), _fill(_owner(org), org, scheme, "万州中小企业融资信息服务平台", 45, "1200"))
    created += 1

    # The provider persona's own draft, half filled, to explore.
    org = Organization.objects.get(name="重庆三峡云服信息技术有限公司")
    applications.application_create(actor=_owner(org), organization=org, scheme=scheme)
    created += 1
    return created
