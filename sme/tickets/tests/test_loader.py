import json

import pytest

from sme.tickets.loader import DATA_FILE, load_ticket_types
from sme.tickets.models import TicketType

pytestmark = pytest.mark.django_db


def test_shipped_types_are_loaded_with_default_limits():
    kinds = dict(TicketType.objects.values_list("key", "kind"))
    assert kinds == {
        "order_complaint": "order_complaint",
        "provider_complaint": "provider_complaint",
        "general_request": "general",
    }
    assert set(
        TicketType.objects.values_list("acknowledge_workdays", "answer_workdays", "close_workdays")
    ) == {(1, 3, 5)}


def test_loading_is_idempotent_by_key_and_applies_changes(tmp_path):
    assert load_ticket_types() == 0
    rows = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    rows[2]["answer_workdays"] = 4
    path = tmp_path / "types.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    assert load_ticket_types(path) == 1
    assert load_ticket_types(path) == 0
    assert TicketType.objects.count() == 3
    assert TicketType.objects.get(key="general_request").answer_workdays == 4


def test_every_type_carries_its_english_name_too():
    rows = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    assert all(row.get("name_en") and row.get("description_en") for row in rows)
    names = dict(TicketType.objects.values_list("key", "name_en"))
    assert names["order_complaint"] == "Complaint about an order"
