"""Compare-and-set edits: the first save wins, the second is told and changes nothing."""

from __future__ import annotations

import pytest

from sme.core.errors import Conflict
from sme.core.versioning import update_versioned
from sme.organizations.models import Organization
from sme.testing.factories import OrganizationFactory


@pytest.mark.django_db
def test_the_second_of_two_edits_read_at_the_same_version_is_refused():
    org = OrganizationFactory(name="原名称")
    read_by_a = Organization.objects.get(pk=org.pk)
    read_by_b = Organization.objects.get(pk=org.pk)
    update_versioned(read_by_a, name="甲改的名称")
    assert read_by_a.version == org.version + 1
    with pytest.raises(Conflict):
        update_versioned(read_by_b, name="乙改的名称")
    org.refresh_from_db()
    assert org.name == "甲改的名称"
    assert org.version == read_by_a.version


@pytest.mark.django_db
def test_an_explicit_expected_version_from_a_form_is_checked(clock):
    import datetime as dt

    clock.pin(dt.datetime(2026, 3, 2, 9, 0))
    org = OrganizationFactory()
    with pytest.raises(Conflict, match="刷新"):
        update_versioned(org, expected_version=org.version + 5, name="x")
    update_versioned(org, expected_version=org.version, name="y")
    assert org.name == "y"
    assert org.updated_at == clock.now()
