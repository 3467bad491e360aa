"""Public notices (第十条) and the objection form: no login, CSRF, a honeypot, the service decides."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from sme.certification.models import Objection
from sme.certification.selectors.notices import notice_dates
from sme.core.models import AuditLog, TransitionLog
from sme.notifications.models import Notification

from . import public_fixtures as f

pytestmark = pytest.mark.django_db

# Friday before National Day 2024: Sunday 29 September is a 调休 working day, 1–7 October are not.
TODAY = dt.date(2024, 9, 27)
VALID = {"name": "张先生", "contact": "13900001111", "text": "该平台申报的服务企业数量与实际不符，请核实。"}


@pytest.fixture(autouse=True)
def today(clock):
    clock.pin(TODAY)
    return TODAY


@pytest.fixture
def open_notice(db):
    app = f.application(f.provider("500101"), status="notice", platform_name="三峡云服平台")
    published = dt.date(2024, 9, 26)
    starts, ends = notice_dates(app.scheme, published)
    return f.notice(app, published_on=published, starts_on=starts, ends_on=ends)


@pytest.fixture
def ended_notice(db):
    app = f.application(f.provider("500103"), status="notice", platform_name="期满待处理平台")
    return f.notice(
        app, published_on=dt.date(2024, 9, 2), starts_on=dt.date(2024, 9, 3), ends_on=dt.date(2024, 9, 11)
    )


@pytest.fixture
def closed_notice(db):
    app = f.application(f.provider("500103"), status="certified", platform_name="已授牌平台")
    return f.notice(
        app,
        published_on=dt.date(2024, 6, 3),
        starts_on=dt.date(2024, 6, 4),
        ends_on=dt.date(2024, 6, 13),
        closed=True,
        outcome="granted",
    )


def url(notice) -> str:
    return f"/certification/notices/{notice.pk}/"


def test_notice_list_is_public_with_current_and_past(client, open_notice, ended_notice, closed_notice):
    response = client.get("/certification/notices/")
    assert response.status_code == 200
    assert [n.pk for n in response.context["current"]] == [open_notice.pk]
    assert {n.pk for n in response.context["page"].items} == {ended_notice.pk, closed_notice.pk}
    body = response.content.decode()
    assert "三峡云服平台" in body and "已授牌平台" in body and "期满待处理平台" in body
    assert "期满无异议，授予称号" in body  # a past notice's outcome
    assert "2024年9月27日 至 2024年10月11日" in body


def test_notice_page_shows_dates_workdays_and_the_day_one_rule(client, open_notice):
    assert (open_notice.starts_on, open_notice.ends_on) == (dt.date(2024, 9, 27), dt.date(2024, 10, 11))
    response = client.get(url(open_notice))
    assert response.status_code == 200
    body = response.content.decode()
    assert "三峡云服平台" in body and open_notice.application.organization.name in body and "万州区" in body
    assert "2024年9月27日 至 2024年10月11日，共 7 个工作日" in body
    assert "公示期从发布后的第一个工作日起算" in body
    # 27 Sep, Sunday 29 Sep (调休), 30 Sep, then 8–11 Oct: seven working days, today included.
    assert response.context["facts"].workdays_left == 7
    assert 'data-testid="objection-form"' in body
    # Public facts only: neither the figures nor the applicant's contact details.
    assert "023-58000000" not in body and open_notice.application.reference not in body


def test_notice_with_day_one_the_publication_day_says_so(client, open_notice):
    type(open_notice.scheme).objects.filter(pk=open_notice.scheme_id).update(
        notice_day_one_is_publication_day=True
    )
    body = client.get(url(open_notice)).content.decode()
    assert "发布当日为工作日时计为公示第一天" in body


def test_anyone_files_an_objection_without_logging_in(
    client, open_notice, city_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(open_notice), {**VALID, "website": ""}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    assert response["Location"] == url(open_notice) + "?filed=1"
    objection = Objection.objects.get(notice=open_notice)
    assert (objection.name, objection.contact, objection.status) == ("张先生", "13900001111", "open")
    assert objection.filed_by is None and objection.client_ip == "203.0.113.7"
    # Objections have their workflow now: the creation row in the transition log, audited on the objection.
    assert AuditLog.objects.filter(
        action="certification_objection.file", object_id=str(objection.pk)
    ).exists()
    log = TransitionLog.objects.get(workflow="certification_objection", object_id=str(objection.pk))
    assert (log.action, log.from_status, log.to_status, log.actor) == ("file", "created", "open", None)
    assert Notification.objects.filter(recipient=city_officer).exists()
    assert 'data-testid="objection-filed"' in client.get(response["Location"]).content.decode()


def test_a_logged_in_objector_is_recorded(client, open_notice, enterprise_owner):
    from conftest import login

    login(client, enterprise_owner)
    client.post(url(open_notice), VALID)
    assert Objection.objects.get(notice=open_notice).filed_by == enterprise_owner


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**VALID, "name": ""}, "name"),
        ({**VALID, "contact": "  "}, "contact"),
        ({**VALID, "text": "不同意"}, "text"),
        ({**VALID, "text": "长" * 5001}, "text"),
    ],
)
def test_bad_objection_is_refused_with_a_chinese_message(client, open_notice, data, field):
    response = client.post(url(open_notice), data)
    assert response.status_code == 200
    assert not Objection.objects.exists()
    errors = response.context["form"].errors
    assert field in errors and all("\u4e00" <= e[0] <= "\u9fff" for e in errors[field])
    assert f'data-testid="error-{field}"' in response.content.decode()


@pytest.mark.parametrize("which", ["ended_notice", "closed_notice"])
def test_no_objection_once_the_notice_has_ended(client, which, request):
    notice = request.getfixturevalue(which)
    page = client.get(url(notice)).content.decode()
    assert 'data-testid="objection-form"' not in page
    response = client.post(url(notice), VALID)
    assert response.status_code == 200
    assert not Objection.objects.exists()
    assert "不再受理异议" in response.content.decode()


def test_upcoming_notice_takes_objections_from_its_first_day(client, clock, open_notice):
    clock.pin(dt.date(2024, 9, 26))
    response = client.get(url(open_notice))
    assert response.context["facts"].state == "upcoming"
    assert 'data-testid="objection-form"' not in response.content.decode()
    client.post(url(open_notice), VALID)
    assert not Objection.objects.exists()


def test_honeypot_stores_nothing(client, open_notice):
    response = client.post(url(open_notice), {**VALID, "website": "http://spam.example"})
    assert response.status_code == 302
    assert not Objection.objects.exists()


def test_objection_form_needs_the_csrf_token(open_notice):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url(open_notice), VALID).status_code == 403
    assert not Objection.objects.exists()
    strict.get(url(open_notice))
    token = strict.cookies["csrftoken"].value
    assert strict.post(url(open_notice), {**VALID, "csrfmiddlewaretoken": token}).status_code == 302
    assert Objection.objects.count() == 1


def test_unknown_notice_is_404(client):
    assert client.get("/certification/notices/999999/").status_code == 404


def test_notice_list_query_ceiling(client, django_assert_max_num_queries):
    for i in range(30):
        app = f.application(f.provider("500101"), status="rejected", platform_name=f"往期平台{i}")
        f.notice(
            app,
            published_on=dt.date(2024, 1, 2) + dt.timedelta(days=i),
            starts_on=dt.date(2024, 1, 3) + dt.timedelta(days=i),
            ends_on=dt.date(2024, 1, 12) + dt.timedelta(days=i),
            closed=True,
            outcome="withdrawn",
        )
    with django_assert_max_num_queries(5):
        response = client.get("/certification/notices/?page=2")
    assert len(response.context["page"].items) == 10
