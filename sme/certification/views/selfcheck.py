"""The public eligibility self-check page, no login (the JSON API for programs is ``api.py``).

``GET /certification/self-check/``: pick a scheme, a district and a date, type the figures; the result
(符合 / 不符合 / 由评审认定 per criterion, with the figure, the threshold and the zone) updates with htmx
as the form is filled, and the same form works as a plain POST without JavaScript. Read-only and the
same for every visitor: the rules are public (第四条).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sme.core import clock

from ..forms.selfcheck import SelfCheckForm
from ..selectors import schemes as selectors


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
    schemes = list(selectors.public_schemes())
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
    form = SelfCheckForm(data, scheme=scheme, schemes=schemes, today=clock.today())
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
