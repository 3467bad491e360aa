"""Demands and proposals in the admin, read-only: every change goes through the services (audited)."""

from django.contrib import admin

from sme.core.admin import ReadOnlyAdmin

from .models import Demand, Proposal


@admin.register(Demand)
class DemandAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "enterprise", "category", "district", "deadline", "status", "is_hidden"]
    list_filter = ["status", "visibility", "is_hidden"]
    search_fields = ["title", "enterprise__name"]
    list_select_related = ["enterprise", "category", "district"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["id", "demand", "provider", "price", "delivery_workdays", "status", "shortlisted"]
    list_filter = ["status", "shortlisted"]
    search_fields = ["demand__title", "provider__name"]
    list_select_related = ["demand", "provider"]
