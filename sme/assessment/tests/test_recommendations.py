"""The report's recommended service categories lead into the catalogue (/catalog/?category=<key>):
every category a questionnaire names is one the catalogue has, and its link opens that category."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from conftest import login
from sme.assessment.loader import read_files
from sme.assessment.selectors import instrument_for
from sme.assessment.tests.factories import DMA, lowest_answers, questionnaire
from sme.assessment.tests.test_views import take
from sme.catalog.models import ServiceCategory
from sme.organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_every_recommended_category_is_a_catalogue_category():
    catalogue = dict(ServiceCategory.objects.filter(is_active=True).values_list("key", "name"))
    for q in read_files():
        for d in q["dimensions"]:
            for c in d.get("service_categories", []):
                assert c["key"] in catalogue, f"{q['code']} {d['key']}: no catalogue category {c['key']}"
                assert c["label"] == catalogue[c["key"]], f"{c['key']}: named as the catalogue names it"


@pytest.mark.parametrize("code_version", [("miit-manufacturing", "2024"), DMA])
def test_the_report_links_each_category_to_its_catalogue_page(client, enterprise_owner, code_version):
    org = Organization.objects.get(memberships__user=enterprise_owner)
    done = take(
        enterprise_owner, org, lowest_answers(instrument_for(questionnaire(code_version))), code_version
    )
    login(client, enterprise_owner)
    html = client.get(f"/assessment/{done.pk}/").content.decode()
    assert "服务目录上线后" not in html
    links = re.findall(r'data-testid="category-([\w-]+)"><a href="([^"]+)"', html)
    assert len(links) >= 2
    for key, href in links:
        assert href == f"/catalog/?category={key}"
        page = client.get(href)
        assert page.status_code == 200
        assert "没有这个服务类别" not in page.content.decode()
    pdf = client.get(f"/assessment/{done.pk}/report.pdf").content
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    uris = {
        annot.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annot in page.get("/Annots") or []
        if "/A" in annot.get_object()
    }
    assert {f"http://testserver/catalog/?category={key}" for key, _href in links} <= uris
