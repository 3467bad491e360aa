"""Production collects static files with the manifest storage, which fails on a reference to a
missing file (a vendored ``sourceMappingURL``, a wrong ``url()`` in CSS): catch it here, not in a deploy."""

from django.core.management import call_command


def test_collectstatic_with_manifest_storage(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = (tmp_path / "staticfiles.json").read_text()
    for name in (
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/htmx/htmx.min.js",
        "css/site.css",
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
    ):
        assert name in manifest, name


def test_openapi_schema_builds_without_warnings(tmp_path):
    """Every endpoint is described (a view drf-spectacular cannot read is left out of the docs)."""
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in (
        "/api/v1/tools/uscc/{code}",
        "/api/v1/organizations/",
        "/api/v1/regions/districts/",
        "/api/v1/me/",
    ):
        assert path in text, path
