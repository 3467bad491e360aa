"""The benchmark data generator (bench/): sizes, top-up, and data the public pages can show."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from bench.benchdata import certification as datagen
from bench.benchdata.organizations import ensure_organizations
from sme.certification.models import Application, ApplicationYear, Certification, Material

pytestmark = pytest.mark.django_db


def test_generator_tops_up_to_the_sizes_asked(client):
    ensure_organizations(300)
    call_command("generate_certification_data", applications=120, materials=1000, certified=15, verbosity=0)
    apps = Application.objects.filter(reference__startswith=datagen.MARKER)
    assert apps.count() == 120
    assert ApplicationYear.objects.filter(application__in=apps).count() == 360
    materials = Material.objects.filter(application__in=apps)
    assert materials.count() == 1000
    # One current version per slot; replaced versions kept.
    assert materials.filter(version__gt=1).exists()
    current = materials.filter(is_current=True)
    assert current.count() == current.values("application_id", "slot").distinct().count()
    assert not materials.filter(application__status="draft").exists()
    certs = Certification.objects.filter(application__in=apps)
    assert certs.count() == 15
    assert set(certs.values_list("application__status", flat=True)) == {"certified"}

    # Again with the same sizes: nothing added. Larger: only the difference.
    assert datagen.generate(120, 1000, 15) == {"applications": 0, "materials": 0, "certified": 0}
    assert datagen.generate(150, 1200, 20) == {"applications": 30, "materials": 200, "certified": 5}
    assert len(set(apps.values_list("reference", flat=True))) == 150

    in_force = certs.filter(status__in=["active", "rereview"])
    response = client.get("/certification/register/")
    assert response.context["page"].count == in_force.count()
