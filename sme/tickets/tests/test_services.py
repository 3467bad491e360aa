import datetime as dt
from decimal import Decimal

import pytest

from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.models import AuditLog, TransitionLog
from sme.notifications.models import Notification
from sme.testing.factories import OrganizationFactory, UserFactory
from sme.tickets import services
from sme.tickets.models import HandlingLevel, Ticket, TicketMonthFigures, TicketStatus

from .factories import at, file_general, file_order_complaint, make_order, org_of, ticket_type

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _filed_before_national_day(clock):
    """The platform clock stands on 2026-09-30 (the day before the holiday) unless a test moves it."""
    clock.pin(at("2026-09-30"))


@pytest.fixture
def order(enterprise_owner, provider_user):
    return make_order(org_of(enterprise_owner), org_of(provider_user))


# --- time limits ------------------------------------------------------------------------------


def test_due_dates_filed_before_national_day_skip_the_holiday(clock, enterprise_owner):
    ticket = file_general(enterprise_owner)
    # 2026-10-01..07 is the National Day holiday; Saturday 10-10 is a 调休 working day.
    assert ticket.acknowledge_due == dt.date(2026, 10, 8)
    assert ticket.answer_due == dt.date(2026, 10, 10)
    assert ticket.close_due == dt.date(2026, 10, 13)
    assert (ticket.acknowledge_workdays, ticket.answer_workdays, ticket.close_workdays) == (1, 3, 5)
    assert ticket.rule_version == "general_request@2024-01-01"
    assert ticket.number.startswith("SQ2026")


def test_ticket_keeps_its_limits_when_the_type_changes_later(clock, enterprise_owner):
    ticket = file_general(enterprise_owner)
    tt = ticket_type("general_request")
    tt.answer_workdays = 10
    tt.save()
    ticket.refresh_from_db()
    assert ticket.answer_workdays == 3
    assert ticket.answer_due == dt.date(2026, 10, 10)


# --- routing ----------------------------------------------------------------------------------


def test_order_complaint_goes_to_the_providers_district(clock, enterprise_owner, order, wanzhou):
    ticket = file_order_complaint(enterprise_owner, order)
    assert ticket.district == wanzhou
    assert ticket.provider == order.provider
    assert ticket.handling_level == HandlingLevel.DISTRICT


def test_general_request_goes_to_the_enterprises_district(clock, enterprise_owner, yuzhong):
    assert file_general(enterprise_owner).district == yuzhong


def test_complaint_about_another_enterprises_order_is_refused(clock, enterprise_owner, provider_user):
    other = OrganizationFactory(verified=True, owner=UserFactory(role="enterprise"))
    foreign = make_order(other, org_of(provider_user))
    with pytest.raises(InvalidInput) as info:
        file_order_complaint(enterprise_owner, foreign)
    assert "order" in info.value.field_errors
    assert Ticket.objects.count() == 0


def test_order_complaint_without_order_names_the_field(clock, enterprise_owner):
    with pytest.raises(InvalidInput) as info:
        services.ticket_file(
            actor=enterprise_owner,
            enterprise=org_of(enterprise_owner),
            ticket_type=ticket_type("order_complaint"),
            subject="x",
            description="y",
        )
    assert info.value.field_errors["order"]


def test_empty_subject_and_description_are_named(clock, enterprise_owner):
    with pytest.raises(InvalidInput) as info:
        services.ticket_file(
            actor=enterprise_owner,
            enterprise=org_of(enterprise_owner),
            ticket_type=ticket_type("general_request"),
            subject=" ",
            description="",
        )
    assert set(info.value.field_errors) == {"subject", "description"}


def test_provider_user_cannot_file(clock, provider_user):
    with pytest.raises(NotAllowed):
        services.ticket_file(
            actor=provider_user,
            enterprise=org_of(provider_user),
            ticket_type=ticket_type("general_request"),
            subject="x",
            description="y",
        )


