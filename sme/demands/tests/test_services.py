"""The demand services: the whole flow, the rules on who may do what, deadlines and concurrency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail  # noqa: F401
from django.utils import translation

from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.models import AuditLog, TransitionLog
from sme.demands import services
from sme.demands.models import Demand, DemandStatus, Proposal, ProposalStatus
from sme.demands.tests import factories as f
from sme.notifications.models import Notification
from sme.orders.models import Order, OrderStatus


@pytest.fixture
def providers(wanzhou, yuzhong, provider_user):
    """The 万州区 provider persona plus a second provider in 渝中区."""
    second_user, _org = f.provider(yuzhong, name="重庆渝中数智服务有限公司", username="second_provider")
    return provider_user, second_user


def test_full_flow_two_proposals_one_accepted(
    enterprise_owner, providers, django_capture_on_commit_callbacks
):
    first, second = providers
    demand = f.demand(enterprise_owner)
    with django_capture_on_commit_callbacks(execute=True):
        p1 = f.proposal(first, demand, price="52000", days=25, approach="标准实施方案")
        p2 = f.proposal(second, demand, price="61000", days=18)
    assert Notification.objects.filter(recipient=enterprise_owner, title__contains="收到新方案").count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        order = services.proposal_accept(actor=enterprise_owner, proposal=p1)

    order = Order.objects.get(pk=order.pk)
    assert order.status == OrderStatus.ACCEPTED
    assert order.agreed_price == Decimal("52000.00")
    assert order.provider_id == p1.provider_id and order.enterprise_id == demand.enterprise_id
    assert order.snapshot["approach"] == "标准实施方案"
    assert order.snapshot["demand_description"] == demand.description
    p1.refresh_from_db()
    p2.refresh_from_db()
    demand.refresh_from_db()
    assert p1.status == ProposalStatus.ACCEPTED and p1.order_id == order.pk
    assert p2.status == ProposalStatus.NOT_SELECTED
    assert demand.status == DemandStatus.AWARDED and demand.accepted_proposal_id == p1.pk
    not_selected = Notification.objects.get(recipient=second, title__startswith="未中选")
    assert not_selected.event == "demands"
    assert not_selected.message["title"] == {"m": "未中选：%(title)s", "p": {"title": demand.title}}
    with translation.override("en"):
        assert not_selected.title_text == f"Not selected: {demand.title}"
    assert not Notification.objects.filter(recipient=first, title__startswith="未中选").exists()
    created = AuditLog.objects.get(action="demand.create", object_id=str(demand.pk))
    assert created.object_label == f"服务需求「{demand.title}」"
    logged = set(
        TransitionLog.objects.filter(workflow__in=["demand", "demand_proposal"]).values_list(
            "action", flat=True
        )
    )
    # The creation rows (posting, each proposal) and every later move.
    assert logged == {"create", "submit", "award", "accept", "not_select"}
    assert TransitionLog.objects.filter(
        workflow="demand", object_id=str(demand.pk), action="create", from_status="created", to_status="open"
    ).exists()
    assert AuditLog.objects.filter(action="demand_proposal.submit", object_id=str(p2.pk)).count() == 1


def test_accept_is_all_or_nothing_when_the_order_is_refused(enterprise_owner, providers, monkeypatch):
    first, _second = providers
    demand = f.demand(enterprise_owner)
    p1 = f.proposal(first, demand)

    def refuse(**kwargs):
        raise InvalidInput("下单被拒绝")

    monkeypatch.setattr("sme.orders.services.order_create_from_terms", refuse)
    with pytest.raises(InvalidInput):
        services.proposal_accept(actor=enterprise_owner, proposal=p1)
    demand.refresh_from_db()
    p1.refresh_from_db()
    assert demand.status == DemandStatus.OPEN and p1.status == ProposalStatus.SUBMITTED
    assert not Order.objects.exists()


def test_two_tabs_accepting_two_proposals_one_gets_conflict(enterprise_owner, providers):
    first, second = providers
    demand = f.demand(enterprise_owner)
    p1 = f.proposal(first, demand)
    p2 = f.proposal(second, demand)
    # Both tabs loaded the page while the demand was open.
    tab_a = Proposal.objects.select_related("demand", "provider").get(pk=p1.pk)
    tab_b = Proposal.objects.select_related("demand", "provider").get(pk=p2.pk)
    services.proposal_accept(actor=enterprise_owner, proposal=tab_a)
    with pytest.raises(Conflict):
        services.proposal_accept(actor=enterprise_owner, proposal=tab_b)
    assert Order.objects.count() == 1
    assert Proposal.objects.get(pk=p2.pk).status == ProposalStatus.NOT_SELECTED


def test_accepting_a_proposal_revised_since_it_was_read_is_refused(enterprise_owner, providers):
    first, _second = providers
    demand = f.demand(enterprise_owner)
    p1 = f.proposal(first, demand, price="50000")
    seen_by_enterprise = Proposal.objects.select_related("demand", "provider").get(pk=p1.pk)
    services.proposal_revise(
        actor=first,
        proposal=Proposal.objects.get(pk=p1.pk),
        price="90000",
        delivery_workdays=20,
        approach="x",
    )
    with pytest.raises(Conflict):
        services.proposal_accept(actor=enterprise_owner, proposal=seen_by_enterprise)
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.OPEN
    assert not Order.objects.exists()


def test_only_the_enterprise_accepts(enterprise_owner, providers, district_officer):
    first, second = providers
    demand = f.demand(enterprise_owner)
    p1 = f.proposal(first, demand)
    for outsider in (first, second, district_officer):
        with pytest.raises(NotAllowed):
            services.proposal_accept(actor=outsider, proposal=p1)


def test_one_live_proposal_per_provider_then_revise(enterprise_owner, provider_user):
    demand = f.demand(enterprise_owner)
    p = f.proposal(provider_user, demand, price="50000")
    with pytest.raises(InvalidInput):
        f.proposal(provider_user, demand, price="40000")
    revised = services.proposal_revise(
        actor=provider_user, proposal=p, price="45,000", delivery_workdays=15, approach="加快进度"
    )
    assert revised.price == Decimal("45000") and revised.version == 2
    assert AuditLog.objects.filter(action="demand_proposal.revise", object_id=str(p.pk)).exists()
    # A stale form (version 1) is refused and changes nothing.
    stale = Proposal.objects.get(pk=p.pk)
    stale.version = 1
    with pytest.raises(Conflict):
        services.proposal_revise(
            actor=provider_user, proposal=stale, price="1", delivery_workdays=1, approach="y"
        )
    assert Proposal.objects.get(pk=p.pk).price == Decimal("45000")


def test_withdrawn_proposal_makes_room_for_a_new_one(enterprise_owner, provider_user):
    demand = f.demand(enterprise_owner)
    p = f.proposal(provider_user, demand)
    services.proposal_withdraw(actor=provider_user, proposal=p)
    assert Proposal.objects.get(pk=p.pk).status == ProposalStatus.WITHDRAWN
    again = f.proposal(provider_user, demand, price="48000")
    assert again.pk != p.pk


def test_withdrawing_after_the_demand_ended_is_refused_even_from_a_stale_page(
    enterprise_owner, provider_user
):
    demand = f.demand(enterprise_owner)
    p = f.proposal(provider_user, demand)
    stale = Proposal.objects.select_related("demand").get(pk=p.pk)  # the demand read while open
    services.demand_close(actor=enterprise_owner, demand=Demand.objects.get(pk=demand.pk))
    stale.status = ProposalStatus.SUBMITTED  # as the provider's page still shows it
    with pytest.raises(Conflict) as error:
        services.proposal_withdraw(actor=provider_user, proposal=stale)
    assert "需求已结束" in error.value.message
    assert Proposal.objects.get(pk=p.pk).status == ProposalStatus.NOT_SELECTED


def test_enterprise_cannot_withdraw_a_providers_proposal(enterprise_owner, provider_user):
    demand = f.demand(enterprise_owner)
    p = f.proposal(provider_user, demand)
    with pytest.raises(NotAllowed):
        services.proposal_withdraw(actor=enterprise_owner, proposal=p)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": ""}, "title", "需求名称"),
        ({"description": "  "}, "description", "需求描述"),
        ({"budget_min": "90000", "budget_max": "10000"}, "budget_max", "预算上限不能低于预算下限"),
        ({"budget_min": "-5"}, "budget_min", "不能为负数"),
        ({"budget_max": "abc"}, "budget_max", "请填写数字"),
        ({"visibility": "friends"}, "visibility", "可见范围"),
    ],
)
def test_bad_demand_input_names_the_field(enterprise_owner, fields, field, message):
    with pytest.raises(InvalidInput) as error:
        f.demand(enterprise_owner, **fields)
    assert message in error.value.field_errors[field][0]
    assert not Demand.objects.exists()


def test_amounts_read_as_people_type_them(enterprise_owner, provider_user):
    demand = f.demand(enterprise_owner, budget_min="３０，０００", budget_max=" 80,000.50 ")
    assert (demand.budget_min, demand.budget_max) == (Decimal("30000"), Decimal("80000.50"))
    p = f.proposal(provider_user, demand, price="52，000", days="１５")
    assert (p.price, p.delivery_workdays) == (Decimal("52000"), 15)


@pytest.mark.parametrize(
    ("price", "days", "field", "words"),
    [
        ("五万", 10, "price", "报价请填写数字（单位：元），收到“五万”"),
        ("100.555", 10, "price", "报价最多保留2位小数"),
        ("100", "十", "delivery_workdays", "交付时间请填写数字（单位：工作日），收到“十”"),
        ("100", 731, "delivery_workdays", "交付时间不能大于730"),
        ("100", "2.5", "delivery_workdays", "交付时间请填写整数"),
    ],
)
def test_bad_numbers_say_which_field_and_what_is_wrong(
    enterprise_owner, provider_user, price, days, field, words
):
    demand = f.demand(enterprise_owner)
    with pytest.raises(InvalidInput) as error:
        f.proposal(provider_user, demand, price=price, days=days)
    assert words in error.value.field_errors[field][0]
    assert error.value.message == error.value.field_errors[field][0]


def test_a_revision_read_before_the_withdrawal_is_refused(enterprise_owner, provider_user):
    demand = f.demand(enterprise_owner)
    p = f.proposal(provider_user, demand)
    read_before = Proposal.objects.select_related("demand").get(pk=p.pk)
    services.proposal_withdraw(actor=provider_user, proposal=Proposal.objects.get(pk=p.pk))
    with pytest.raises(Conflict):
        services.proposal_revise(
            actor=provider_user, proposal=read_before, price="1", delivery_workdays=1, approach="y"
        )
    assert Proposal.objects.get(pk=p.pk).price == Decimal("50000")


def test_deadline_in_the_past_refused(enterprise_owner, clock):
    with pytest.raises(InvalidInput) as error:
        f.demand(enterprise_owner, deadline=clock.today() - dt.timedelta(days=1))
    assert "截止日期" in error.value.field_errors["deadline"][0]


def test_district_defaults_to_the_enterprises(enterprise_owner, yuzhong, wanzhou):
    assert f.demand(enterprise_owner).district == yuzhong
    assert f.demand(enterprise_owner, district=wanzhou).district == wanzhou


@pytest.mark.parametrize(
    ("price", "days", "approach", "field"),
    [
        ("", 10, "a", "price"),
        ("-1", 10, "a", "price"),
        ("100", 0, "a", "delivery_workdays"),
        ("100", "十", "a", "delivery_workdays"),
        ("100", 10, " ", "approach"),
    ],
)
def test_bad_proposal_input_names_the_field(enterprise_owner, provider_user, price, days, approach, field):
    demand = f.demand(enterprise_owner)
    with pytest.raises(InvalidInput) as error:
        f.proposal(provider_user, demand, price=price, days=days, approach=approach)
    assert field in error.value.field_errors
    assert not Proposal.objects.exists()


def test_only_enterprise_members_post(provider_user, enterprise_owner, clock):
    with pytest.raises(NotAllowed):
        services.demand_create(
            actor=provider_user,
            enterprise=f.enterprise_of(enterprise_owner),
            category=f.category(),
            title="t",
            description="d",
            deadline=clock.today(),
        )


# --- certified only -----------------------------------------------------------------------------


def test_certified_only_demand_refuses_uncertified_providers(enterprise_owner, provider_user, wanzhou):
    demand = f.demand(enterprise_owner, visibility="certified")
    with pytest.raises(NotAllowed) as error:
        f.proposal(provider_user, demand)
    assert "认定" in error.value.message
    certified_user, _org = f.provider(wanzhou, certified=True)
    assert f.proposal(certified_user, demand).status == ProposalStatus.SUBMITTED


def test_revoked_certification_does_not_count(enterprise_owner, wanzhou):
    from sme.certification.models import Certification

    user, org = f.provider(wanzhou, certified=True)
    Certification.objects.filter(organization=org).update(status="revoked")
    demand = f.demand(enterprise_owner, visibility="certified")
    with pytest.raises(NotAllowed):
        f.proposal(user, demand)


# --- deadlines and the daily job ------------------------------------------------------------------


def test_proposals_refused_after_the_deadline_before_the_job(enterprise_owner, provider_user, clock):
    deadline = clock.today() + dt.timedelta(days=3)
    demand = f.demand(enterprise_owner, deadline=deadline)
    clock.pin(deadline)
    f.proposal(provider_user, demand)  # the deadline day itself still counts
    services.proposal_withdraw(actor=provider_user, proposal=Proposal.objects.get())
    clock.pin(deadline + dt.timedelta(days=1))
    with pytest.raises(InvalidInput) as error:
        f.proposal(provider_user, demand)
    assert "截止" in error.value.message
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.OPEN  # the job has not run yet


def test_accept_after_the_deadline_refused(enterprise_owner, provider_user, clock):
    deadline = clock.today() + dt.timedelta(days=3)
    demand = f.demand(enterprise_owner, deadline=deadline)
    p = f.proposal(provider_user, demand)
    clock.pin(deadline + dt.timedelta(days=1))
    with pytest.raises(InvalidInput):
        services.proposal_accept(actor=enterprise_owner, proposal=p)
    assert not Order.objects.exists()


def test_daily_job_closes_past_deadline_and_is_idempotent(
    enterprise_owner, providers, clock, django_capture_on_commit_callbacks
):
    first, second = providers
    deadline = clock.today() + dt.timedelta(days=2)
    due = f.demand(enterprise_owner, deadline=deadline, title="到期的需求")
    later = f.demand(enterprise_owner, deadline=deadline + dt.timedelta(days=5), title="未到期的需求")
    p1 = f.proposal(first, due)
    p2 = f.proposal(second, due)
    f.proposal(first, later)

    with django_capture_on_commit_callbacks(execute=True):
        on_deadline = services.demands_daily(today=deadline)
    assert on_deadline.closed == 0
    with django_capture_on_commit_callbacks(execute=True):
        report = services.demands_daily(today=deadline + dt.timedelta(days=1))
    assert (report.closed, report.proposals_not_selected) == (1, 2)
    due.refresh_from_db()
    assert due.status == DemandStatus.CLOSED
    assert Demand.objects.get(pk=later.pk).status == DemandStatus.OPEN
    assert {Proposal.objects.get(pk=p.pk).status for p in (p1, p2)} == {ProposalStatus.NOT_SELECTED}
    assert Notification.objects.filter(recipient=enterprise_owner, title__contains="已截止").count() == 1
    assert Notification.objects.filter(recipient=second, title__startswith="未中选").count() == 1

    again = services.demands_daily(today=deadline + dt.timedelta(days=1))
    assert (again.closed, again.proposals_not_selected) == (0, 0)
    closes = TransitionLog.objects.filter(workflow="demand", object_id=str(due.pk), action="close")
    assert closes.count() == 1


def test_daily_command_and_task(enterprise_owner, clock):
    from django.core.management import call_command

    from sme.core.tasks import run_daily

    deadline = clock.today() + dt.timedelta(days=1)
    demand = f.demand(enterprise_owner, deadline=deadline)
    call_command("run_daily", "--only", "demands", "--today", deadline.isoformat())
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.OPEN
    result = run_daily.delay(today=(deadline + dt.timedelta(days=1)).isoformat()).get()
    assert result["reports"]["demands"]["closed"] == 1
    assert {"demands", "orders", "certification", "tickets", "audit_chain"} <= set(result["reports"])
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.CLOSED


# --- closing, withdrawing, shortlisting ------------------------------------------------------------


def test_enterprise_withdraws_and_proposers_are_told(
    enterprise_owner, provider_user, django_capture_on_commit_callbacks
):
    demand = f.demand(enterprise_owner)
    p = f.proposal(provider_user, demand)
    with django_capture_on_commit_callbacks(execute=True):
        services.demand_withdraw(actor=enterprise_owner, demand=demand, note="项目取消")
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.WITHDRAWN
    assert Proposal.objects.get(pk=p.pk).status == ProposalStatus.NOT_SELECTED
    assert Notification.objects.filter(recipient=provider_user, title__startswith="未中选").exists()
    with pytest.raises(Conflict):
        services.demand_close(actor=enterprise_owner, demand=demand)


def test_shortlist_toggle_audited_and_not_a_revision(enterprise_owner, provider_user):
    demand = f.demand(enterprise_owner)
    p = f.proposal(provider_user, demand)
    with pytest.raises(NotAllowed):
        services.proposal_shortlist(actor=provider_user, proposal=p, shortlisted=True)
    p = services.proposal_shortlist(actor=enterprise_owner, proposal=p, shortlisted=True)
    assert p.shortlisted and p.version == 1
    assert AuditLog.objects.filter(action="demand_proposal.shortlist").count() == 1
    # The provider may still revise a shortlisted proposal.
    services.proposal_revise(actor=provider_user, proposal=p, price="1000", delivery_workdays=3, approach="z")
    services.proposal_shortlist(actor=enterprise_owner, proposal=p, shortlisted=False)
    assert not Proposal.objects.get(pk=p.pk).shortlisted


# --- hiding -----------------------------------------------------------------------------------------


def test_hide_needs_a_reason_and_the_right_officer(
    enterprise_owner, district_officer, other_district_officer, city_officer, provider_user
):
    demand = f.demand(enterprise_owner)  # in 渝中区
    with pytest.raises(NotAllowed):
        services.demand_hide(actor=district_officer, demand=demand, reason="广告")  # 万州区's officer
    with pytest.raises(NotAllowed):
        services.demand_hide(actor=provider_user, demand=demand, reason="广告")
    with pytest.raises(InvalidInput) as error:
        services.demand_hide(actor=other_district_officer, demand=demand, reason=" ")
    assert "reason" in error.value.field_errors
    hidden = services.demand_hide(actor=other_district_officer, demand=demand, reason="含有违规广告")
    assert hidden.is_hidden and hidden.hidden_reason == "含有违规广告"
    assert AuditLog.objects.filter(action="demand.hide", object_id=str(demand.pk)).exists()
    with pytest.raises(Conflict):
        services.demand_hide(actor=city_officer, demand=demand, reason="again")
    with pytest.raises(NotAllowed):
        f.proposal(provider_user, demand)
    shown = services.demand_unhide(actor=city_officer, demand=demand)
    assert not shown.is_hidden
    assert AuditLog.objects.filter(action="demand.unhide").exists()
