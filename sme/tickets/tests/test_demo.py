"""The demo 诉求: made through the services by ``manage.py load_demo``, once."""

from __future__ import annotations

import io

from django.core.management import call_command

from sme.core.models import AuditLog
from sme.tickets.models import Ticket, TicketMonthFigures, TicketStatus
from sme.tickets.tests.factories import at


def test_load_demo_files_three_tickets_once(db, clock):
    clock.pin(at("2026-09-30"))  # a day the working-day calendar covers
    call_command("load_demo", stdout=io.StringIO())
    tickets = {t.kind: t for t in Ticket.objects.select_related("district", "enterprise")}
    assert set(tickets) == {"order_complaint", "provider_complaint", "general"}
    complaint = tickets["order_complaint"]
    assert complaint.status == TicketStatus.ACKNOWLEDGED and complaint.district.code == "500101"
    assert complaint.order is not None and complaint.order.enterprise_id == complaint.enterprise_id
    closed = tickets["provider_complaint"]
    assert closed.status == TicketStatus.CLOSED and closed.rated_at is not None and closed.satisfied
    general = tickets["general"]
    assert general.status == TicketStatus.FILED and general.district_id == general.enterprise.district_id
    assert AuditLog.objects.filter(action="ticket.file").count() == 3
    assert TicketMonthFigures.objects.exists()
    call_command("load_demo", stdout=io.StringIO())
    assert Ticket.objects.count() == 3


def test_demo_tickets_are_skipped_whole_where_the_calendar_ends(db, clock):
    from sme.tickets.demo import load_demo

    clock.pin(at("2026-09-30"))
    call_command("load_demo", stdout=io.StringIO())
    Ticket.objects.all().delete()
    clock.pin(at("2031-03-03"))  # no working-day calendar for 2031 yet
    assert load_demo() == 0
    assert not Ticket.objects.exists()
    assert AuditLog.objects.filter(action="ticket.file").count() == 3  # the first load's only
