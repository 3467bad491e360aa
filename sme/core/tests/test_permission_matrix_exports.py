"""Exports: a person sees and downloads only the exports they asked for; what they may export is the
exporter's business (the same selector as the list page)."""

from __future__ import annotations

import pytest

from sme.exports import registry
from sme.exports.models import ExportJob

from .test_permission_matrix import Row, check_row, row_id

ROLES = ["anonymous", "enterprise", "provider", "district_officer", "city_officer", "expert", "admin"]

ROWS: list[Row] = [
    ("get", "/exports/", {"anonymous": "login", "*": 200}),
    ("get", "/exports/{job}/", {"anonymous": "login", "city_officer": 200, "*": 404}),
    # an unknown kind: refused with a message back on the page, nothing created
    ("post", "/exports/new/nosuch/", {"anonymous": "login", "*": "refused"}, {"query": "", "back": "/"}),
    # a registered kind that counts no rows for anyone here: refused the same way
    (
        "post",
        "/exports/new/matrix-empty/",
        {"anonymous": "login", "*": "refused"},
        {"query": "", "back": "/"},
    ),
]


@pytest.fixture
def world(enterprise_owner, provider_user, district_officer, city_officer, expert, admin_user):
    registry.register("matrix-empty", "空", lambda user, params: registry.Table("空", ["列"], 0, list))
    job = ExportJob.objects.create(requested_by=city_officer, kind="matrix-empty", rows_total=1)
    users = {
        "anonymous": None,
        "enterprise": enterprise_owner,
        "provider": provider_user,
        "district_officer": district_officer,
        "city_officer": city_officer,
        "expert": expert,
        "admin": admin_user,
    }
    yield {"users": users, "ids": {"job": job.pk}}
    registry._EXPORTERS.pop("matrix-empty", None)


@pytest.mark.parametrize("row", ROWS, ids=row_id)
def test_export_access(client, world, row):
    check_row(client, world, ROLES, row)
    assert ExportJob.objects.count() == 1