def test_filing_notifies_the_district_officer_and_audits(
    clock,
    django_capture_on_commit_callbacks,
    enterprise_owner,
    order,
    district_officer,
    other_district_officer,
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = file_order_complaint(enterprise_owner, order)
    told = Notification.objects.get(recipient=district_officer)
    assert told.event == "tickets"
    assert (told.title, told.body) == (f"新的企业诉求待受理：{ticket.number}", "请于2026年10月8日前受理。")
    assert told.message["body"] == {"m": "请于%(day)s前受理。", "p": {"day": {"d": "2026-10-08"}}}
    assert not Notification.objects.filter(recipient=other_district_officer).exists()
    filed = AuditLog.objects.get(action="ticket.file", object_id=str(ticket.pk))
    assert filed.object_label == f"诉求 {ticket.number}"
    assert filed.summary == "新建 → 待受理"


# --- the workflow -----------------------------------------------------------------------------


def test_full_handling_closes_on_time_and_is_rated_once(clock, enterprise_owner, order, district_officer):
    ticket = file_order_complaint(enterprise_owner, order)
    clock.pin(at("2026-10-08"))
    ticket = services.ticket_acknowledge(actor=district_officer, ticket=ticket)
    assert ticket.assigned_officer == district_officer
    with pytest.raises(InvalidInput):
        services.ticket_answer(actor=district_officer, ticket=ticket, answer="  ")
    ticket = services.ticket_answer(actor=district_officer, ticket=ticket, answer="已约谈机构，三日内交付。")
    clock.pin(at("2026-10-12"))
    ticket = services.ticket_confirm(actor=enterprise_owner, ticket=ticket)
    assert ticket.status == TicketStatus.CLOSED
    assert ticket.closed_on_time is True
    ticket = services.ticket_rate(
        actor=enterprise_owner, ticket=ticket, stars=4, satisfied=True, comment="及时"
    )
    assert (ticket.satisfaction_stars, ticket.satisfied) == (4, True)
    with pytest.raises(Conflict):
        services.ticket_rate(actor=enterprise_owner, ticket=ticket, stars=5, satisfied=True)
    actions = list(
        TransitionLog.objects.filter(workflow="ticket", object_id=str(ticket.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == ["file", "acknowledge", "answer", "confirm"]  # the creation row first
    assert AuditLog.objects.filter(action="ticket.rate", object_id=str(ticket.pk)).exists()


def test_rating_refused_to_others_before_close_and_out_of_range(
    clock, enterprise_owner, order, district_officer
):
    ticket = file_order_complaint(enterprise_owner, order)
    with pytest.raises(Conflict):
        services.ticket_rate(actor=enterprise_owner, ticket=ticket, stars=5, satisfied=True)
    ticket = services.ticket_acknowledge(actor=district_officer, ticket=ticket)
    ticket = services.ticket_answer(actor=district_officer, ticket=ticket, answer="已处理")
    ticket = services.ticket_close(actor=district_officer, ticket=ticket)
    with pytest.raises(NotAllowed):
        services.ticket_rate(actor=district_officer, ticket=ticket, stars=5, satisfied=True)
    with pytest.raises(InvalidInput):
        services.ticket_rate(actor=enterprise_owner, ticket=ticket, stars=6, satisfied=True)
    clock.pin(at("2026-11-30"))
    with pytest.raises(Conflict):
        services.ticket_rate(actor=enterprise_owner, ticket=ticket, stars=5, satisfied=True)


def test_reopen_once_with_reason_restarts_the_answer_clock(clock, enterprise_owner, order, district_officer):
    ticket = file_order_complaint(enterprise_owner, order)
    ticket = services.ticket_acknowledge(actor=district_officer, ticket=ticket)
    ticket = services.ticket_answer(actor=district_officer, ticket=ticket, answer="已处理")
    clock.pin(at("2026-10-09"))
    with pytest.raises(InvalidInput):
        services.ticket_reopen(actor=enterprise_owner, ticket=ticket, reason="")
    ticket = services.ticket_reopen(actor=enterprise_owner, ticket=ticket, reason="仍未交付")
    assert ticket.status == TicketStatus.ACKNOWLEDGED
    # Restarted from 10-09 under the ticket's own limits: answer 3−1 = 2, close 5−1 = 4 working days.
    assert ticket.answer_due == dt.date(2026, 10, 12)
    assert ticket.close_due == dt.date(2026, 10, 14)
    ticket = services.ticket_answer(actor=district_officer, ticket=ticket, answer="已督促交付")
    with pytest.raises(NotAllowed):
        services.ticket_reopen(actor=enterprise_owner, ticket=ticket, reason="还是不满意")


def test_withdraw_only_before_answer(clock, enterprise_owner, order, district_officer):
    ticket = file_order_complaint(enterprise_owner, order)
    ticket = services.ticket_acknowledge(actor=district_officer, ticket=ticket)
    ticket = services.ticket_answer(actor=district_officer, ticket=ticket, answer="已处理")
    with pytest.raises(Conflict):
        services.ticket_withdraw(actor=enterprise_owner, ticket=ticket)
    other = file_general(enterprise_owner)
    assert services.ticket_withdraw(actor=enterprise_owner, ticket=other).status == TicketStatus.WITHDRAWN


def test_other_district_officer_cannot_handle(clock, enterprise_owner, order, other_district_officer):
    ticket = file_order_complaint(enterprise_owner, order)
    with pytest.raises(NotAllowed):
        services.ticket_acknowledge(actor=other_district_officer, ticket=ticket)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.FILED


def test_stale_version_is_a_conflict_and_changes_nothing(clock, enterprise_owner, order, district_officer):
    ticket = file_order_complaint(enterprise_owner, order)
    stale = ticket.version
    services.ticket_acknowledge(actor=district_officer, ticket=Ticket.objects.get(pk=ticket.pk))
    fresh = Ticket.objects.get(pk=ticket.pk)
    with pytest.raises(Conflict):
        services.ticket_answer(actor=district_officer, ticket=fresh, answer="答复", version=stale)
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.ACKNOWLEDGED


def test_concurrent_acknowledge_second_one_conflicts(clock, enterprise_owner, order, district_officer):
    ticket = file_order_complaint(enterprise_owner, order)
    first, second = Ticket.objects.get(pk=ticket.pk), Ticket.objects.get(pk=ticket.pk)
    services.ticket_acknowledge(actor=district_officer, ticket=first)
    with pytest.raises(Conflict):
        services.ticket_acknowledge(actor=district_officer, ticket=second)


# --- escalation -------------------------------------------------------------------------------


def test_daily_job_escalates_overdue_ticket_once(
    clock, django_capture_on_commit_callbacks, enterprise_owner, order, district_officer, city_officer
):
    ticket = file_order_complaint(enterprise_owner, order)
    # Acknowledge due 10-08: on that day it is not overdue yet.
    assert services.tickets_daily(today=dt.date(2026, 10, 8)).escalated == []
    with django_capture_on_commit_callbacks(execute=True):
        report = services.tickets_daily(today=dt.date(2026, 10, 9))
    assert report.escalated == [ticket.pk]
    ticket.refresh_from_db()
    assert ticket.handling_level == HandlingLevel.CITY
    assert ticket.status == TicketStatus.FILED
    assert "受理超时" in ticket.escalation_reason
    assert Notification.objects.filter(recipient=city_officer).count() == 1
    assert Notification.objects.filter(recipient=district_officer, title__contains="上报市级").count() == 1
    assert AuditLog.objects.filter(action="ticket_handling.escalate", object_id=str(ticket.pk)).count() == 1
    # Idempotent: a second run the same day, and the next day, change nothing.
    assert services.tickets_daily(today=dt.date(2026, 10, 9)).escalated == []
    assert services.tickets_daily(today=dt.date(2026, 10, 10)).escalated == []
    assert TransitionLog.objects.filter(workflow="ticket_handling", object_id=str(ticket.pk)).count() == 1


def test_escalated_ticket_is_handled_by_the_city_not_the_district(
    clock, enterprise_owner, order, district_officer, city_officer
):
    ticket = file_order_complaint(enterprise_owner, order)
    services.tickets_escalate_overdue(today=dt.date(2026, 10, 9))
    ticket.refresh_from_db()
    with pytest.raises(NotAllowed):
        services.ticket_acknowledge(actor=district_officer, ticket=ticket)
    ticket = services.ticket_acknowledge(actor=city_officer, ticket=ticket)
    assert ticket.status == TicketStatus.ACKNOWLEDGED


def test_answer_overdue_escalates_and_on_time_stage_does_not(
    clock, enterprise_owner, order, district_officer
):
    late = file_order_complaint(enterprise_owner, order, subject="答复超时")
    services.ticket_acknowledge(actor=district_officer, ticket=late)
    on_time = file_order_complaint(enterprise_owner, order, subject="按时")
    on_time = services.ticket_acknowledge(actor=district_officer, ticket=on_time)
    services.ticket_answer(actor=district_officer, ticket=on_time, answer="已答复")
    # Answer due 10-10, close due 10-13: on 10-12 only the unanswered one is overdue.
    assert services.tickets_escalate_overdue(today=dt.date(2026, 10, 12)) == [late.pk]


def test_city_officer_may_take_over_any_time_district_cannot(
    clock, enterprise_owner, order, district_officer, city_officer
):
    ticket = file_order_complaint(enterprise_owner, order)
    with pytest.raises(NotAllowed):
        services.ticket_take_over(actor=district_officer, ticket=ticket)
    ticket = services.ticket_take_over(actor=city_officer, ticket=ticket)
    assert ticket.handling_level == HandlingLevel.CITY
    assert ticket.assigned_officer == city_officer
    with pytest.raises(Conflict):
        services.ticket_take_over(actor=city_officer, ticket=ticket)


def test_take_over_of_a_withdrawn_ticket_is_refused_by_the_guard(clock, enterprise_owner, city_officer):
    ticket = file_general(enterprise_owner)
    read_before = Ticket.objects.get(pk=ticket.pk)  # the city officer's page, still open
    services.ticket_withdraw(actor=enterprise_owner, ticket=ticket)
    with pytest.raises(Conflict) as error:
        services.ticket_take_over(actor=city_officer, ticket=read_before)
    assert "无需提级办理" in error.value.message
    assert Ticket.objects.get(pk=ticket.pk).handling_level == HandlingLevel.DISTRICT


# --- monthly figures --------------------------------------------------------------------------


def test_monthly_figures_match_hand_computed_values(
    clock, enterprise_owner, order, district_officer, wanzhou, yuzhong
):
    def handle(ticket, close_on, *, stars=None, satisfied=None):
        ticket = services.ticket_acknowledge(actor=district_officer, ticket=ticket)
        ticket = services.ticket_answer(actor=district_officer, ticket=ticket, answer="已处理")
        clock.pin(at(close_on))
        ticket = services.ticket_confirm(actor=enterprise_owner, ticket=ticket)
        if stars:
            services.ticket_rate(actor=enterprise_owner, ticket=ticket, stars=stars, satisfied=satisfied)

    # September: three tickets filed on 09-30 (two complaints to 万州, one general request to 渝中).
    a = file_order_complaint(enterprise_owner, order, subject="A")
    b = file_order_complaint(enterprise_owner, order, subject="B")
    file_general(enterprise_owner, subject="C")  # stays open
    # A closed 10-12 (due 10-13: on time), rated 5 satisfied; B closed 10-20 (late), rated 2 not satisfied.
    handle(a, "2026-10-12", stars=5, satisfied=True)
    clock.pin(at("2026-10-09"))
    handle(b, "2026-10-20", stars=2, satisfied=False)
    # October: one more complaint filed and closed on time, not rated.
    clock.pin(at("2026-10-21"))
    d = file_order_complaint(enterprise_owner, order, subject="D")
    handle(d, "2026-10-22")

    report = services.ticket_figures_rebuild()
    assert report.months == ["2026-09", "2026-10"]
    sept = TicketMonthFigures.objects.get(month=dt.date(2026, 9, 1), district__isnull=True)
    assert (sept.filed, sept.closed) == (3, 0)
    assert sept.on_time_rate is None
    octo = TicketMonthFigures.objects.get(month=dt.date(2026, 10, 1), district__isnull=True)
    assert (octo.filed, octo.closed, octo.closed_on_time) == (1, 3, 2)
    assert octo.on_time_rate == Decimal("66.67")
    assert (octo.rated, octo.satisfied) == (2, 1)
    assert octo.satisfaction_rate == Decimal("50.00")
    assert octo.average_stars == Decimal("3.50")
    wz_sept = TicketMonthFigures.objects.get(month=dt.date(2026, 9, 1), district=wanzhou)
    yz_sept = TicketMonthFigures.objects.get(month=dt.date(2026, 9, 1), district=yuzhong)
    assert (wz_sept.filed, yz_sept.filed) == (2, 1)
    assert not TicketMonthFigures.objects.filter(month=dt.date(2026, 10, 1), district=yuzhong).exists()
    # Rebuilding again gives the same table.
    services.ticket_figures_rebuild()
    assert TicketMonthFigures.objects.count() == 5
