"""Reads of reports within the caller's scope: district officers see reports about targets in their
district; city officers and administrators see all; reporters see their own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from sme.accounts.models import Role
from sme.organizations.permissions import jurisdiction_district_ids

from .models import Report, ReportStatus
from .permissions import is_moderator


def reports_for_moderator(user: Any) -> QuerySet[Report]:
    qs = Report.objects.select_related("reporter", "district", "decided_by")
    if not is_moderator(user):
        return qs.none()
    if user.is_platform_admin or user.role == Role.CITY_OFFICER:
        return qs
    return qs.filter(district_id__in=jurisdiction_district_ids(user))


def report_queue(user: Any, *, status: str = ReportStatus.OPEN, kind: str = "") -> QuerySet[Report]:
    qs = reports_for_moderator(user)
    if status in ReportStatus.values:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(target_kind=kind)
    return qs.order_by("-created_at", "-id")


def report_for_moderator(user: Any, pk: int) -> Report:
    report = reports_for_moderator(user).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def open_reports_on(kind: str, target_id: int) -> QuerySet[Report]:
    return Report.objects.filter(target_kind=kind, target_id=target_id, status=ReportStatus.OPEN)


def open_count(user: Any) -> int:
    return reports_for_moderator(user).filter(status=ReportStatus.OPEN).count()
