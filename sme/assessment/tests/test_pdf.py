"""The report PDF: a real PDF, its Chinese text extracts, and the radar chart is drawn in it."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from conftest import login
from sme.assessment.charts import Series, radar_svg
from sme.assessment.report import SELF_COLOR
from sme.assessment.selectors import instrument_for
from sme.assessment.tests.factories import highest_answers, questionnaire
from sme.assessment.tests.test_views import take
from sme.core.models import AuditLog
from sme.organizations.models import Organization


def _rgb(hex_color: str) -> tuple[float, float, float]:
    return tuple(int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def _drawn_in_colour(stream: bytes, colour: tuple[float, float, float], operator: bytes) -> bool:
    """Whether the content stream sets ``colour`` with ``operator`` (rg: fill, RG: stroke)."""
    for match in re.finditer(rb"([\d.]+) ([\d.]+) ([\d.]+) " + operator + rb"\b", stream):
        if all(abs(float(v) - c) < 0.002 for v, c in zip(match.groups(), colour, strict=True)):
            return True
    return False


def _streams(page) -> bytes:
    data = page.get_contents().get_data()
    for xobject in (page["/Resources"].get("/XObject") or {}).values():
        data += xobject.get_object().get_data()
    return data


@pytest.fixture
def report_pdf(client, enterprise_owner):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    done = take(enterprise_owner, org, highest_answers(instrument_for(questionnaire())))
    login(client, enterprise_owner)
    response = client.get(f"/assessment/{done.pk}/report.pdf")
    return done, org, response


def test_report_is_a_pdf_with_chinese_text_and_the_chart(report_pdf):
    done, org, response = report_pdf
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(f'attachment; filename="assessment-{done.pk}-')
    data = response.content
    assert data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in (
        "数字化水平评测报告",
        org.name,
        "四级",
        "100 / 100",
        "数字化基础",
        "真实性承诺",
        "等级规则",
    ):
        assert expected in text, expected
    # The chart: its ring labels and the scenario axis' note exist only in the SVG …
    assert "75%" in text and "（场景等级）" in text and "本次评测" in text
    # … and the series polygon is filled and stroked in the series colour on the first page.
    first = _streams(reader.pages[0])
    assert _drawn_in_colour(first, _rgb(SELF_COLOR), b"rg") and _drawn_in_colour(
        first, _rgb(SELF_COLOR), b"RG"
    )


def test_pdf_download_by_an_officer_is_audited(client, report_pdf, city_officer):
    done, _org, _response = report_pdf
    login(client, city_officer)
    assert client.get(f"/assessment/{done.pk}/report.pdf").status_code == 200
    assert AuditLog.objects.filter(action="assessment_response.pdf", actor=city_officer).exists()


def test_radar_svg_escapes_and_scales():
    svg = str(radar_svg(["A<b>", "B", "C"], [Series("本次", [100, 50, 0], "#0d6efd")], title="t"))
    assert "A&lt;b&gt;" in svg and "<b>" not in svg
    rings = re.findall(r'<polygon points="([^"]+)" fill="none"', svg)
    series = re.search(r'<polygon points="([^"]+)" fill="#0d6efd"', svg).group(1).split()
    centre = [float(v) for v in re.search(r'<line x1="([\d.]+)" y1="([\d.]+)"', svg).groups()]
    outer_b = [float(v) for v in rings[-1].split()[1].split(",")]
    point_b = [float(v) for v in series[1].split(",")]
    assert series[0] == rings[-1].split()[0]  # 100 % on the first axis: the outer ring's vertex
    # 50 % on the second axis: halfway from the centre to the outer ring
    assert point_b == pytest.approx([(c + o) / 2 for c, o in zip(centre, outer_b, strict=True)], abs=0.1)
    assert series[2] == f"{centre[0]:.1f},{centre[1]:.1f}"  # 0 % at the centre
