"""Every URL pattern of the platform is in the permission matrix, or listed here with the reason it is not.

The matrix is the row lists (``ROW_LISTS``) of the ``test_permission_matrix*.py`` modules beside this
one: a row covers a pattern when its path resolves to it. Adding a page means adding a row for it (who
gets 200/302/403/404, in and out of scope) to the matrix module of its app; the first test below names
every pattern without one. A pattern that lets an anonymous visitor in must be listed in ``PUBLIC`` with
the reason it is public, so that a page public by mistake cannot slip through as a row that merely says
so; a pattern deliberately left out of the matrix goes in ``EXEMPT`` with its reason. Stored files are
served by ``files:download`` alone; each app's ``DOWNLOADS`` rows say who may fetch its files.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from django.urls import URLPattern, URLResolver, get_resolver, resolve

# Every test_permission_matrix*.py module beside this one (a new one is picked up by its name).
MATRIX_MODULES: tuple[ModuleType, ...] = tuple(
    importlib.import_module(f"{__package__}.{path.stem}")
    for path in sorted(Path(__file__).parent.glob("test_permission_matrix*.py"))
    if path.stem != Path(__file__).stem
)

# Patterns (or whole namespaces, ending in ":") no row covers, each with the reason.
EXEMPT: dict[str, str] = {
    "admin:": "Django's admin site: staff only, by Django's own is_staff check",
    "set_language": "Django's language switch (i18n/setlang/): a POST any visitor may make, no data",
}

# Patterns an anonymous visitor may open (a row lets "anonymous" get 200), with the reason.
PUBLIC: dict[str, str] = {
    "core:home": "the portal's front page",
    "core:healthz": "the load balancer's health check; answers a constant",
    "accounts:login": "the login form",
    "accounts:register": "self-registration of enterprises and providers",
    "uscc-tool": "public tool: checks a credit code's check character, reads no record",
    "api-uscc-check": "public tool (API): checks a credit code, reads no record",
    "size-class-tool": "public tool: the size class (划型) from figures the visitor types in",
    "api-size-class": "public tool (API): the size class from the figures given",
    "api-workdays-add": "public tool (API): working days after a date, from the published calendar",
    "api-district-list": "the administrative divisions: public data",
    "api-schema": "the OpenAPI description of the API (no data)",
    "api-docs": "the API's documentation page (no data)",
    "certification:register": "the register of certified platforms is published (认定名单公开)",
    "certification:platform": "a certified platform's public register entry",
    "certification:certificate": "a certified platform's certificate, public like its register entry",
    "certification:notices": "the publicity notices (公示) are public by rule",
    "certification:notice": "one publicity notice (公示), public by rule",
    "certification:announcements": "revocations and expiries are announced publicly",
    "certification:self-check": "the self-check against a scheme's conditions, from figures typed in",
    "certification:schemes": "the schemes in force (the rules) are public",
    "certification:scheme": "one scheme, its conditions and materials: public like the list",
    "api-certification-schemes": "the schemes in force (API)",
    "api-certification-scheme": "one scheme in force (API)",
    "api-certification-eligibility": "the self-check (API): conditions against the figures given",
    "api-assessment-questionnaires": "the questionnaires are published so enterprises can prepare",
    "api-assessment-questionnaire": "one published questionnaire (API)",
    "api-assessment-score": "scores answers posted to it (API), stores nothing",
    "catalog:index": "the service catalogue is the platform's public shop window",
    "catalog:service": "a published service's page with the five disclosures",
    "catalog:provider": "a provider's public page: its published services and yearly figures",
    "files:download": "stored files whose owner's read rule admits everyone: a published service's brochure",
    "api-catalog-services": "the public catalogue (API)",
    "api-catalog-service": "a published service (API)",
    "api-catalog-categories": "the catalogue's categories (API)",
    "api-orders-provider-figures": "a provider's published yearly figures (API)",
    "tickets:figures": "the service-quality figures of the help desk are published",
    "api-tickets-figures": "the help desk's published figures (API)",
}


def _walk(
    resolver: URLResolver, namespace: tuple[str, ...] = (), prefix: str = "/"
) -> Iterator[tuple[str, str]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = (*namespace, entry.namespace) if entry.namespace else namespace
            yield from _walk(entry, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield ":".join((*namespace, entry.name or "")), prefix + str(entry.pattern)


def url_patterns() -> dict[str, str]:
    """Every pattern's name (``namespace:name``) and its route, without the exempt ones."""
    found: dict[str, str] = {}
    for name, route in _walk(get_resolver()):
        if name in EXEMPT or any(key.endswith(":") and name.startswith(key) for key in EXEMPT):
            continue
        found[name] = route
    return found


