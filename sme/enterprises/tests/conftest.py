from __future__ import annotations

import pytest

from sme.enterprises.selectors import bump_data_version


@pytest.fixture(autouse=True)
def _enterprise_urls(settings):
    settings.ROOT_URLCONF = "sme.enterprises.tests.urls"


@pytest.fixture(autouse=True)
def _fresh_snapshots(db):
    """The rule and code snapshots are cached per data version; start every test from the rows."""
    bump_data_version()
    yield


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def own_enterprise(enterprise_owner):
    """The enterprise owner's verified enterprise in 渝中区."""
    from sme.organizations.models import Organization

    return Organization.objects.get(memberships__user=enterprise_owner)
