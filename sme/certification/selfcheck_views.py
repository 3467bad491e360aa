"""The public eligibility self-check: a page for people and a JSON API for programs, no login.

- ``GET /certification/self-check/``: pick a scheme, a district and a date, type the figures; the
  result (符合 / 不符合 / 由评审认定 per criterion, with the figure, the threshold and the zone) updates
  with htmx as the form is filled, and the same form works as a plain POST without JavaScript.
- ``GET /api/v1/certification/schemes`` and ``GET /api/v1/certification/schemes/{code}``: the
  current version of each scheme, with its criteria, categories and materials.
- ``POST /api/v1/certification/schemes/{code}/eligibility``: the check on a JSON body; 400 naming
  each missing or malformed figure, district or date; 404 for an unknown scheme code.

Everything here is read-only and the same for every visitor: the rules are public (第四条).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sme.core.errors import InvalidInput
from sme.core.forms import BootstrapFormMixin
from sme.regions.models import Region
from sme.regions.selectors import covered_region_ids

from . import eligibility
from .eligibility import EligibilityInputError, EligibilityResult, FigureSpec
from .models import Scheme, SchemeLevel

# --- reads ---------------------------------------------------------------------------------------

_LEVEL_ORDER = Case(
    When(level=SchemeLevel.DISTRICT, then=Value(0)),
    When(level=SchemeLevel.CITY, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def public_schemes() -> QuerySet[Scheme]:
    """The current version of every scheme, the local ones first (district, city, then national)."""
    return Scheme.objects.current().select_related("region").order_by(_LEVEL_ORDER, "code")


def public_scheme(code: str) -> Scheme | None:
    return public_schemes().filter(code=code).first()


def district_choices(scheme: Scheme) -> list[tuple[str, str]]:
    """The districts in force today that may apply under ``scheme``: ``(code or key, label)``.
    A functional zone without a division code (两江新区) is named by its key."""
    scope = eligibility.scope_region(scheme)
    rows = (
        Region.objects.districts()
        .current()
        .filter(pk__in=covered_region_ids(scope.pk))
        .order_by("sort_order", "code")
        .only("key", "code", "name")
    )
    return [(r.code or r.key, f"{r.code} {r.name}" if r.code else r.name) for r in rows]


# --- the page ------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_MAX_LENGTH = 20


@dataclass(frozen=True)
class FigureInput:
    """How one figure is typed on the page: one input, or one per year for a series."""

    spec: FigureSpec
    names: tuple[str, ...]  # the form fields

    @property
    def label(self) -> str:
        if self.spec.share:
            return f"{self.spec.label}（%）"
        return f"{self.spec.label}（{self.spec.unit}）" if self.spec.unit else self.spec.label


class SelfCheckForm(BootstrapFormMixin, forms.Form):
    """The self-check form of one scheme. The figure fields follow the scheme's criteria; every
    field is text, and the check itself (:func:`eligibility.check`) names what is wrong."""

    scheme = forms.CharField(label=gettext_lazy("认定办法"), widget=forms.Select())
    district = forms.CharField(label=gettext_lazy("所在区县"), required=False, widget=forms.Select())
    on = forms.CharField(
        label=gettext_lazy("自测日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("按这一天施行的办法判断"),
    )

    def __init__(
        self, *args: Any, scheme: Scheme, schemes: list[Scheme], today: dt.date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.scheme_obj = scheme
        self.today = today
        self.fields["scheme"].widget.choices = [(s.code, f"{s.name}（{s.document_number}）") for s in schemes]
        self.fields["scheme"].initial = scheme.code
        # Another scheme needs other figures: fetch the whole page for it, keeping what was typed.
        self.fields["scheme"].widget.attrs.update(
            {
                "hx-get": reverse("certification:self-check"),
                "hx-trigger": "change",
                "hx-target": "#selfcheck",
                "hx-select": "#selfcheck",
                "hx-swap": "outerHTML",
                "hx-include": "#selfcheck-form [name]:not([name='csrfmiddlewaretoken'])",
            }
        )
        self.fields["district"].widget.choices = [("", _("请选择区县")), *district_choices(scheme)]
        self.fields["on"].initial = today.isoformat()
        self.figure_inputs: list[FigureInput] = []
        first_year = self._date_or_today().year - 1
        for spec in eligibility.figure_specs(scheme.criteria).values():
            if spec.series:
                count = spec.min_years
                names = tuple(f"{spec.name}_{i}" for i in range(1, count + 1))
                for i, name in enumerate(names, start=1):
                    year = first_year - (count - i)
                    self.fields[name] = forms.CharField(
                        label=_("%(year)s年") % {"year": year},
                        required=False,
                        max_length=_MAX_LENGTH,
                        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                    )
            else:
                names = (spec.name,)
                mode = "numeric" if spec.integer else "decimal"
                self.fields[spec.name] = forms.CharField(
                    required=False,
                    max_length=_MAX_LENGTH,
                    widget=forms.TextInput(attrs={"inputmode": mode, "autocomplete": "off"}),
                )
            figure_input = FigureInput(spec, names)
            if not spec.series:
                self.fields[spec.name].label = figure_input.label
            self.figure_inputs.append(figure_input)
        self.problems: list[str] = []

    @staticmethod
    def input_names(scheme: Scheme) -> set[str]:
        """The names of the figure inputs the form has for ``scheme``."""
        names: set[str] = set()
        for spec in eligibility.figure_specs(scheme.criteria).values():
            if spec.series:
                names.update(f"{spec.name}_{i}" for i in range(1, spec.min_years + 1))
            else:
                names.add(spec.name)
        return names

    def _date_or_today(self) -> dt.date:
        raw = (self.data.get("on") or "").strip() if self.is_bound else ""
        try:
            return dt.date.fromisoformat(raw) if raw else self.today
        except ValueError:
            return self.today

    def figure_groups(self) -> list[dict[str, Any]]:
        """For the template: each figure with its bound fields and the errors of the group."""
        groups = []
        for fi in self.figure_inputs:
            fields = [self[name] for name in fi.names]
            errors = [e for f in fields for e in f.errors]
            groups.append({"input": fi, "fields": fields, "series": fi.spec.series, "errors": errors})
        return groups

    def error_slots(self) -> list[tuple[str, list[str]]]:
        """``(slot id, messages)`` for every place the page shows a field's errors. An htmx update
        sends them all out of band, so a corrected field loses its old message."""
        slots = [
            (f"selfcheck-err-{name}", [str(e) for e in self[name].errors]) for name in ("district", "on")
        ]
        slots += [
            (f"selfcheck-err-{g['input'].spec.name}", [str(e) for e in g["errors"]])
            for g in self.figure_groups()
        ]
        return slots

    def year_label_slots(self) -> list[tuple[str, str]]:
        """``(slot id, label)`` of the yearly inputs, named by year before the chosen date: sent out
        of band too, so changing the date relabels them."""
        return [
            (f"selfcheck-label-{name}", str(self.fields[name].label))
            for fi in self.figure_inputs
            if fi.spec.series
            for name in fi.names
        ]

    # -- checking --

    def _number(self, name: str, spec: FigureSpec) -> tuple[Decimal | None, str | None]:
        text = str(self.data.get(name) or "").strip().replace(",", "").replace("，", "")
        if spec.share:
            text = text.rstrip("%％").strip()
        if not text:
            return None, None
        if len(text) > _MAX_LENGTH or not _NUMBER.match(text):
            return None, _("%(label)s应为数字，收到“%(raw)s”。") % {
                "label": spec.label,
                "raw": text[:_MAX_LENGTH],
            }
        try:
            return Decimal(text), None
        except InvalidOperation:  # pragma: no cover - the pattern admits only plain decimals
            return None, _("%(label)s应为数字。") % {"label": spec.label}

    def raw_figures(self) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        """The typed figures as the check takes them (shares typed in % become fractions), and the
        problems only the page can see (text that is no number, a share above 100%)."""
        figures: dict[str, Any] = {}
        problems: list[tuple[str, str]] = []
        for fi in self.figure_inputs:
            spec = fi.spec
            values = []
            for name in fi.names:
                value, problem = self._number(name, spec)
                if problem:
                    problems.append((name, problem))
                values.append(value)
            if any(p[0] in fi.names for p in problems):
                continue
            if spec.series:
                given = [v for v in values if v is not None]
                if not given:
                    continue
                if len(given) < len(values):
                    problems.append(
                        (
                            fi.names[0],
                            _("%(label)s：请填写全部 %(n)s 个年度。")
                            % {"label": spec.label, "n": len(values)},
                        )
                    )
                    continue
                figures[spec.name] = given
            elif values[0] is not None:
                value = values[0]
                if spec.share:
                    if not Decimal(0) <= value <= Decimal(100):
                        problems.append(
                            (
                                spec.name,
                                _("%(label)s应为 0 到 100 之间的百分数，收到“%(raw)s”。")
                                % {"label": spec.label, "raw": _plain(value)},
                            )
                        )
                        continue
                    value = value / Decimal(100)
                figures[spec.name] = value
        return figures, problems

    def run_check(self) -> EligibilityResult | None:
        """The result, or None with the problems on the form (beside their fields and in a list)."""
        figures, page_problems = self.raw_figures()
        problems: list[tuple[str, str]] = list(page_problems)
        raw_on = str(self.data.get("on") or "").strip()
        on = self.today
        if raw_on:
            try:
                on = dt.date.fromisoformat(raw_on)
            except ValueError:
                problems.append(("on", _("日期应为 YYYY-MM-DD，收到“%(raw)s”。") % {"raw": raw_on[:20]}))
        seen = {_figure_of(name, self.figure_inputs) for name, _m in page_problems}
        result = None
        try:
            result = eligibility.check(
                self.scheme_obj,
                district_code=str(self.data.get("district") or ""),
                on=on,
                raw_figures=figures,
            )
        except EligibilityInputError as error:
            for name, message in error.problems:
                if name in seen or (name == "on" and any(p[0] == "on" for p in problems)):
                    continue
                problems.append((_field_of(name, self.figure_inputs), message))
        for name, message in problems:
            if name in self.fields:
                self.add_error(name, message)
            self.problems.append(message)
        return None if problems else result


def _figure_of(field_name: str, inputs: list[FigureInput]) -> str:
    return next((fi.spec.name for fi in inputs if field_name in fi.names), field_name)


def _field_of(figure: str, inputs: list[FigureInput]) -> str:
    return next((fi.names[0] for fi in inputs if fi.spec.name == figure), figure)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _bound_data(request: HttpRequest, figure_names: set[str]) -> QueryDict | None:
    """The data to check: a POST, or a GET that already carries a district or a figure (a link to a
    filled-in check, or the scheme switch that keeps what was typed)."""
    if request.method == "POST":
        return request.POST
    if any((request.GET.get(k) or "").strip() for k in figure_names | {"district"}):
        return request.GET
    return None


@require_http_methods(["GET", "POST"])
def selfcheck_page(request: HttpRequest) -> HttpResponse:
    """``/certification/self-check/``: the form and, once something is typed, the result.

    An htmx POST gets the result fragment only; a plain POST or GET gets the whole page.
    """
    schemes = list(public_schemes())
    source = request.POST if request.method == "POST" else request.GET
    wanted = (source.get("scheme") or "").strip()
    scheme = next((s for s in schemes if s.code == wanted), schemes[0] if schemes else None)
    context: dict[str, Any] = {"schemes": schemes, "scheme": scheme, "result": None, "form": None}
    if scheme is None:
        return render(request, "certification/selfcheck.html", context)
    data = _bound_data(request, SelfCheckForm.input_names(scheme))
    if data is not None:
        data = data.copy()
        data["scheme"] = scheme.code
    form = SelfCheckForm(data, scheme=scheme, schemes=schemes, today=timezone.localdate())
    context["form"] = form
    if form.is_bound:
        form.is_valid()
        context["result"] = form.run_check()
        if wanted and wanted != scheme.code:
            form.problems.insert(0, _("没有编码为“%(code)s”的认定办法，已改用现行办法。") % {"code": wanted})
    if request.method == "POST" and request.headers.get("HX-Request") == "true":
        context["out_of_band"] = True
        return render(request, "certification/selfcheck_result.html", context)
    return render(request, "certification/selfcheck.html", context)


# --- the API -------------------------------------------------------------------------------------


def scheme_summary(scheme: Scheme) -> dict[str, Any]:
    return {
        "code": scheme.code,
        "version": scheme.version,
        "name": scheme.name,
        "title": scheme.title,
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
    "name": serializers.CharField(),
    "title": serializers.CharField(),
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
            child=serializers.DictField(), help_text="自测需要的数据：名称、单位、类型（number/share/series）"
        ),
        "criteria": serializers.ListField(child=serializers.DictField()),
        "categories": serializers.ListField(child=serializers.DictField()),
        "materials": serializers.ListField(child=serializers.DictField()),
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
                "qualified_staff_share（0–1）、smes_served_by_year（逐年整数，从早到晚，最后一项为最近一年）、"
                "satisfaction（0–1）；国家级办法另需 service_institutions（家）、free_or_low_fee_share（0–1）。"
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
                "unit": serializers.CharField(help_text="单位；% 表示 0–1 的比例"),
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
            on=on or timezone.localdate(),
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
                    "detail": "缺少从业人数（人）。；用户满意度应为 0 到 1 之间的数（如 0.85 表示 85%），收到 85。",
                    "errors": {
                        "figures.staff": ["缺少从业人数（人）。"],
                        "figures.satisfaction": [
                            "用户满意度应为 0 到 1 之间的数（如 0.85 表示 85%），收到 85。"
                        ],
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
