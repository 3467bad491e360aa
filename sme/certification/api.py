"""The certification API (DRF), public and read-only: the schemes and the eligibility check.

- ``GET /api/v1/certification/schemes`` and ``GET /api/v1/certification/schemes/{code}``: the
  current version of each scheme, with its criteria, categories and materials.
- ``POST /api/v1/certification/schemes/{code}/eligibility``: the check on a JSON body; 400 naming
  each missing or malformed figure, district or date; 404 for an unknown scheme code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sme.core import clock
from sme.core.errors import InvalidInput

from . import eligibility
from .eligibility import EligibilityInputError, EligibilityResult
from .models import Scheme, SchemeLevel
from .selectors.schemes import public_scheme, public_schemes


def scheme_summary(scheme: Scheme) -> dict[str, Any]:
    return {
        "code": scheme.code,
        "version": scheme.version,
        "name": scheme.name,
        "name_en": scheme.name_en,
        "title": scheme.title,
        "title_en": scheme.title_en,
        "level": scheme.level,
        "issuing_authority": scheme.issuing_authority,
        "document_number": scheme.document_number,
        "document_date": scheme.document_date,
        "region": scheme.region.code if scheme.region else None,
        "effective_from": scheme.effective_from,
        "effective_until": scheme.effective_until,
    }


def scheme_detail(scheme: Scheme) -> dict[str, Any]:
    return {
        **scheme_summary(scheme),
        "zone_grouping": scheme.zone_grouping or None,
        "zone_reference_date": scheme.zone_reference_date,
        "validity_years": scheme.validity_years,
        "rereview_years": scheme.rereview_years,
        "notice_workdays": scheme.notice_workdays,
        "figures": [
            {
                "name": spec.name,
                "label": spec.label,
                "unit": spec.unit,
                "kind": "series" if spec.series else "share" if spec.share else "number",
                "integer": spec.integer,
                "min_years": spec.min_years if spec.series else None,
            }
            for spec in eligibility.figure_specs(scheme.criteria).values()
        ],
        "criteria": scheme.criteria,
        "categories": scheme.categories,
        "materials": scheme.materials,
    }


def _not_found(code: str) -> NotFound:
    return NotFound(_("没有编码为“%(code)s”的认定办法。") % {"code": code})


_SCHEME_FIELDS = {
    "code": serializers.CharField(),
    "version": serializers.IntegerField(),
    "name": serializers.CharField(help_text="办法的正式（中文）名称"),
    "name_en": serializers.CharField(help_text="名称的英文释义"),
    "title": serializers.CharField(help_text="授予的称号（中文）"),
    "title_en": serializers.CharField(help_text="称号的英文释义"),
    "level": serializers.ChoiceField(choices=SchemeLevel.values),
    "issuing_authority": serializers.CharField(),
    "document_number": serializers.CharField(),
    "document_date": serializers.DateField(allow_null=True),
    "region": serializers.CharField(allow_null=True, help_text="适用地区的行政区划代码；国家级为 null"),
    "effective_from": serializers.DateField(),
    "effective_until": serializers.DateField(allow_null=True, help_text="当日起不再适用"),
}
SCHEME_SUMMARY = inline_serializer("PublicSchemeSummary", _SCHEME_FIELDS, many=True)
SCHEME_DETAIL = inline_serializer(
    "PublicScheme",
    {
        **_SCHEME_FIELDS,
        "zone_grouping": serializers.CharField(allow_null=True),
        "zone_reference_date": serializers.DateField(allow_null=True),
        "validity_years": serializers.IntegerField(),
        "rereview_years": serializers.IntegerField(),
        "notice_workdays": serializers.IntegerField(),
        "figures": serializers.ListField(
            child=serializers.DictField(),
            help_text="自测需要的数据：名称、单位、类型（number/share/series）；share 为 0 到 1 之间的小数",
        ),
        "criteria": serializers.ListField(
            child=serializers.DictField(),
            help_text="认定条件；label、article、description、unit 各有英文的 *_en（如 label_en）",
        ),
        "categories": serializers.ListField(
            child=serializers.DictField(), help_text="服务功能类别；label、article、description 各有 *_en"
        ),
        "materials": serializers.ListField(
            child=serializers.DictField(), help_text="申报材料；label、article、help 各有 *_en"
        ),
    },
)
NOT_FOUND = inline_serializer("SchemeNotFound", {"detail": serializers.CharField()})

SELFCHECK_REQUEST = inline_serializer(
    "SelfCheckRequest",
    {
        "district": serializers.CharField(
            help_text="所在区县的 6 位行政区划代码（如 500101）；没有代码的功能区用其标识（如 cq-liangjiang）"
        ),
        "on": serializers.DateField(help_text="自测日期 YYYY-MM-DD：办法须在这一天施行"),
        "figures": serializers.DictField(
            help_text=(
                "各项数据（JSON 数字，不用字符串）：years_operating（年）、total_assets_wan（万元）、staff（人）、"
                "qualified_staff_share（比例）、smes_served_by_year（逐年整数，从早到晚，最后一项为最近一年）、"
                "satisfaction（比例）；国家级办法另需 service_institutions（家）、free_or_low_fee_share（比例）。"
                "比例（figures 中 kind 为 share、unit 为 % 的数据）写成 0 到 1 之间的小数，如 0.3 表示 30%；"
                '也可写成带百分号的字符串 "30%"。不带百分号的 30 既可能是 30% 也可能是 3000%，会被拒绝。'
                "办法需要哪些数据见 GET /api/v1/certification/schemes/{code} 的 figures。多余的数据不参与判断。"
            )
        ),
    },
)
SELFCHECK_RESULT = inline_serializer(
    "SelfCheckResult",
    {
        "eligible": serializers.BooleanField(help_text="全部可自动判断的条件都符合；由评审认定的条件不影响"),
        "zone": serializers.CharField(
            allow_null=True, help_text="所在分区的标识（如 yudongbei-yi）；不分区为 null"
        ),
        "zone_label": serializers.CharField(),
        "scheme": serializers.DictField(help_text="所用办法的编码和版本"),
        "criteria": inline_serializer(
            "SelfCheckCriterion",
            {
                "key": serializers.CharField(),
                "label": serializers.CharField(),
                "article": serializers.CharField(),
                "kind": serializers.ChoiceField(choices=list(eligibility.KINDS)),
                "met": serializers.BooleanField(allow_null=True, help_text="null：由评审认定"),
                "value": serializers.JSONField(
                    allow_null=True, help_text="所填数据；增长条件为所用的逐年数据"
                ),
                "threshold": serializers.JSONField(
                    allow_null=True, help_text="门槛（按所在分区）；增长条件为须逐年增长的年数"
                ),
                "unit": serializers.CharField(
                    help_text="单位；% 表示比例，value 和 threshold 为 0 到 1 之间的小数（0.3 即 30%）"
                ),
            },
            many=True,
        ),
    },
)
SELFCHECK_ERRORS = inline_serializer(
    "SelfCheckErrors",
    {
        "detail": serializers.CharField(),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text="按字段列出的问题：district、on、figures.<数据名称>",
        ),
    },
)


class PublicAPIView(APIView):
    """Anonymous and stateless: no authentication, so no session and no CSRF check."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]


