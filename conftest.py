"""Fixtures shared by the whole suite: the named personas of design.md and their organizations; the
suite's hypothesis profile."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from sme.testing.factories import OrganizationFactory, UserFactory, officer

# The suite runs on two busy cores in parallel (make test: pytest -n auto), where one example of a
# property test can take far longer than hypothesis' default 200 ms deadline, or the data generation
# than its "too slow" health check allows: both are timing checks, not properties of the code, and
# once failed a USCC test here. Registered before any test module is imported, so every @settings(...)
# in the suite inherits it; HYPOTHESIS_PROFILE=default brings the deadlines back (e.g. when hunting a
# slow example).
hypothesis_settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


@pytest.fixture
def clock():
    """The platform clock (``sme.core.clock``), pinned for this test with ``clock.pin(day_or_moment)``.

    Unpinned again when the test ends, whatever it did."""
    from sme.core import clock as platform_clock

    yield platform_clock
    platform_clock.unpin()


@pytest.fixture(autouse=True)
def _unpinned_clock():
    """No test starts with the clock another test pinned."""
    from sme.core import clock as platform_clock

    platform_clock.unpin()
    yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """No test sees what another left in the cache (ids are reused after a rollback)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _clear_region_name_cache():
    from sme.regions.selectors import name_for_code

    name_for_code.cache_clear()
    yield


@pytest.fixture
def yuzhong(db):
    from sme.regions.models import Region

    return Region.objects.current().get(code="500103", level="district")


@pytest.fixture
def wanzhou(db):
    from sme.regions.models import Region

    return Region.objects.current().get(code="500101", level="district")


@pytest.fixture
def enterprise_owner(db, yuzhong):
    """An enterprise owner in 渝中区, owner of a verified enterprise."""
    user = UserFactory(username="owner_yz", role="enterprise", real_name="陈静")
    OrganizationFactory(
        district=yuzhong, owner=user, verification_status="verified", name="重庆渝中测试科技有限公司"
    )
    return user


@pytest.fixture
def provider_user(db, wanzhou):
    """A service-provider user in 万州区, owner of a verified provider."""
    user = UserFactory(username="provider_wz", role="provider", real_name="李强")
    OrganizationFactory(
        district=wanzhou,
        owner=user,
        kind="service_provider",
        verification_status="verified",
        name="重庆万州测试服务有限公司",
    )
    return user


@pytest.fixture
def district_officer(db, wanzhou):
    """A district officer of 万州区."""
    return officer("district_officer", wanzhou, username="officer_wz")


@pytest.fixture
def other_district_officer(db, yuzhong):
    return officer("district_officer", yuzhong, username="officer_yz")


@pytest.fixture
def city_officer(db):
    from sme.regions.models import Region

    return officer("city_officer", Region.objects.current().get(code="500000"), username="officer_city")


@pytest.fixture
def expert(db):
    return UserFactory(username="expert_li", role="expert")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin_p", role="admin", is_staff=True, is_superuser=True)


def login(client, user):
    client.force_login(user, backend="sme.accounts.backends.UsernameOrMobileBackend")
    return client