# The lists of rows a matrix module may have: (method, template, table[, data]) rows, or (template, table)
# rows of GET requests (RECORDS).
ROW_LISTS = ("PAGES", "ROWS", "ACTIONS", "RECORDS", "DOWNLOADS")


def matrix_rows() -> Iterator[tuple[str, str, dict[str, int | str]]]:
    """(module, path template, table) of every row of every matrix module."""
    for module in MATRIX_MODULES:
        lists = [getattr(module, name) for name in ROW_LISTS if hasattr(module, name)]
        assert lists, f"{module.__name__} has none of {ROW_LISTS}"
        for rows in lists:
            for row in rows:
                template, table = (row[0], row[1]) if isinstance(row[1], dict) else (row[1], row[2])
                yield module.__name__.rsplit(".", 1)[1], template, table


def _example_path(template: str) -> str:
    """The template with every ``{placeholder}`` as 1 and without its query: enough to resolve it."""
    return re.sub(r"\{[^}]+\}", "1", template).split("?", 1)[0]


def covered() -> dict[str, list[str]]:
    """Pattern name → the rows ("module: template") whose path resolves to it."""
    found: dict[str, list[str]] = {}
    for module, template, _table in matrix_rows():
        match = resolve(_example_path(template))
        found.setdefault(match.view_name, []).append(f"{module}: {template}")
    return found


def test_every_url_pattern_has_a_row_in_the_matrix():
    patterns = url_patterns()
    rows = covered()
    missing = sorted(f"{name}  ({route})" for name, route in patterns.items() if name not in rows)
    assert not missing, "URL patterns no permission-matrix row covers:\n" + "\n".join(missing)


def test_unnamed_patterns_do_not_hide_from_the_matrix():
    assert "" not in url_patterns() and not any(n.endswith(":") for n in url_patterns())


def test_every_row_resolves_and_names_a_real_pattern():
    patterns = url_patterns()
    stray = sorted(name for name in covered() if name not in patterns)
    assert not stray, f"rows resolving to exempt or unknown patterns: {stray}"


def test_anonymous_200_only_on_patterns_listed_as_public():
    opened = sorted(
        {
            resolve(_example_path(template)).view_name
            for _module, template, table in matrix_rows()
            if table.get("anonymous", table.get("*")) in (200, 201)
        }
    )
    unlisted = [name for name in opened if name not in PUBLIC]
    assert not unlisted, f"anonymous visitors get 200 from these patterns, not listed in PUBLIC: {unlisted}"
    stale = sorted(name for name in PUBLIC if name not in opened)
    assert not stale, f"listed in PUBLIC, but no row shows them open to anonymous visitors: {stale}"


def test_exempt_and_public_entries_name_real_patterns():
    every = {name for name, _route in _walk(get_resolver())}
    for key in EXEMPT:
        assert (key in every) or (key.endswith(":") and any(n.startswith(key) for n in every)), key
    for key in PUBLIC:
        assert key in every, key
    assert all(reason.strip() for reason in [*EXEMPT.values(), *PUBLIC.values()])
