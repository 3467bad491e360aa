"""Demo certification cases, made through the real services so every row, log and audit entry is
what the platform itself would write. Whatever today's date, :func:`load_demo_certification` leaves
one case at each stage a persona acts on:

- waiting for the 万州区 officer (``quxian_wanzhou``): submitted a few days ago;
- at city review with three experts assigned, two of whom have scored, the expert persona
  (``zhuanjia_li``) still to score; recommended before this year's district deadline, so its round has
  begun (a recommendation made after the deadline, in December say, waits for next year's round);
- on public notice, open for objections today;
- granted: two titles in force, in the public register, one of them under an open spot check (the city
  officer ``shiji_guanli`` decides it);
- a re-review due: the provider persona's platform (``fuwu_wanzhou``), granted three years ago, its
  validity ending within 90 days and its re-review opened as the daily job would have;
- the provider persona's own draft for the national demonstration platform, to explore.

Every date is worked out from today (``sme.core.clock``): each step runs with the clock pinned to the
day it would really have happened, restored after. A step whose public notice falls in a year the
working-day calendar does not cover yet is left out with a warning, never guessed. The officers and
experts it adds sign in with the personas' password: it copies the city officer persona's (``sme.demo``
calls this module, never the other way round).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from sme.accounts.models import Role, User
from sme.core import clock
from sme.core.pdf import render_pdf
from sme.organizations.models import Membership, MembershipStatus, Organization
from sme.regions.models import Region
from sme.workdays.calendar import CalendarNotCovered

from .models import Application, Certification, Scheme
from .selectors.notices import notice_dates
from .selectors.titles import add_years
from .services import applications, reviews, spot_checks, titles

logger = logging.getLogger(__name__)


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


def _scores(scheme: Scheme, n: int) -> dict[str, str]:
    return {
        item["key"]: str(
            (Decimal(str(item["max_score"])) * Decimal("0.8") + n)
            .quantize(Decimal("1"))
            .min(Decimal(str(item["max_score"])))
        )
        for item in scheme.expert_form["items"]
    }


@dataclass(frozen=True)
class Case:
    """One demo application: who files it, where, with which figures."""

    organization: str
    platform: str
    district_officer: User
    base_smes: int
    assets: str


@dataclass(frozen=True)
class Steps:
    """The days a case passes through the review (第九条、第十条), worked out from one day ``x`` (the
    experts' assignment, or the notice's publication): recommended 20 days before ``x`` but no later
    than ``x``'s year's district deadline, so the case joins ``x``'s round; assigned to experts two
    weeks before ``x`` or soon after the recommendation, and not before the first day of the round's
    year (a round cannot begin before its year)."""

    submitted: dt.date
    recommended: dt.date
    assigned: dt.date

    @classmethod
    def before(cls, scheme: Scheme, x: dt.date) -> Steps:
        recommended = min(x - dt.timedelta(days=20), scheme.district_deadline(x.year))
        assigned = max(recommended + dt.timedelta(days=1), dt.date(x.year, 1, 1), x - dt.timedelta(days=14))
        assert assigned <= x and scheme.review_round(recommended) == x.year
        return cls(submitted=recommended - dt.timedelta(days=7), recommended=recommended, assigned=assigned)


def _file(case: Case, scheme: Scheme, steps: Steps) -> Application:
    org = Organization.objects.get(name=case.organization)
    owner = _owner(org)
    with clock.pinned(steps.submitted):
        app = _submit(owner, _fill(owner, org, scheme, case.platform, case.base_smes, case.assets))
    with clock.pinned(steps.recommended):
        app, _message = applications.application_district_decide(
            actor=case.district_officer, application=app, action="recommend"
        )
    return app


def _to_city_review(
    case: Case, scheme: Scheme, city: User, experts: list[User], scored: list[User], x: dt.date
) -> Application:
    steps = Steps.before(scheme, x)
    app = _file(case, scheme, steps)
    with clock.pinned(steps.assigned):
        app = reviews.application_assign_experts(actor=city, application=app, experts=experts)
        for n, expert in enumerate(scored):
            reviews.expert_review_submit(
                actor=expert, application=app, scores=_scores(scheme, n), comment="材料齐全，服务业绩突出。"
            )
    return app


def _covered(scheme: Scheme, published: dt.date) -> bool:
    try:
        notice_dates(scheme, published)
    except CalendarNotCovered as error:
        logger.warning("certification demo: a case left out, %s", error)
        return False
    return True


def _to_notice(
    case: Case, scheme: Scheme, city: User, experts: list[User], published: dt.date
) -> Application:
    app = _to_city_review(case, scheme, city, experts, experts, published)
    with clock.pinned(published):
        return reviews.application_city_decide(actor=city, application=app, action="approve_notice")


def _granted(
    case: Case, scheme: Scheme, city: User, experts: list[User], published: dt.date
) -> Certification | None:
    if not _covered(scheme, published):
        return None
    app = _to_notice(case, scheme, city, experts, published)
    notice = app.notices.get()
    with clock.pinned(notice.ends_on + dt.timedelta(days=1)):
        return titles.application_grant(actor=None, application=app)


def notice_open_on(scheme: Scheme, today: dt.date) -> dt.date | None:
    """The latest day before ``today`` a notice could have been published and still be open for
    objections today (from its first to its last day), or None when the calendar covers none."""
    for back in range(1, 31):
        published = today - dt.timedelta(days=back)
        try:
            starts, ends = notice_dates(scheme, published)
        except CalendarNotCovered:
            continue
        if starts <= today <= ends:
            return published
    return None


@transaction.atomic
def load_demo_certification() -> int:
    """Create the demo cases once; returns how many applications were created (0 on a second run)."""
    if Application.objects.exists():
        return 0
    today = clock.today()
    scheme = Scheme.objects.current().get(code="cq-2013-city")
    city = User.objects.get(username="shiji_guanli")
    persona_expert = User.objects.get(username="zhuanjia_li")
    experts = [
        persona_expert,
        _expert("zhuanjia_zhou", "周卫东", city),
        _expert("zhuanjia_he", "何晓燕", city),
    ]
    yuzhong = _officer("quxian_yuzhong", "张燕", "500103", city)
    wanzhou = User.objects.get(username="quxian_wanzhou")
    created = 0

    # Granted a little over a year ago, in the public register; the second under a spot check.
    for name, platform, officer, smes, assets, back in (
        ("重庆解放碑财务咨询有限公司", "解放碑中小企业财税云服务平台", yuzhong, 95, "260", 400),
        (
            "重庆两路空港供应链管理有限公司",
            "空港供应链协同服务平台",
            _officer("quxian_yubei", "高峰", "500112", city),
            110,
            "420",
            380,
        ),
    ):
        title = _granted(
            Case(name, platform, officer, smes, assets),
            scheme,
            city,
            experts,
            today - dt.timedelta(days=back),
        )
        created += title is not None
    spot_checked = Certification.objects.filter(platform_name="空港供应链协同服务平台").first()
    if spot_checked is not None:
        with clock.pinned(today - dt.timedelta(days=14)):
            spot_checks.spot_check_open(
                actor=city,
                certification=spot_checked,
                findings="平台公开的收费标准与实际收费不一致，部分服务未公开服务时限。",
                rectification_due=today + dt.timedelta(days=16),
            )

    # A re-review due: the provider persona's platform, granted about three years ago, its validity
    # ending within 90 days; the daily job opens the re-review then, as here.
    rereview_title = _granted(
        Case("重庆三峡云服信息技术有限公司", "三峡云服中小企业信息化服务平台", wanzhou, 85, "180"),
        scheme,
        city,
        experts,
        add_years(today, -3) + dt.timedelta(days=30),
    )
    if rereview_title is not None:
        created += 1
        titles.rereview_open(actor=None, certification=rereview_title)

    # On public notice, open for objections today: 开州区 (两翼).
    published = notice_open_on(scheme, today)
    kaizhou = _officer("quxian_kaizhou", "熊涛", "500154", city)
    if published is None:
        logger.warning("certification demo: no notice open today, the working-day calendar does not cover it")
    else:
        case = Case("重庆开州电子商务服务中心有限公司", "开州电商进村服务平台", kaizhou, 40, "80")
        _to_notice(case, scheme, city, experts, published)
        created += 1

    # At city review: two experts have scored, the expert persona has not.
    case = Case("重庆渝中区大坪软件园管理有限公司", "大坪软件园中小企业上云服务平台", yuzhong, 100, "520")
    _to_city_review(case, scheme, city, experts, experts[1:], today)
    created += 1

    # Waiting for the 万州区 officer (persona quxian_wanzhou), submitted a few days ago.
    org = Organization.objects.get(name="万州区中小企业融资担保有限公司")
    with clock.pinned(today - dt.timedelta(days=3)):
        _submit(_owner(org), _fill(_owner(org), org, scheme, "万州中小企业融资信息服务平台", 45, "1200"))
    created += 1

    # The provider persona's own draft for the national demonstration platform, to explore.
    org = Organization.objects.get(name="重庆三峡云服信息技术有限公司")
    national = Scheme.objects.current().get(code="national-2017")
    applications.application_create(actor=_owner(org), organization=org, scheme=national)
    created += 1
    return created
