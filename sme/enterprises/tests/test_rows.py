"""The fast checks of the import agree with the reference implementations they stand in for."""

from __future__ import annotations

import random
import string

import pytest

from sme.enterprises.importing.rows import _valid_uscc, build_context, region_mismatch
from sme.organizations import selectors as org_selectors
from sme.organizations import uscc
from sme.regions.models import Region


def test_credit_code_check_agrees_with_uscc_check():
    rng = random.Random(11)
    alphabet = uscc.CHARSET + "IOZSV" + string.ascii_lowercase[:3]
    codes = []
    for _ in range(3000):
        good = uscc.make(rng.choice(["500101", "500103", "110000"]), rng=rng)
        codes.append(good)
        i = rng.randrange(18)
        codes.append(good[:i] + rng.choice(alphabet) + good[i + 1 :])
        codes.append(good[:-1])
    for code in codes:
        assert _valid_uscc(uscc.normalize(code)) == uscc.check(code).valid, code


@pytest.mark.django_db
def test_region_mismatch_agrees_with_the_organization_selector():
    ctx = build_context(mapping={}, default_year=None, allowed_ids=None)
    districts = {d.id: d for d in ctx.districts.values()}
    rng = random.Random(5)
    region_codes = ["500101", "500234", "500103", "500100", "500000", "110000", "510100", "500222", "500110"]
    for region_id, info in districts.items():
        district = Region.objects.get(pk=region_id)
        for region_code in region_codes:
            code = uscc.make(region_code, rng=rng)
            assert region_mismatch(code, info) == org_selectors.region_mismatch(code, district), (
                code,
                district,
            )
