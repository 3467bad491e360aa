"""The admin: ticket types (rule data) may be corrected, and every save or delete is audited; tickets
and the monthly figures are read-only."""

import pytest

from conftest import login
from sme.core.models import AuditLog
from sme.tickets.models import TicketType

pytestmark = pytest.mark.django_db


def _form(tt: TicketType, **changes):
    data = {
        "key": tt.key,
        "kind": tt.kind,
        "name": tt.name,
        "name_en": tt.name_en,
        "description": tt.description,
        "description_en": tt.description_en,
        "acknowledge_workdays": tt.acknowledge_workdays,
        "answer_workdays": tt.answer_workdays,
        "close_workdays": tt.close_workdays,
        "effective_from": tt.effective_from.isoformat(),
        "effective_until": "",
        "source": tt.source,
        "sort_order": tt.sort_order,
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_changing_a_ticket_type_is_audited_with_what_changed(client, admin_user):
    tt = TicketType.objects.get(key="general_request")
    login(client, admin_user)
    response = client.post(f"/admin/tickets/tickettype/{tt.pk}/change/", _form(tt, answer_workdays=4))
    assert response.status_code == 302
    assert TicketType.objects.get(pk=tt.pk).answer_workdays == 4
    row = AuditLog.objects.get(action="tickets.ticket_type_save")
    assert (row.actor, row.object_id, row.changes) == (admin_user, str(tt.pk), {"answer_workdays": [3, 4]})
    assert row.summary == "在后台修改：诉求类型「一般诉求/咨询建议」"
    assert row.object_label == "诉求类型「一般诉求/咨询建议」"


def test_adding_and_deleting_a_ticket_type_are_audited(client, admin_user):
    login(client, admin_user)
    tt = TicketType.objects.get(key="general_request")
    response = client.post(
        "/admin/tickets/tickettype/add/", _form(tt, key="policy_question", name="政策咨询")
    )
    assert response.status_code == 302
    added = TicketType.objects.get(key="policy_question")
    assert (
        AuditLog.objects.get(action="tickets.ticket_type_save").summary == "在后台新增：诉求类型「政策咨询」"
    )
    response = client.post(f"/admin/tickets/tickettype/{added.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not TicketType.objects.filter(key="policy_question").exists()
    deleted = AuditLog.objects.get(action="tickets.ticket_type_delete")
    assert deleted.object_id == str(added.pk)
    assert deleted.changes["key"] == ["policy_question", None], "what the row held is kept in the log"


def test_deleting_from_the_list_is_audited_too(client, admin_user):
    login(client, admin_user)
    tt = TicketType.objects.get(key="general_request")
    client.post("/admin/tickets/tickettype/add/", _form(tt, key="policy_question", name="政策咨询"))
    added = TicketType.objects.get(key="policy_question")
    response = client.post(
        "/admin/tickets/tickettype/",
        {"action": "delete_selected", "_selected_action": [added.pk], "post": "yes"},
    )
    assert response.status_code == 302 and not TicketType.objects.filter(pk=added.pk).exists()
    assert AuditLog.objects.filter(action="tickets.ticket_type_delete", object_id=str(added.pk)).exists()


@pytest.mark.parametrize("model", ["ticket", "ticketmonthfigures"])
def test_tickets_and_figures_are_read_only(client, admin_user, model):
    login(client, admin_user)
    assert client.get(f"/admin/tickets/{model}/").status_code == 200
    assert client.get(f"/admin/tickets/{model}/add/").status_code == 403
