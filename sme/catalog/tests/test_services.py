"""Publication: the five disclosures before submission, approval in scope, fee/time changes waiting,
other changes direct, every revision kept, compare-and-set on stale edits."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sme.catalog import services
from sme.catalog.models import RevisionStatus, Service, ServiceDistrict, ServiceRevision, ServiceStatus
from sme.catalog.tests.factories import (
    complete_data,
    draft_service,
    pending_service,
    provider_org_of,
    published_service,
)
from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.models import AuditLog, TransitionLog
from sme.notifications.models import Notification

# (fields to empty, the disclosure the refusal must name, a field that must carry a message)
MISSING = [
    ({"content": ""}, "内容公开", "content"),
    ({"process_steps": []}, "流程公开", "process_steps"),
    ({"deliverables": ""}, "标准公开", "deliverables"),
    ({"quality_standard": ""}, "标准公开", "quality_standard"),
    ({"fee_type": ""}, "收费公开", "fee_type"),
    ({"fee_type": "fixed", "fee_amount": ""}, "收费公开", "fee_amount"),
    ({"fee_type": "range", "fee_amount": "", "fee_min": "5000", "fee_max": "3000"}, "收费公开", "fee_max"),
    ({"fee_type": "range", "fee_min": "", "fee_max": "3000"}, "收费公开", "fee_min"),
    ({"fee_type": "per_unit", "fee_amount": "300", "fee_unit": ""}, "收费公开", "fee_unit"),
    (
        {"fee_type": "fixed", "fee_amount": "8000", "small_micro_price": "8000"},
        "收费公开",
        "small_micro_price",
    ),
    ({"delivery_workdays": ""}, "时间公开", "delivery_workdays"),
    ({"service_hours": ""}, "时间公开", "service_hours"),
    ({"district_ids": [], "serves_all_districts": False}, "服务类别和区域", "district_ids"),
]


@pytest.mark.parametrize(("overrides", "named", "field"), MISSING)
def test_submission_refused_naming_each_missing_disclosure(provider_user, overrides, named, field):
    service = draft_service(provider_user, **overrides)
    with pytest.raises(InvalidInput) as refused:
        services.service_submit(actor=provider_user, service=service)
    assert named in refused.value.message
    assert field in refused.value.field_errors
    service.refresh_from_db()
    assert service.status == ServiceStatus.DRAFT
    assert not ServiceRevision.objects.filter(service=service).exclude(status=RevisionStatus.DRAFT).exists()


def test_all_missing_names_all_five(provider_user):
    service = draft_service(
        provider_user,
        content="",
        process_steps=[],
        deliverables="",
        quality_standard="",
        fee_type="",
        delivery_workdays="",
        service_hours="",
    )
    with pytest.raises(InvalidInput) as refused:
        services.service_submit(actor=provider_user, service=service)
    for name in ("内容公开", "流程公开", "标准公开", "收费公开", "时间公开"):
        assert name in refused.value.message


@pytest.mark.parametrize(
    ("overrides", "low", "high"),
    [
        ({"fee_type": "free", "fee_amount": ""}, "0", "0"),
        (
            {"fee_type": "range", "fee_min": "3000", "fee_max": "9000", "small_micro_price": "2500"},
            "2500",
            "9000",
        ),
        ({"fee_type": "per_unit", "fee_amount": "300", "fee_unit": "人·天"}, "300", "300"),
        ({"fee_type": "fixed", "fee_amount": "8000", "small_micro_price": "6000"}, "6000", "8000"),
    ],
)
def test_each_fee_type_submits_and_lists_its_price_bounds(
    provider_user, district_officer, overrides, low, high
):
    service = published_service(provider_user, district_officer, **overrides)
    assert service.status == ServiceStatus.PUBLISHED
    assert (service.price_low, service.price_high) == (Decimal(low), Decimal(high))


def test_first_publication_waits_for_the_district_officer(
    provider_user, district_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        service = pending_service(provider_user)
    assert service.status == ServiceStatus.PENDING
    assert Notification.objects.filter(recipient=district_officer, title__contains="待审核").exists()
    revision = ServiceRevision.objects.get(service=service)
    services.revision_approve(actor=district_officer, revision=revision, note="内容完整")
    service.refresh_from_db()
    revision.refresh_from_db()
    assert service.status == ServiceStatus.PUBLISHED
    assert revision.status == RevisionStatus.APPROVED and revision.decided_by == district_officer
    assert service.published_revision_id == revision.pk and service.title == revision.title
    assert service.top_category.key == "management-consulting"
    assert list(ServiceDistrict.objects.filter(service=service).values_list("district__code", flat=True)) == [
        "500101"
    ]
    assert TransitionLog.objects.filter(workflow="catalog_service", action="approve").count() == 1
    assert AuditLog.objects.filter(action="catalog_revision.approve").exists()


def test_officer_of_another_district_cannot_approve_city_officer_can(
    provider_user, other_district_officer, city_officer
):
    service = pending_service(provider_user)
    revision = ServiceRevision.objects.get(service=service)
    with pytest.raises(NotAllowed):
        services.revision_approve(actor=other_district_officer, revision=revision)
    services.revision_approve(actor=city_officer, revision=revision)
    service.refresh_from_db()
    assert service.status == ServiceStatus.PUBLISHED


def test_return_with_reason_then_resubmit_as_a_new_revision(
    provider_user, district_officer, django_capture_on_commit_callbacks
):
    service = pending_service(provider_user)
    revision = ServiceRevision.objects.get(service=service)
    with pytest.raises(InvalidInput):
        services.revision_return(actor=district_officer, revision=revision, note="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.revision_return(actor=district_officer, revision=revision, note="质量标准请写明依据")
    service.refresh_from_db()
    assert service.status == ServiceStatus.DRAFT
    assert Notification.objects.filter(body="质量标准请写明依据").exists()
    services.service_save_draft(
        actor=provider_user,
        service=service,
        data=complete_data(quality_standard="GB/T 19001 质量管理体系"),
        version=service.version,
    )
    services.service_submit(actor=provider_user, service=service)
    numbers = list(ServiceRevision.objects.filter(service=service).values_list("number", "status"))
    assert sorted(numbers) == [(1, RevisionStatus.REJECTED), (2, RevisionStatus.PENDING)]


@pytest.mark.parametrize(
    "change", [{"fee_amount": "9000"}, {"delivery_workdays": "15"}, {"service_hours": "全天"}]
)
def test_fee_or_time_change_waits_and_public_keeps_the_approved_values(
    client, provider_user, district_officer, change
):
    service = published_service(provider_user, district_officer)
    approved = service.published_revision_id
    revision = services.service_revise(
        actor=provider_user, service=service, data=complete_data(**change), version=service.version
    )
    assert revision.status == RevisionStatus.PENDING and revision.needs_approval
    assert next(iter(change)) in revision.changed_fields
    service.refresh_from_db()
    assert service.published_revision_id == approved and service.status == ServiceStatus.PUBLISHED
    page = client.get(f"/catalog/services/{service.pk}/").content.decode()
    assert "8,000 元" in page and "9,000 元" not in page
    assert "10 个工作日" in page
    services.revision_approve(actor=district_officer, revision=revision)
    service.refresh_from_db()
    assert service.published_revision_id == revision.pk
    assert ServiceRevision.objects.get(pk=approved).status == RevisionStatus.SUPERSEDED


def test_other_change_is_published_directly_and_every_revision_kept(provider_user, district_officer):
    service = published_service(provider_user, district_officer)
    revision = services.service_revise(
        actor=provider_user,
        service=service,
        data=complete_data(title="财务管理软件实施与培训", content="新的服务内容"),
        version=service.version,
    )
    assert revision.status == RevisionStatus.APPROVED and not revision.needs_approval
    assert set(revision.changed_fields) == {"title", "content"}
    service.refresh_from_db()
    assert service.title == "财务管理软件实施与培训" and service.published_revision_id == revision.pk
    assert ServiceRevision.objects.filter(service=service).count() == 2


def test_a_second_change_while_one_is_pending_is_refused(provider_user, district_officer):
    service = published_service(provider_user, district_officer)
    services.service_revise(
        actor=provider_user, service=service, data=complete_data(fee_amount="9000"), version=service.version
    )
    service.refresh_from_db()
    with pytest.raises(Conflict):
        services.service_revise(
            actor=provider_user,
            service=service,
            data=complete_data(title="别的名称"),
            version=service.version,
        )


def test_stale_edit_is_a_conflict_and_changes_nothing(provider_user, district_officer):
    service = published_service(provider_user, district_officer)
    stale = service.version
    services.service_revise(
        actor=provider_user, service=service, data=complete_data(title="新名称一"), version=stale
    )
    service = Service.objects.get(pk=service.pk)
    with pytest.raises(Conflict):
        services.service_revise(
            actor=provider_user, service=service, data=complete_data(title="新名称二"), version=stale
        )
    assert Service.objects.get(pk=service.pk).title == "新名称一"


def test_suspend_needs_a_reason_and_resume_restores(provider_user, district_officer, other_district_officer):
    service = published_service(provider_user, district_officer)
    with pytest.raises(InvalidInput):
        services.service_suspend(actor=district_officer, service=service, note="")
    with pytest.raises(NotAllowed):
        services.service_suspend(actor=other_district_officer, service=service, note="价格异常")
    services.service_suspend(actor=district_officer, service=service, note="价格异常")
    service.refresh_from_db()
    assert service.status == ServiceStatus.SUSPENDED and service.suspension_reason == "价格异常"
    with pytest.raises(NotAllowed):  # the provider cannot lift it by withdrawing and re-publishing
        services.service_resume(actor=provider_user, service=service)
    services.service_resume(actor=district_officer, service=service)
    service.refresh_from_db()
    assert service.status == ServiceStatus.PUBLISHED and service.suspension_reason == ""


def test_provider_withdraws_and_republishes(provider_user, district_officer, enterprise_owner):
    service = published_service(provider_user, district_officer)
    with pytest.raises(NotAllowed):
        services.service_withdraw(actor=enterprise_owner, service=service)
    services.service_withdraw(actor=provider_user, service=service)
    service.refresh_from_db()
    assert service.status == ServiceStatus.WITHDRAWN
    services.service_republish(actor=provider_user, service=service)
    service.refresh_from_db()
    assert service.status == ServiceStatus.PUBLISHED


def test_only_members_of_a_verified_provider_create(provider_user, enterprise_owner):
    with pytest.raises(NotAllowed):
        services.service_create(
            actor=enterprise_owner, provider=provider_org_of(provider_user), data=complete_data()
        )
    org = provider_org_of(provider_user)
    org.verification_status = "pending"
    org.save()
    with pytest.raises(InvalidInput):
        services.service_create(actor=provider_user, provider=org, data=complete_data())


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"fee_amount": "abc"}, "fee_amount"),
        ({"fee_amount": "-5"}, "fee_amount"),
        ({"delivery_workdays": "0"}, "delivery_workdays"),
        ({"title": ""}, "title"),
        ({"category": "nope"}, "category"),
    ],
)
def test_bad_input_named_and_nothing_created(provider_user, overrides, field):
    with pytest.raises(InvalidInput) as refused:
        services.service_create(
            actor=provider_user, provider=provider_org_of(provider_user), data=complete_data(**overrides)
        )
    assert field in refused.value.field_errors
    assert not Service.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"fee_amount": "abc"}, "fee_amount", ("价格", "数字", "abc")),
        ({"fee_amount": "-5"}, "fee_amount", ("价格", "负数")),
        ({"fee_amount": "12.345"}, "fee_amount", ("价格", "2位小数")),
        ({"delivery_workdays": "0"}, "delivery_workdays", ("交付时间", "不能小于1")),
        ({"delivery_workdays": "400"}, "delivery_workdays", ("交付时间", "不能大于365")),
        ({"response_workdays": "2.5"}, "response_workdays", ("响应时限", "整数")),
    ],
)
def test_bad_numbers_say_which_field_and_what_is_wrong(provider_user, overrides, field, words):
    with pytest.raises(InvalidInput) as refused:
        services.service_create(
            actor=provider_user, provider=provider_org_of(provider_user), data=complete_data(**overrides)
        )
    message = refused.value.field_errors[field][0]
    assert all(word in message for word in words), message


def test_numbers_as_people_type_them(provider_user):
    service = services.service_create(
        actor=provider_user,
        provider=provider_org_of(provider_user),
        data=complete_data(fee_amount="１２，０００.５０", delivery_workdays=" 10 "),
    )
    revision = ServiceRevision.objects.get(service=service)
    assert (revision.fee_amount, revision.delivery_workdays) == (Decimal("12000.50"), 10)
