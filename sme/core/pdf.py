"""PDF documents (certificates, dossiers, assessment reports) from HTML templates, through WeasyPrint.

Chinese text is set in Noto Sans/Serif CJK SC, which the project's set-up installs
(scripts/ensure-system-packages.sh); WeasyPrint embeds only the glyphs a document uses, so the files
stay small and read the same on any machine. Templates extend ``pdf/base.html`` for the page box and
the font stack.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

PDF_CONTENT_TYPE = "application/pdf"


def render_pdf(template_name: str, context: dict[str, Any], *, language: str | None = None) -> bytes:
    """Render ``template_name`` with ``context`` to PDF bytes.

    Static files referenced in the template (``{% static %}``) are read from the app directories, so
    the PDF never depends on a running web server.
    """
    from weasyprint import HTML  # imported here: loading Pango costs ~0.3 s, paid only by PDF requests

    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        html = render_to_string(template_name, {"platform_name": settings.PLATFORM_NAME, **context})
    return HTML(string=html, base_url=str(settings.BASE_DIR / "sme")).write_pdf()  # type: ignore[no-any-return]
