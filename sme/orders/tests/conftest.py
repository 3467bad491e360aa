"""Shared fixtures of the order tests: a published service of the 万州 provider persona and an order."""

from __future__ import annotations

import pytest

from sme.orders import services
from sme.organizations.models import Organization

from .factories import published_service


@pytest.fixture
def enterprise(enterprise_owner) -> Organization:
    return Organization.objects.get(memberships__user=enterprise_owner)


@pytest.fixture
def provider(provider_user) -> Organization:
    return Organization.objects.get(memberships__user=provider_user)


@pytest.fixture
def service(provider):
    return published_service(provider)


@pytest.fixture
def order(enterprise_owner, enterprise, service):
    return services.order_create(actor=enterprise_owner, enterprise=enterprise, service=service, quantity=1)
