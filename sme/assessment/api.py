"""The assessment API: the questionnaires and a public score calculator (anonymous, nothing saved),
and an authenticated read of a response within the caller's scope.

Figures (points, scores) are decimal strings such as ``"1.875"``, never floats, so they add up
exactly as the instruments define them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors
from .instrument import Instrument
from .models import AssessmentResponse, Questionnaire
from .scoring import AnswerError, score


def _fig(value: Decimal) -> str:
    return format(value.normalize(), "f")


# --- representations -------------------------------------------------------------------------------


def questionnaire_summary(q: Questionnaire) -> dict[str, Any]:
    return {
        "code": q.code,
        "version": q.version,
        "name": q.name,
        "document": q.document,
        "effective_from": q.effective_from,
        "effective_to": q.effective_to,
        "max_score": _fig(q.max_score),
        "aggregate": q.aggregate,
        "based_on_public_description": q.based_on_public_description,
        "public_description_label": q.public_description_label,
        "source_note": q.source_note,
    }


def instrument_tree(q: Questionnaire, instrument: Instrument) -> dict[str, Any]:
    return {
        **questionnaire_summary(q),
        "pledge": instrument.pledge,
        "scenario_levels": [
            {"level": level, "label": label, "description": description}
            for level, label, description in instrument.scenario_levels
        ],
        "dimensions": [
            {
                "key": d.key,
                "name": d.name,
                "description": d.description,
                "points": _fig(d.points),
                "service_categories": [{"key": c.key, "label": c.label} for c in d.service_categories],
                "sub_dimensions": [
                    {
                        "key": s.key,
                        "name": s.name,
                        "points": _fig(s.points),
                        "items": [
                            {
                                "key": i.key,
                                "kind": i.kind,
                                "text": i.text,
                                "help": i.help,
                                "points": _fig(i.points),
                                "options": [
                                    {
                                        "key": o.key,
                                        "label": o.label,
                                        "points": _fig(o.points),
                                        "exclusive": o.exclusive,
                                    }
                                    for o in i.options
                                ],
                                "bands": [
                                    {
                                        "interval": b.interval.as_text(),
                                        "from": _fig(b.interval.lower),
                                        "inclusive": not b.interval.lower_open,
                                        "to": _fig(b.interval.upper),
                                        "to_inclusive": not b.interval.upper_open,
                                        "points": _fig(b.points),
                                        "label": b.label,
                                    }
                                    for b in i.bands
                                ],
                                "numerator_label": i.numerator_label,
                                "denominator_label": i.denominator_label,
                            }
                            for i in s.items
                        ],
                    }
                    for s in d.sub_dimensions
                ],
            }
            for d in instrument.dimensions
        ],
        "level_rules": [
            {
                "key": r.key,
                "name": r.name,
                "effective_from": r.effective_from,
                "effective_to": r.effective_to,
                "unconfirmed": r.unconfirmed,
                "levels": [
                    {
                        "key": lv.key,
                        "label": lv.label,
                        "from": _fig(lv.threshold.bound),
                        "inclusive": lv.threshold.inclusive,
                        "unconfirmed": lv.unconfirmed,
                    }
                    for lv in r.levels
                ],
            }
            for r in instrument.level_rules
        ],
    }


# --- serializers (the schema, and the shape every answer is put through) ----------------------------


class QuestionnaireSummarySerializer(serializers.Serializer):
    code = serializers.CharField()
    version = serializers.CharField()
    name = serializers.CharField()
    document = serializers.CharField()
    effective_from = serializers.DateField()
    effective_to = serializers.DateField(allow_null=True)
    max_score = serializers.CharField(help_text="满分（十进制数字的文本）")
    aggregate = serializers.ChoiceField(
        choices=["sum", "mean_percent"], help_text="sum：各题得分相加；mean_percent：各维度百分比的平均值"
    )
    based_on_public_description = serializers.BooleanField(help_text="题目依据公开说明自拟（非官方问卷）")
    public_description_label = serializers.CharField()
    source_note = serializers.CharField()


class OptionSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    points = serializers.CharField()
    exclusive = serializers.BooleanField(help_text="“以上均无”：不能与其他选项同时选择")


class BandSerializer(serializers.Serializer):
    interval = serializers.CharField(
        help_text="按工信部评测系统的写法，如 (10%, 20%]：圆括号不含该端点，方括号含该端点"
    )
    # "from" is a Python keyword: declared below.
    inclusive = serializers.BooleanField(help_text="下限是否含本数")
    to = serializers.CharField(help_text="比例上限（0–1）")
    to_inclusive = serializers.BooleanField(help_text="上限是否含本数")
    points = serializers.CharField()
    label = serializers.CharField()

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = serializers.CharField(help_text="比例下限（0–1）；inclusive 为真时含本数")
        return fields


class ItemSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.ChoiceField(choices=["single", "multi", "ratio", "trend", "scenario"])
    text = serializers.CharField()
    help = serializers.CharField()
    points = serializers.CharField()
    options = OptionSerializer(many=True)
    bands = BandSerializer(many=True)
    numerator_label = serializers.CharField()
    denominator_label = serializers.CharField()


class ServiceCategorySerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class SubDimensionSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    points = serializers.CharField()
    items = ItemSerializer(many=True)


class DimensionSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    points = serializers.CharField()
    service_categories = ServiceCategorySerializer(many=True)
    sub_dimensions = SubDimensionSerializer(many=True)


class ScenarioLevelSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    label = serializers.CharField()
    description = serializers.CharField()


class LevelSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    inclusive = serializers.BooleanField()
    unconfirmed = serializers.BooleanField()

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = serializers.CharField(help_text="分数下限；inclusive 为真时含本数")
        return fields


class LevelRuleSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    effective_from = serializers.DateField(allow_null=True)
    effective_to = serializers.DateField(allow_null=True)
    unconfirmed = serializers.BooleanField(help_text="规则尚未与官方文件核对")
    levels = LevelSerializer(many=True)


class QuestionnaireTreeSerializer(QuestionnaireSummarySerializer):
    pledge = serializers.CharField()
    scenario_levels = ScenarioLevelSerializer(many=True)
    dimensions = DimensionSerializer(many=True)
    level_rules = LevelRuleSerializer(many=True)


class ScoreRequestSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.JSONField(),
        help_text=(
            "题目标识 → 答案。单选、变化趋势（worse/same/better）：选项标识；多选：选项标识的数组；"
            "比例：{numerator, denominator}（原始数量，分母大于 0，分子不大于分母）；场景：1–4 的整数。"
        ),
    )


class LevelResultSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    rank = serializers.IntegerField()


class SubDimensionScoreSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    score = serializers.CharField()
    max = serializers.CharField()


class DimensionScoreSerializer(SubDimensionScoreSerializer):
    percent = serializers.CharField(allow_null=True, help_text="得分率；场景维度为平均等级 ÷ 4")
    sub_dimensions = SubDimensionScoreSerializer(many=True)
    scenario_counts = serializers.DictField(
        child=serializers.IntegerField(), required=False, help_text="场景维度：各等级的场景数"
    )
    mean_level = serializers.CharField(required=False, allow_null=True)


class InstrumentRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    version = serializers.CharField()


class ResultSerializer(serializers.Serializer):
    instrument = InstrumentRefSerializer()
    total = serializers.CharField()
    max = serializers.CharField()
    percent = serializers.CharField()
    level = LevelResultSerializer()
    rule = serializers.CharField(help_text="所用等级规则的标识")
    dimensions = DimensionScoreSerializer(many=True)


class ScoreErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), help_text="题目标识 → 问题"
    )


class OrganizationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class VerifiedScoreOutSerializer(serializers.Serializer):
    total = serializers.CharField()
    level_label = serializers.CharField()
    evaluated_on = serializers.DateField()
    note = serializers.CharField()


class ResponseDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organization = OrganizationRefSerializer()
    questionnaire = InstrumentRefSerializer()
    questionnaire_name = serializers.CharField()
    status = serializers.ChoiceField(choices=["draft", "submitted"])
    answers = serializers.DictField(child=serializers.JSONField())
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    result = ResultSerializer(allow_null=True)
    verified_score = VerifiedScoreOutSerializer(allow_null=True, help_text="最新的主管部门现场评定")


def response_representation(response: AssessmentResponse) -> dict[str, Any]:
    verified = selectors.latest_verified_score(response) if not response.is_draft else None
    return {
        "id": response.pk,
        "organization": {"id": response.organization_id, "name": response.organization.name},
        "questionnaire": {"code": response.questionnaire.code, "version": response.questionnaire.version},
        "questionnaire_name": response.questionnaire.name,
        "status": response.status,
        "answers": response.answers,
        "created_at": response.created_at,
        "submitted_at": response.submitted_at,
        "result": None if response.is_draft else response.result,
        "verified_score": None
        if verified is None
        else {
            "total": _fig(verified.total),
            "level_label": verified.level_label,
            "evaluated_on": verified.evaluated_on,
            "note": verified.note,
        },
    }


# --- views -------------------------------------------------------------------------------------------


def _questionnaire_or_404(code: str, version: str | None = None) -> Questionnaire:
    q = selectors.questionnaire_for(code, version or None)
    if q is None:
        raise NotFound(_("没有这份问卷（或该版本）。"))
    return q


class QuestionnaireListAPI(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="assessment_questionnaires_list",
        summary="现行的评测问卷（每个问卷代码一个现行版本）",
        responses=QuestionnaireSummarySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        rows = [questionnaire_summary(q) for q in selectors.questionnaires_in_force()]
        return Response(QuestionnaireSummarySerializer(rows, many=True).data)


VERSION_PARAM = OpenApiParameter("version", str, description="指定版本；不填为现行版本")


class QuestionnaireDetailAPI(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="assessment_questionnaire_detail",
        summary="问卷的完整结构：维度、子维度、题目、选项、分值与等级规则",
        parameters=[VERSION_PARAM],
        responses=QuestionnaireTreeSerializer,
    )
    def get(self, request: Request, code: str) -> Response:
        q = _questionnaire_or_404(code, request.query_params.get("version"))
        return Response(QuestionnaireTreeSerializer(instrument_tree(q, selectors.instrument_for(q))).data)


class QuestionnaireScoreAPI(APIView):
    """A public calculator: scores a complete set of answers without saving anything."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="assessment_questionnaire_score",
        summary="按问卷计算得分与等级（不保存）",
        description=(
            "每道题都要作答。答案有误或缺失时返回 400，`errors` 按题目标识逐条说明，例如多选题勾选了"
            "“以上均无”又勾选了其他选项、比例题分母为 0 或分子大于分母。等级按今天施行的等级规则确定。"
        ),
        parameters=[VERSION_PARAM],
        request=ScoreRequestSerializer,
        responses={200: ResultSerializer, 400: ScoreErrorSerializer},
        examples=[
            OpenApiExample(
                "“以上均无”与其他选项同选",
                value={
                    "detail": "有1处答案需要修改。",
                    "errors": {
                        "network": [
                            "「企业网络建设情况（可多选）」：勾选了“以上均未实现”，就不能再勾选其他选项。"
                        ]
                    },
                },
                response_only=True,
                status_codes=["400"],
            )
        ],
    )
    def post(self, request: Request, code: str) -> Response:
        q = _questionnaire_or_404(code, request.query_params.get("version"))
        body = ScoreRequestSerializer(data=request.data)
        if not body.is_valid():
            return Response(
                {"detail": _('请求体应为 {"answers": {题目标识: 答案}}。'), "errors": body.errors}, status=400
            )
        try:
            result = score(selectors.instrument_for(q), body.validated_data["answers"])
        except AnswerError as exc:
            return Response(
                {"detail": _("有%(n)s处答案需要修改。") % {"n": len(exc.problems)}, "errors": exc.by_item()},
                status=400,
            )
        return Response(ResultSerializer(result.as_dict()).data)


class ResponseDetailAPI(APIView):
    @extend_schema(
        operation_id="assessment_response_detail",
        summary="一份评测答卷（本企业的，或在主管部门管辖范围内已提交的）",
        responses=ResponseDetailSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        response = selectors.response_for(request.user, pk)
        if response is None:
            raise NotFound(_("评测不存在，或不在您的查看范围内。"))
        return Response(ResponseDetailSerializer(response_representation(response)).data)
