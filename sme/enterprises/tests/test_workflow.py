"""The import workflow as a table: every (status, action, role) either moves as the table says or is
refused without a change; each transition is documented."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from sme.core.errors import Conflict, NotAllowed
from sme.core.workflow import apply_transition
from sme.enterprises import services
from sme.enterprises.models import EnterpriseImport, ImportStatus
from sme.enterprises.tests.helpers import code, csv_bytes
from sme.enterprises.workflow import IMPORT, IMPORTER, RUNNER

ROLES = [IMPORTER, RUNNER, "nobody"]
STATUSES = ["uploaded", "queued", "running", "done", "failed"]
ACTIONS = ["start", "begin", "finish", "fail"]

# Written out from the life of an import, not read from the table: (status, action) → (the one
# role that may take it, the status it leads to). Anything else is refused.
EXPECTED = {
    ("uploaded", "start"): (IMPORTER, "queued"),
    ("queued", "begin"): (RUNNER, "running"),
    ("running", "finish"): (RUNNER, "done"),
    ("queued", "fail"): (RUNNER, "failed"),
    ("running", "fail"): (RUNNER, "failed"),
}


def test_the_statuses_and_actions_are_those_walked_here():
    assert [s.value for s in ImportStatus] == STATUSES
    assert [t.action for t in IMPORT.transitions] == ACTIONS


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_transition_table(status, action, role, city_officer):
    job = services.enterprise_import_upload(
        actor=city_officer,
        upload=io.BytesIO(csv_bytes([[code(), "x", "万州区", "C", 1, 1, 1, 2024]])),
        file_name="a.csv",
    )
    EnterpriseImport.objects.filter(pk=job.pk).update(status=status)
    job.refresh_from_db()
    who, target = EXPECTED.get((status, action), (None, None))
    if role == who:
        apply_transition(workflow=IMPORT, obj=job, action=action, actor=city_officer, roles={role})
        job.refresh_from_db()
        assert job.status == target
    else:
        # the right status but the wrong role is "not allowed"; a wrong status is a conflict
        expected = NotAllowed if (status, action) in EXPECTED else Conflict
        with pytest.raises(expected):
            apply_transition(workflow=IMPORT, obj=job, action=action, actor=city_officer, roles={role})
        job.refresh_from_db()
        assert job.status == status


def test_every_table_row_is_documented():
    doc = (Path(__file__).resolve().parents[3] / "docs/workflows/enterprise-import.md").read_text()
    for t in IMPORT.transitions:
        assert f"| `{t.action}` |" in doc
        for source in t.sources:
            assert source in doc
