import datetime as dt
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import login
from sme.core.models import AuditLog
from sme.testing.factories import OrganizationFactory, UserFactory
from sme.tickets import services
from sme.tickets.models import Ticket, TicketStatus

from .factories import at, file_general, file_order_complaint, make_order, org_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _filed_before_national_day(clock):
    """The platform clock stands on 2026-09-30 (the day before the holiday) unless a test moves it."""
    clock.pin(at("2026-09-30"))


@pytest.fixture
def order(enterprise_owner, provider_user):
    return make_order(org_of(enterprise_owner), org_of(provider_user))


@pytest.fixture
def complaint(clock, enterprise_owner, order):
    return file_order_complaint(enterprise_owner, order)


def test_anonymous_is_sent_to_login(client, complaint):
    response = client.get(reverse("tickets:detail", args=[complaint.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_complaint_is_seen_by_wanzhou_officer_not_yuzhong(
    client, complaint, district_officer, other_district_officer
):
    url = reverse("tickets:detail", args=[complaint.pk])
    assert login(client, district_officer).get(url).status_code == 200
    assert login(client, other_district_officer).get(url).status_code == 404
    listing = login(client, other_district_officer).get(reverse("tickets:list"))
    assert complaint.number not in listing.content.decode()


def test_general_request_is_seen_by_the_enterprises_district(
    client, clock, enterprise_owner, district_officer, other_district_officer
):
    ticket = file_general(enterprise_owner)
    url = reverse("tickets:detail", args=[ticket.pk])
    assert login(client, other_district_officer).get(url).status_code == 200
    assert login(client, district_officer).get(url).status_code == 404


def test_other_enterprise_gets_404_and_provider_403(client, complaint, provider_user):
    stranger = UserFactory(role="enterprise")
    OrganizationFactory(verified=True, owner=stranger)
    url = reverse("tickets:detail", args=[complaint.pk])
    assert login(client, stranger).get(url).status_code == 404
    assert login(client, provider_user).get(url).status_code == 403
    assert login(client, provider_user).get(reverse("tickets:list")).status_code == 403


def test_city_officer_sees_all_with_escalated_highlighted(client, complaint, city_officer):
    services.tickets_escalate_overdue(today=dt.date(2026, 10, 9))
    page = login(client, city_officer).get(reverse("tickets:list")).content.decode()
    assert complaint.number in page
    assert 'class="table-danger"' in page
    assert "已上报市级" in page


def test_enterprise_files_a_complaint_through_the_form(client, clock, enterprise_owner, order, wanzhou):
    login(client, enterprise_owner)
    form = client.get(reverse("tickets:new"))
    assert order.number in form.content.decode()
    from sme.tickets.models import TicketType

    response = client.post(
        reverse("tickets:new"),
        {
            "enterprise": org_of(enterprise_owner).pk,
            "ticket_type": TicketType.objects.get(key="order_complaint").pk,
            "order": order.pk,
            "subject": "交付延误",
            "description": "至今未交付。",
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:detail", args=[ticket.pk])
    assert ticket.district == wanzhou and ticket.order == order


def test_form_names_the_missing_order(client, clock, enterprise_owner):
    from sme.tickets.models import TicketType

    login(client, enterprise_owner)
    response = client.post(
        reverse("tickets:new"),
        {
            "enterprise": org_of(enterprise_owner).pk,
            "ticket_type": TicketType.objects.get(key="order_complaint").pk,
            "subject": "交付延误",
            "description": "至今未交付。",
        },
    )
    assert response.status_code == 200
    assert 'data-testid="error-order"' in response.content.decode()
    assert not Ticket.objects.exists()


def test_detail_shows_due_dates_overdue_badge_and_actions(client, clock, complaint, district_officer):
    clock.pin(at("2026-10-09"))
    page = (
        login(client, district_officer).get(reverse("tickets:detail", args=[complaint.pk])).content.decode()
    )
    assert "2026年10月8日" in page
    assert 'data-testid="overdue"' in page
    assert 'data-testid="action-acknowledge"' in page


def test_officer_acknowledges_and_answers_through_the_page(
    client, complaint, district_officer, enterprise_owner
):
    login(client, district_officer)
    client.post(reverse("tickets:act", args=[complaint.pk, "acknowledge"]), {"version": complaint.version})
    complaint.refresh_from_db()
    assert complaint.status == TicketStatus.ACKNOWLEDGED
    client.post(
        reverse("tickets:act", args=[complaint.pk, "answer"]),
        {"note": "已约谈", "version": complaint.version},
    )
    complaint.refresh_from_db()
    assert complaint.status == TicketStatus.ANSWERED and complaint.answer == "已约谈"
    page = client.get(reverse("tickets:detail", args=[complaint.pk])).content.decode()
    assert "受理" in page and "已约谈" in page  # timeline from the transition log
    assert "提出诉求（新建 → 待受理）" in page  # the creation row opens it


def test_enterprise_cannot_act_as_officer(client, complaint, enterprise_owner):
    login(client, enterprise_owner)
    response = client.post(reverse("tickets:act", args=[complaint.pk, "acknowledge"]))
    assert response.status_code == 403
    complaint.refresh_from_db()
    assert complaint.status == TicketStatus.FILED


def test_enterprise_rates_after_close_through_the_page(client, complaint, district_officer, enterprise_owner):
    t = services.ticket_acknowledge(actor=district_officer, ticket=complaint)
    t = services.ticket_answer(actor=district_officer, ticket=t, answer="已处理")
    t = services.ticket_confirm(actor=enterprise_owner, ticket=t)
    login(client, enterprise_owner)
    assert 'data-testid="rate-form"' in client.get(reverse("tickets:detail", args=[t.pk])).content.decode()
    client.post(reverse("tickets:rate", args=[t.pk]), {"stars": "4", "satisfied": "yes", "comment": "好"})
    t.refresh_from_db()
    assert (t.satisfaction_stars, t.satisfied) == (4, True)


def test_list_has_no_n_plus_one(
    client, clock, enterprise_owner, order, city_officer, django_assert_max_num_queries
):
    for i in range(12):
        file_order_complaint(enterprise_owner, order, subject=f"投诉{i}")
    login(client, city_officer)
    client.get(reverse("tickets:list"))  # warm caches (session, jurisdiction)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("tickets:list"))
    assert response.content.decode().count('data-testid="ticket-row"') == 12


def test_todos_for_officer_and_enterprise(clock, complaint, district_officer, enterprise_owner):
    from sme.core.todos import todos_for

    clock.pin(at("2026-10-09"))
    titles = [t.title for t in todos_for(district_officer)]
    assert "1 件诉求待处理（1 件已超时）" in titles
    t = services.ticket_acknowledge(actor=district_officer, ticket=complaint)
    t = services.ticket_answer(actor=district_officer, ticket=t, answer="已处理")
    services.ticket_confirm(actor=enterprise_owner, ticket=t)
    assert "诉求已办结，请评价办理情况" in [x.title for x in todos_for(enterprise_owner)]


def test_public_figures_page_and_api(client, clock, complaint, wanzhou):
    services.ticket_figures_rebuild()
    clock.pin(dt.date(2026, 10, 15))
    page = client.get(reverse("tickets:figures"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="ticket-figures-data"' in html and "echarts.min.js" in html
    assert "2026年9月" in html
    district_page = client.get(reverse("tickets:figures"), {"district": wanzhou.pk}).content.decode()
    assert "万州区" in district_page
    api = client.get(reverse("api-tickets-figures"), {"district": wanzhou.pk})
    assert api.status_code == 200
    results = api.json()["results"]
    assert len(results) == 12
    assert results[-2] == {**results[-2], "month": "2026-09", "filed": 1}
    assert results[-1]["filed"] == 0
    too_many = client.get(reverse("api-tickets-figures"), {"months": "99"})
    assert too_many.status_code == 400 and "月数不能大于36" in too_many.json()["months"][0]
    not_an_id = client.get(reverse("api-tickets-figures"), {"district": "万州"})
    assert not_an_id.status_code == 400 and "区县 id请填写数字" in not_an_id.json()["district"][0]


def test_ticket_api_is_scoped(client, complaint, other_district_officer, district_officer, provider_user):
    url = reverse("api-tickets-list")
    assert client.get(url).status_code in (401, 403)
    assert login(client, district_officer).get(url).json()["count"] == 1
    assert login(client, other_district_officer).get(url).json()["count"] == 0
    assert login(client, provider_user).get(url).status_code == 403


# --- attachments: stored once, served by the one audited download view ------------------------


@pytest.fixture
def with_attachment(settings, tmp_path, client, enterprise_owner, order):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    login(client, enterprise_owner)
    from sme.tickets.models import TicketType

    pdf = SimpleUploadedFile("合同扫描件.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    response = client.post(
        reverse("tickets:new"),
        {
            "enterprise": org_of(enterprise_owner).pk,
            "ticket_type": TicketType.objects.get(key="order_complaint").pk,
            "order": order.pk,
            "subject": "交付延误",
            "description": "见附件合同第三条。",
            "files": [pdf],
        },
    )
    assert response.status_code == 302
    client.logout()
    return Ticket.objects.get().attachments.get()


def test_attachment_is_stored_with_its_checks_and_linked_through_the_download_view(
    client, with_attachment, enterprise_owner
):
    attachment = with_attachment
    assert (attachment.label, attachment.file_kind, attachment.uploaded_by) == (
        "合同扫描件.pdf",
        "pdf",
        enterprise_owner,
    )
    assert attachment.download_url == f"/files/tickets.ticketattachment/{attachment.pk}/"
    page = login(client, enterprise_owner).get(reverse("tickets:detail", args=[attachment.ticket_id]))
    assert f'href="{attachment.download_url}"' in page.content.decode()


@pytest.mark.parametrize("persona", ["enterprise_owner", "district_officer", "city_officer", "admin_user"])
def test_who_sees_the_ticket_downloads_its_attachment_and_it_is_audited(
    client, request, with_attachment, persona
):
    user = request.getfixturevalue(persona)
    response = login(client, user).get(with_attachment.download_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n%%EOF\n"
    # the Chinese name as RFC 5987 filename*, which browsers keep (not an RFC 2047 encoded word)
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('合同扫描件.pdf')}"
    row = AuditLog.objects.get(action="file.download")
    assert (row.actor, row.object_type, row.object_id) == (
        user,
        "tickets.ticketattachment",
        str(with_attachment.pk),
    )


@pytest.mark.parametrize("persona", ["other_district_officer", "provider_user", "expert", "stranger"])
def test_outside_the_tickets_scope_the_attachment_is_404_and_nothing_is_audited(
    client, request, with_attachment, persona, yuzhong
):
    if persona == "stranger":
        user = UserFactory(role="enterprise")
        OrganizationFactory(verified=True, owner=user, district=yuzhong)
    else:
        user = request.getfixturevalue(persona)
    assert login(client, user).get(with_attachment.download_url).status_code == 404
    client.logout()
    assert client.get(with_attachment.download_url).status_code == 404  # anonymous too
    assert not AuditLog.objects.filter(action="file.download").exists()


def test_the_page_shows_the_rule_by_its_name_and_limits_not_its_id(client, enterprise_owner, complaint):
    login(client, enterprise_owner)
    page = client.get(reverse("tickets:detail", args=[complaint.pk])).content.decode()
    assert complaint.rule_version == "order_complaint@2024-01-01", "the id stays in the data"
    assert "order_complaint@" not in page and "2024-01-01" not in page
    assert "按提交时的规则「投诉-订单」：1个工作日内受理，3个工作日内答复，5个工作日内办结" in page


def test_type_names_follow_the_readers_language(client, enterprise_owner, complaint):
    from django.utils import translation

    login(client, enterprise_owner)
    with translation.override("en"):
        listing = client.get(reverse("tickets:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        detail = client.get(
            reverse("tickets:detail", args=[complaint.pk]), HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
        form = client.get(reverse("tickets:new"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        api = client.get("/api/v1/tickets", HTTP_ACCEPT_LANGUAGE="en").json()
    assert "Complaint about an order" in listing and "投诉-订单" not in listing
    assert "Complaint about an order" in detail
    assert "General request, enquiry or suggestion" in form
    assert api["results"][0]["type_label"] == "Complaint about an order"


def test_an_automatic_escalation_reason_is_shown_in_the_readers_language(
    client, clock, complaint, city_officer
):
    from django.utils import translation

    services.tickets_escalate_overdue(today=dt.date(2026, 10, 9))
    complaint.refresh_from_db()
    assert complaint.escalation_message["m"] == "%(stage)s超时（应于%(day)s前%(stage)s）"
    login(client, city_officer)
    url = reverse("tickets:detail", args=[complaint.pk])
    page = client.get(url).content.decode()
    assert "受理超时（应于2026年10月8日前受理）" in page.split('data-testid="escalation"')[1]
    with translation.override("en"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # rendered when read: the due date comes in the reader's date format, in the alert and the timeline
    assert "Oct. 8, 2026" in page.split('data-testid="escalation"')[1].split("</div>")[0]
    assert "Oct. 8, 2026" in page.split('data-testid="timeline"')[1]
    assert "2026年10月8日" not in page