class SchemeListAPI(PublicAPIView):
    @extend_schema(
        operation_id="certification_schemes_list",
        summary="现行的认定办法",
        description="每个认定办法的现行版本：编码、版本、名称、级别、文号和施行日期。",
        responses={200: SCHEME_SUMMARY},
    )
    def get(self, request: Request) -> Response:
        return Response([scheme_summary(s) for s in public_schemes()])


class SchemeDetailAPI(PublicAPIView):
    @extend_schema(
        operation_id="certification_scheme_detail",
        summary="一个认定办法的现行版本：认定条件、服务功能类别和申报材料",
        responses={200: SCHEME_DETAIL, 404: NOT_FOUND},
    )
    def get(self, request: Request, code: str) -> Response:
        scheme = public_scheme(code)
        if scheme is None:
            raise _not_found(code)
        return Response(scheme_detail(scheme))


def _parse_on(raw: Any) -> tuple[dt.date | None, str | None]:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, _("缺少自测日期 on（YYYY-MM-DD）。")
    if isinstance(raw, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw.strip()):
        try:
            return dt.date.fromisoformat(raw.strip()), None
        except ValueError:
            pass
    shown = raw if isinstance(raw, str) else str(raw)
    return None, _("自测日期 on 应为 YYYY-MM-DD 格式的有效日期，收到“%(raw)s”。") % {"raw": shown[:20]}


