"""Uploads are judged by their bytes: real files of each kind pass, impostors, empty, oversize and
malformed archives are refused with a Chinese message under the caller's field, and the client's name
only ever becomes a harmless label."""

from __future__ import annotations

import functools
import hashlib
import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from sme.core import uploads
from sme.core.errors import InvalidInput
from sme.core.pdf import render_pdf
from sme.core.uploads import DEFAULT_KINDS, UploadInfo, inspect_upload, storage_path

# --- real files, built here -------------------------------------------------------------------------


@functools.cache
def pdf_bytes() -> bytes:
    return render_pdf("pdf/base.html", {})


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


DOCX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
DOCX_DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>服务平台申请报告</w:t></w:r></w:p></w:body></w:document>"
)


def zip_bytes(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes(content_types: str = DOCX_CONTENT_TYPES, **extra: bytes | str) -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": content_types,
            "_rels/.rels": DOCX_RELS,
            "word/document.xml": DOCX_DOCUMENT,
            **extra,
        }
    )


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["年度", "服务企业数"])
    sheet.append([2024, 120])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + b"PE\x00\x00" + b"\x00" * 200

BUILDERS = {
    "pdf": pdf_bytes,
    "jpeg": lambda: image_bytes("JPEG"),
    "png": lambda: image_bytes("PNG"),
    "docx": docx_bytes,
    "xlsx": xlsx_bytes,
}
NAMES = {
    "pdf": "营业执照.pdf",
    "jpeg": "照片.JPG",
    "png": "截图.png",
    "docx": "申请报告.docx",
    "xlsx": "服务数据.xlsx",
}


