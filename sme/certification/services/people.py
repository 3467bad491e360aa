"""Who the certification services tell, and the page each notification links to."""

from __future__ import annotations

from django.urls import reverse

from sme.accounts.models import User

from ..models import Application, Certification, ReReview, Scheme, SpotCheck
from ..permissions import deciders_of, district_officers_covering, organization_people


def applicant_people(application: Application) -> list[User]:
    """Everyone active in the applying organization hears how its application fares."""
    return organization_people(application.organization_id, managers_only=False)


def title_managers(certification: Certification) -> list[User]:
    """The owners and administrators of the organization holding the title."""
    return organization_people(certification.organization_id, managers_only=True)


def district_officers(record: Application | Certification) -> list[User]:
    return district_officers_covering(record.district_id)


def deciders(scheme: Scheme) -> list[User]:
    return deciders_of(scheme)


def application_url(application: Application) -> str:
    return reverse("certification:application", args=[application.pk])


def certification_url(certification: Certification) -> str:
    return reverse("certification:certified", args=[certification.pk])


def rereview_url(rereview: ReReview) -> str:
    return reverse("certification:rereview", args=[rereview.pk])


def spot_check_url(spot_check: SpotCheck) -> str:
    return reverse("certification:spot-check", args=[spot_check.pk])