_OWN_FIELDS = {"district", "on", "figures"}


def eligibility_answer(scheme: Scheme, body: Any) -> EligibilityResult:
    """The check on a request body; :class:`InvalidInput` with every problem by field otherwise."""
    if not isinstance(body, Mapping):
        message = _('请求体应为 JSON 对象：{"district": "500101", "on": "2013-06-01", "figures": {…}}。')
        raise InvalidInput(message, {"__all__": [message]})
    problems: list[tuple[str, str]] = []
    on, on_problem = _parse_on(body.get("on"))
    if on_problem:
        problems.append(("on", on_problem))
    try:
        result = eligibility.check(
            scheme,
            district_code=body.get("district"),
            on=on or clock.today(),
            raw_figures=body.get("figures"),
        )
    except EligibilityInputError as error:
        problems.extend(p for p in error.problems if not (p[0] == "on" and on_problem))
    if problems:
        errors: dict[str, list[str]] = {}
        for name, message in problems:
            errors.setdefault(name if name in _OWN_FIELDS else f"figures.{name}", []).append(message)
        raise InvalidInput("；".join(message for _n, message in problems), errors)
    return result


class SchemeEligibilityAPI(PublicAPIView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="certification_scheme_eligibility",
        summary="按认定办法自测申报条件",
        description=(
            "按办法的现行版本判断一个服务机构是否符合申报条件。数值条件逐条自动判断（“以上”“不低于”含本数），"
            "门槛按所在区县的分区（如重庆市2013年办法的“两翼”）取值；由评审认定的条件 `met` 为 null，"
            "不影响 `eligible`。缺少或格式错误的数据、未知或不在适用地区的区县、不在办法施行期内的日期返回 400，"
            "`errors` 逐项说明；未知的办法编码返回 404。无需登录。"
        ),
        request=SELFCHECK_REQUEST,
        responses={200: SELFCHECK_RESULT, 400: SELFCHECK_ERRORS, 404: NOT_FOUND},
        examples=[
            OpenApiExample(
                "万州区的服务机构（两翼）",
                value={
                    "district": "500101",
                    "on": "2013-06-01",
                    "figures": {
                        "years_operating": 3,
                        "total_assets_wan": 120,
                        "staff": 25,
                        "qualified_staff_share": 0.64,
                        "smes_served_by_year": [70, 80, 90],
                        "satisfaction": 0.85,
                    },
                },
                request_only=True,
            ),
            OpenApiExample(
                "缺少和格式错误的数据",
                value={
                    "detail": "缺少从业人数（人）。；用户满意度请写成 85% 或 0 到 1 之间的小数，收到“85”。",
                    "errors": {
                        "figures.staff": ["缺少从业人数（人）。"],
                        "figures.satisfaction": ["用户满意度请写成 85% 或 0 到 1 之间的小数，收到“85”。"],
                    },
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    def post(self, request: Request, code: str) -> Response:
        scheme = public_scheme(code)
        if scheme is None:
            raise _not_found(code)
        return Response(eligibility_answer(scheme, request.data).as_dict())