def upload(data: bytes, name: str, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def refusal(data: bytes, name: str, **kwargs) -> InvalidInput:
    f = upload(data, name)
    with pytest.raises(InvalidInput) as caught:
        inspect_upload(f, **kwargs)
    assert f.tell() == 0
    return caught.value


# --- accepted ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", DEFAULT_KINDS)
def test_each_allowed_kind_is_accepted_and_described(kind):
    data = BUILDERS[kind]()
    f = upload(data, NAMES[kind], content_type="text/plain")  # the browser's type is ignored

    info = inspect_upload(f)

    assert info.kind == kind
    assert info.content_type == uploads._KINDS[kind].content_type
    assert info.extension == uploads._KINDS[kind].extension
    assert info.size == len(data)
    assert info.sha256 == hashlib.sha256(data).hexdigest()
    assert info.label == NAMES[kind]
    assert f.tell() == 0
    assert f.read() == data  # still readable from the start for storage


def test_the_detected_kinds_have_the_expected_canonical_types():
    assert {kind: (spec.content_type, spec.extension) for kind, spec in uploads._KINDS.items()} == {
        "pdf": ("application/pdf", ".pdf"),
        "jpeg": ("image/jpeg", ".jpg"),
        "png": ("image/png", ".png"),
        "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
        "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    }


def test_upload_info_is_frozen():
    info = inspect_upload(upload(image_bytes("PNG"), "a.png"))
    assert isinstance(info, UploadInfo)
    with pytest.raises(AttributeError):
        info.kind = "pdf"


def test_a_file_spooled_to_disk_is_read_the_same_way():
    data = xlsx_bytes()
    f = TemporaryUploadedFile("数据.xlsx", "application/octet-stream", len(data), None)
    try:
        f.write(data)
        f.seek(0)
        info = inspect_upload(f)
        assert (info.kind, info.size, info.sha256) == ("xlsx", len(data), hashlib.sha256(data).hexdigest())
        assert f.tell() == 0
    finally:
        f.close()


class RecordingIO(io.BytesIO):
    def __init__(self, data: bytes):
        super().__init__(data)
        self.reads: list[int | None] = []
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        self.reads.append(size)
        data = super().read(size)
        self.bytes_read += len(data)
        return data


def test_the_file_is_read_in_bounded_chunks_in_one_pass():
    data = b"%PDF-1.7\n" + b"0" * (3 * 1024 * 1024)
    raw = RecordingIO(data)
    info = inspect_upload(File(raw, name="big.pdf"))

    assert info.sha256 == hashlib.sha256(data).hexdigest()
    assert info.size == len(data)
    assert all(size is not None and 0 < size <= uploads.CHUNK_SIZE for size in raw.reads), raw.reads
    assert raw.bytes_read == len(data)  # one pass, no second read
    assert raw.tell() == 0


# --- refused ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("executable", [ELF, PE], ids=["elf", "pe"])
def test_an_executable_renamed_pdf_is_refused_naming_both(executable):
    f = upload(executable, "营业执照.pdf", content_type="application/pdf")
    with pytest.raises(InvalidInput) as caught:
        inspect_upload(f, field="material")

    error = caught.value
    assert "文件内容不是 PDF" in error.message
    assert "可执行程序" in error.message
    assert "PDF、JPEG、PNG、Word（.docx）、Excel（.xlsx）" in error.message
    assert error.field_errors == {"material": [error.message]}
    assert f.tell() == 0


def test_an_empty_file_is_refused():
    error = refusal(b"", "空.pdf", field="material")
    assert error.message == "文件为空。"
    assert error.field_errors == {"material": ["文件为空。"]}


def test_an_oversize_file_is_refused_with_limit_and_size():
    data = b"%PDF-1.4\n" + b"x" * (3 * 1024 * 1024)
    error = refusal(data, "大.pdf", max_bytes=2 * 1024 * 1024)
    assert "3 MB" in error.message
    assert "2 MB 的上限" in error.message


def test_a_file_just_over_the_limit_shows_its_exact_size():
    limit = 20 * 1024 * 1024
    error = refusal(b"%PDF-" + b"x" * limit, "a.pdf", max_bytes=limit)
    assert f"{limit + 5:,} 字节" in error.message
    assert "20 MB 的上限" in error.message


def test_the_limit_defaults_to_the_setting(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    data = image_bytes("PNG") + b"\x00" * 2048
    error = refusal(data, "a.png")
    assert "1 KB 的上限" in error.message
    assert inspect_upload(upload(data, "a.png"), max_bytes=10_000).kind == "png"


def test_a_size_that_was_misreported_is_still_caught_while_reading():
    f = upload(b"%PDF-" + b"x" * 5000, "a.pdf")
    f.size = 10  # whatever the upload handler claimed, the bytes decide
    with pytest.raises(InvalidInput) as caught:
        inspect_upload(f, max_bytes=1000)
    assert "上限" in caught.value.message
    assert f.tell() == 0


def test_a_kind_not_allowed_is_refused_listing_the_accepted_ones():
    error = refusal(image_bytes("PNG"), "截图.png", allowed=("pdf", "docx"))
    assert error.message == "不接受 PNG 文件。可上传的格式：PDF、Word（.docx）。"


def test_a_zip_that_is_neither_docx_nor_xlsx_is_refused():
    data = zip_bytes({"readme.txt": "hello", "data.csv": "a,b\n1,2\n"})
    error = refusal(data, "资料.docx")
    assert "文件内容不是 Word（.docx）" in error.message
    assert "ZIP 压缩包" in error.message


def test_a_macro_enabled_document_is_not_a_docx():
    macro_types = DOCX_CONTENT_TYPES.replace(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    error = refusal(docx_bytes(macro_types, **{"word/vbaProject.bin": b"\x00" * 64}), "报告.docx")
    assert "文件内容不是 Word（.docx）" in error.message


def test_a_docx_renamed_xlsx_is_judged_by_its_content():
    data = docx_bytes()
    info = inspect_upload(upload(data, "服务数据.xlsx"))
    assert (info.kind, info.extension) == ("docx", ".docx")
    assert info.label == "服务数据.docx"

    error = refusal(data, "服务数据.xlsx", allowed=["xlsx"])
    assert (
        error.message
        == "文件内容不是 Excel（.xlsx），实际格式：Word（.docx）。可上传的格式：Excel（.xlsx）。"
    )


def test_an_old_office_document_is_named_as_such():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    error = refusal(ole, "申请报告.doc")
    assert "旧版 Office 文档" in error.message
    assert error.message.startswith("不接受此文件")


def test_unrecognisable_content_says_so():
    assert refusal(b"just some text", "说明.pdf").message.startswith("文件内容不是 PDF，无法识别其格式。")
    assert refusal(b"just some text", "说明.txt").message.startswith("无法识别文件格式。")


def test_a_zip_bomb_member_is_refused():
    data = docx_bytes(**{"word/media/padding.bin": b"\x00" * (4 * 1024 * 1024)})  # ~1000x
    assert len(data) < 100 * 1024
    error = refusal(data, "报告.docx")
    assert "解压后过大" in error.message


def test_too_much_uncompressed_content_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "ZIP_MAX_UNCOMPRESSED_BYTES", 1000)
    error = refusal(docx_bytes(**{"word/extra.xml": "<x/>" * 300}), "报告.docx")
    assert "解压后过大" in error.message


def test_a_corrupt_docx_is_refused():
    data = bytearray(docx_bytes())
    start = data.index(b"word/document.xml") + len(b"word/document.xml")  # its local header's name
    data[start + 5] ^= 0xFF  # flip a byte of the compressed body: the CRC no longer matches
    error = refusal(bytes(data), "报告.docx")
    assert "损坏" in error.message

    truncated = docx_bytes()[:-40]  # the central directory is cut off
    assert "损坏" in refusal(truncated, "报告.docx").message


def test_an_encrypted_zip_is_refused():
    data = bytearray(docx_bytes())
    # set the "encrypted" flag in every local and central header
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        for match in re.finditer(re.escape(signature), bytes(data)):
            data[match.start() + offset] |= 0x1
    error = refusal(bytes(data), "报告.docx")
    assert "加密" in error.message


def test_unknown_allowed_kinds_are_a_programming_error():
    with pytest.raises(ValueError):
        inspect_upload(upload(b"%PDF-1.4", "a.pdf"), allowed=["pdf", "gif"])
    with pytest.raises(ValueError):
        inspect_upload(upload(b"%PDF-1.4", "a.pdf"), allowed=[])


# --- labels -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\x.pdf", "x.pdf"),
        ("C:\\Users\\张三\\Desktop\\营业执照.pdf", "营业执照.pdf"),
        ("/var/tmp/a/../证明.PDF", "证明.PDF"),
        ("evil\x00name\x1f\x7f.pdf", "evilname.pdf"),
        ("\u202efdp.exe", "fdp.exe.pdf"),  # right-to-left override removed, the real kind appended
        ("line\nbreak.pdf", "linebreak.pdf"),
        ("  多余   空格 .pdf  ", "多余 空格 .pdf"),
        ("报告 v1.2", "报告 v1.2.pdf"),
        ("扫描件", "扫描件.pdf"),
        ("照片.png", "照片.pdf"),
        ("", "未命名文件.pdf"),
        ("..", "未命名文件.pdf"),
        ("../..", "未命名文件.pdf"),
        (".pdf", "未命名文件.pdf"),
        ("dir/", "未命名文件.pdf"),
        ("\x00\x01", "未命名文件.pdf"),
    ],
)
def test_the_name_becomes_a_safe_label(name, label):
    assert inspect_upload(File(io.BytesIO(b"%PDF-1.4\n"), name=name)).label == label


def test_a_long_name_is_trimmed_keeping_its_extension():
    label = inspect_upload(upload(b"%PDF-1.4", "申" * 300 + ".pdf")).label
    assert len(label) == uploads.LABEL_MAX_LENGTH
    assert label == "申" * (uploads.LABEL_MAX_LENGTH - 4) + ".pdf"


@given(st.text(max_size=400))
def test_any_name_gives_a_label_that_is_safe_to_show(name):
    label = inspect_upload(File(io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 8), name=name)).label
    assert 0 < len(label) <= uploads.LABEL_MAX_LENGTH
    assert "/" not in label and "\\" not in label
    assert label.lower().endswith(".png")
    assert label.strip(".") and label not in (".", "..")
    assert not any(ch in label for ch in "\x00\n\r\t\u202e\u200b")
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in label)


