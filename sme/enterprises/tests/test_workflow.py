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


@pytest.mark.parametrize("status", [s.value for s in ImportStatus])
@pytest.mark.parametrize("action", [t.action for t in IMPORT.transitions])
@pytest.mark.parametrize("role", ROLES)
def test_transition_table(status, action, role, city_officer):
    job = services.enterprise_import_upload(
        actor=city_officer,
        upload=io.BytesIO(csv_bytes([[code(), "x", "万州区", "C", 1, 1, 1, 2024]])),
        file_name="a.csv",
    )
    EnterpriseImport.objects.filter(pk=job.pk).update(status=status)
    job.refresh_from_db()
    allowed = [
        t for t in IMPORT.transitions if t.action == action and status in t.sources and role in t.roles
    ]
    if allowed:
        apply_transition(workflow=IMPORT, obj=job, action=action, actor=city_officer, roles={role})
        job.refresh_from_db()
        assert job.status == allowed[0].target
    else:
        with pytest.raises((Conflict, NotAllowed)):
            apply_transition(workflow=IMPORT, obj=job, action=action, actor=city_officer, roles={role})
        job.refresh_from_db()
        assert job.status == status


def test_every_table_row_is_documented():
    doc = (Path(__file__).resolve().parents[3] / "docs/workflows/enterprise-import.md").read_text()
    for t in IMPORT.transitions:
        assert f"| `{t.action}` |" in doc
        for source in t.sources:
            assert source in doc
