"""PDFs embed a real Chinese font: the text can be extracted again and the font is in the file."""

import io
from typing import Any

import pypdf

from sme.core import pdf


def _fonts(reader: pypdf.PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]))
            descendants = font.get("/DescendantFonts")
            if descendants:
                descriptor = descendants[0].get_object()["/FontDescriptor"].get_object()
                assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), (
                    "font not embedded"
                )
    return names


def test_chinese_text_survives_the_round_trip(tmp_path, settings):
    template_dir = tmp_path / "templates"
    (template_dir / "pdf").mkdir(parents=True)
    (template_dir / "pdf" / "probe.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}<h1>渝中区中小企业公共服务平台</h1><p>{{ figure }}</p>{% endblock %}',
        encoding="utf-8",
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [template_dir, *settings.TEMPLATES[0]["DIRS"]]}]

    data = pdf.render_pdf("pdf/probe.html", {"figure": "服务中小企业 120 家"})

    assert data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = reader.pages[0].extract_text()
    assert "渝中区中小企业公共服务平台" in text
    assert "服务中小企业 120 家" in text
    assert any("CJK" in name for name in _fonts(reader))