# --- storage names ----------------------------------------------------------------------------------


def test_storage_path_ignores_the_client_name_and_is_unique():
    info = inspect_upload(upload(image_bytes("JPEG"), "../../etc/passwd.jpeg"))
    first, second = (
        storage_path("certification/materials", info),
        storage_path("certification/materials/", info),
    )

    pattern = r"certification/materials/\d{4}/\d{2}/[0-9a-f]{32}\.jpg"
    assert re.fullmatch(pattern, first), first
    assert re.fullmatch(pattern, second), second
    assert first != second
    assert "passwd" not in first


@pytest.mark.parametrize("prefix", ["", "/", "a/../b", "a//b", "a\\b", "./a"])
def test_storage_path_refuses_a_bad_prefix(prefix):
    info = inspect_upload(upload(b"%PDF-1.4", "a.pdf"))
    with pytest.raises(ValueError):
        storage_path(prefix, info)


def test_helpers_for_forms():
    assert uploads.describe_kinds() == "PDF、JPEG、PNG、Word（.docx）、Excel（.xlsx）"
    assert uploads.accept_attribute(["pdf", "jpeg"]) == ".pdf,.jpg,.jpeg,.jpe,.jfif"


def test_stored_files_are_not_served_from_media_even_under_debug(client, settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.urls import clear_url_caches

    settings.MEDIA_ROOT = str(tmp_path)
    settings.DEBUG = True
    name = default_storage.save("orders/2026/03/secret.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    clear_url_caches()
    import importlib

    import config.urls

    importlib.reload(config.urls)
    try:
        assert client.get(f"/media/{name}").status_code == 404
    finally:
        settings.DEBUG = False
        importlib.reload(config.urls)
        clear_url_caches()
