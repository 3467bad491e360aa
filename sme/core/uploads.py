"""Checked uploads: what a file really is, decided from its bytes, before anything is stored.

``inspect_upload`` reads the file once, in chunks, counting its size and computing its SHA-256 as it
goes, then decides its kind from the content (magic bytes; for Word and Excel, the ZIP's members) —
never from the name or the content type the browser sent. The original name survives only as a label
to show; ``storage_path`` names the stored object without it. A refusal is an ``InvalidInput`` whose
Chinese message says what is wrong, under the form field the caller names.

    upload = request.FILES["material"]
    info = inspect_upload(upload, field="material")   # store_upload (sme.core.files) calls it

Apps store files with :func:`sme.core.files.store_upload`, which checks, names and stores them.
"""

from __future__ import annotations

import hashlib
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import InvalidInput
from .pdf import PDF_CONTENT_TYPE

CHUNK_SIZE = 64 * 1024
LABEL_MAX_LENGTH = 200
# ZIP (Word/Excel) limits. Real documents stay far below them (a workbook of 100,000 near-identical
# rows unpacks at about 16×). The ratio is checked only for members big enough to matter.
ZIP_MAX_MEMBERS = 10_000
ZIP_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_RATIO_FLOOR_BYTES = 1024 * 1024
_CONTENT_TYPES_MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class _Kind:
    label: str | Promise
    content_type: str
    extension: str
    name_extensions: tuple[str, ...]


_KINDS: dict[str, _Kind] = {
    "pdf": _Kind("PDF", PDF_CONTENT_TYPE, ".pdf", (".pdf",)),
    "jpeg": _Kind("JPEG", "image/jpeg", ".jpg", (".jpg", ".jpeg", ".jpe", ".jfif")),
    "png": _Kind("PNG", "image/png", ".png", (".png",)),
    "docx": _Kind(
        gettext_lazy("Word（.docx）"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
        (".docx",),
    ),
    "xlsx": _Kind(
        gettext_lazy("Excel（.xlsx）"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
        (".xlsx",),
    ),
}
DEFAULT_KINDS: tuple[str, ...] = tuple(_KINDS)

# (main part that must exist, substring of its content type in [Content_Types].xml). The content type
# tells a plain document from a macro-enabled one (.docm, .xlsm) or a template (.dotx, .xltx).
_OFFICE_PARTS = {
    "docx": ("word/document.xml", b"wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", b"spreadsheetml.sheet.main+xml"),
}
_ZIP_MAGIC = b"PK\x03\x04"
_EXECUTABLE = gettext_lazy("可执行程序")
# Formats refused but worth naming in the message, by their leading bytes (offset, signature).
_OTHER_SIGNATURES: tuple[tuple[int, bytes, str | Promise], ...] = (
    (0, b"\x7fELF", _EXECUTABLE),
    (0, b"MZ", _EXECUTABLE),
    (0, b"\xfe\xed\xfa", _EXECUTABLE),
    (0, b"\xcf\xfa\xed\xfe", _EXECUTABLE),
    (0, b"\xce\xfa\xed\xfe", _EXECUTABLE),
    (0, b"\xca\xfe\xba\xbe", _EXECUTABLE),
    (0, b"#!", gettext_lazy("脚本")),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", gettext_lazy("旧版 Office 文档（.doc、.xls），请另存为新格式")),
    (0, b"GIF8", gettext_lazy("GIF 图片")),
    (8, b"WEBP", gettext_lazy("WebP 图片")),
    (4, b"ftyphe", gettext_lazy("HEIC 图片")),
    (4, b"ftypmif1", gettext_lazy("HEIC 图片")),
    (0, b"Rar!", gettext_lazy("RAR 压缩包")),
    (0, b"7z\xbc\xaf\x27\x1c", gettext_lazy("7z 压缩包")),
    (0, b"\x1f\x8b", gettext_lazy("gzip 压缩包")),
)
_HEAD_BYTES = 16


@dataclass(frozen=True)
class UploadInfo:
    """What an accepted upload is. ``label`` is for display only, never for storage."""

    kind: str
    content_type: str
    extension: str
    size: int
    sha256: str
    label: str


def describe_kinds(allowed: Iterable[str] = DEFAULT_KINDS) -> str:
    """The kinds as people read them, e.g. "PDF、JPEG、Word（.docx）" (for help texts and messages)."""
    return "、".join(str(_KINDS[kind].label) for kind in _checked_kinds(allowed))


def accept_attribute(allowed: Iterable[str] = DEFAULT_KINDS) -> str:
    """A value for ``<input type="file" accept="…">`` — a hint to the browser, not a check."""
    kinds = _checked_kinds(allowed)
    return ",".join([ext for kind in kinds for ext in _KINDS[kind].name_extensions])


def inspect_upload(
    f: UploadedFile | File,
    *,
    allowed: Iterable[str] = DEFAULT_KINDS,
    max_bytes: int | None = None,
    field: str = "file",
) -> UploadInfo:
    """Check an uploaded file by its content and describe it, or raise ``InvalidInput`` under ``field``.

    ``f`` must be open and seekable (Django's uploaded files are). It is read in chunks of
    ``CHUNK_SIZE``; its position is 0 again afterwards, whether accepted or refused. ``max_bytes``
    defaults to ``settings.UPLOAD_MAX_BYTES``.
    """
    kinds = _checked_kinds(allowed)
    limit = settings.UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    try:
        size, sha256, head = _read(f, limit, field)
        detected = _detect(head, f, field)
    finally:
        f.seek(0)
    claimed = _kind_from_name(f.name or "")
    if detected not in kinds:
        raise _refusal(field, _wrong_kind_message(kinds, detected, claimed, head))
    return UploadInfo(
        kind=detected,
        content_type=_KINDS[detected].content_type,
        extension=_KINDS[detected].extension,
        size=size,
        sha256=sha256,
        label=_safe_label(f.name or "", detected),
    )


def storage_path(prefix: str, info: UploadInfo) -> str:
    """A fresh storage name under ``prefix`` by month, e.g. ``materials/2025/03/<uuid hex>.pdf``.

    The client's name never enters it, so it cannot steer where the file lands or what it is served as.
    """
    prefix = prefix.strip("/")
    if not prefix or any(part in ("", ".", "..") for part in prefix.split("/")) or "\\" in prefix:
        raise ValueError(f"bad storage prefix: {prefix!r}")
    now = timezone.localtime()
    return f"{prefix}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}{info.extension}"


# --- reading and detection -------------------------------------------------------------------------


def _checked_kinds(allowed: Iterable[str]) -> tuple[str, ...]:
    kinds = tuple(dict.fromkeys(allowed))
    unknown = [kind for kind in kinds if kind not in _KINDS]
    if unknown or not kinds:
        raise ValueError(f"upload kinds must be a non-empty subset of {DEFAULT_KINDS}, got {kinds}")
    return kinds


def _read(f: File, limit: int, field: str) -> tuple[int, str, bytes]:
    """One pass over the file: its size, SHA-256 and leading bytes; refuses empty and oversize files."""
    declared = getattr(f, "size", None)  # Django's File raises AttributeError when it cannot tell
    if declared is not None and declared > limit:
        raise _refusal(field, _too_big_message(declared, limit))
    f.seek(0)
    digest = hashlib.sha256()
    head = b""
    size = 0
    while chunk := f.read(CHUNK_SIZE):
        size += len(chunk)
        if size > limit:
            raise _refusal(field, _too_big_message(size, limit))
        digest.update(chunk)
        if len(head) < _HEAD_BYTES:
            head += chunk[: _HEAD_BYTES - len(head)]
    if size == 0:
        raise _refusal(field, _("文件为空。"))
    return size, digest.hexdigest(), head


def _detect(head: bytes, f: File, field: str) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(_ZIP_MAGIC):
        return _office_kind(f, field)
    return None


def _office_kind(f: File, field: str) -> str | None:
    """Which Office kind a ZIP holds ("docx", "xlsx", or None for any other ZIP).

    Refuses corrupt, encrypted and bomb-like archives: limits are checked on the declared sizes first,
    then every member of a Word or Excel file is decompressed once to verify its CRC (zipfile never
    inflates a member past its declared size, so a lying header shows up as a CRC error).
    """
    corrupt = _("文件已损坏或不完整，无法读取其内容。")
    try:
        f.seek(0)
        with zipfile.ZipFile(f) as archive:
            members = archive.infolist()
            if len(members) > ZIP_MAX_MEMBERS or _looks_like_bomb(members):
                raise _refusal(field, _("压缩内容异常（解压后过大），已拒绝。"))
            if any(member.flag_bits & 0x1 for member in members):
                raise _refusal(field, _("文件已加密，请去掉密码后再上传。"))
            names = {member.filename for member in members}
            content_types = archive.getinfo("[Content_Types].xml") if "[Content_Types].xml" in names else None
            if content_types is None or content_types.file_size > _CONTENT_TYPES_MAX_BYTES:
                return None
            declared = archive.read(content_types)
            matches = [
                kind
                for kind, (part, content_type) in _OFFICE_PARTS.items()
                if part in names and content_type in declared
            ]
            if len(matches) != 1:
                return None
            if archive.testzip() is not None:  # every member decompresses and matches its CRC
                raise _refusal(field, corrupt)
            return matches[0]
    except InvalidInput:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise _refusal(field, corrupt) from exc
    except (NotImplementedError, RuntimeError) as exc:  # unsupported compression, encryption
        raise _refusal(field, corrupt) from exc


def _looks_like_bomb(members: list[zipfile.ZipInfo]) -> bool:
    if sum(member.file_size for member in members) > ZIP_MAX_UNCOMPRESSED_BYTES:
        return True
    return any(
        member.file_size > ZIP_RATIO_FLOOR_BYTES
        and member.file_size > ZIP_MAX_RATIO * max(member.compress_size, 1)
        for member in members
    )


def _describe_other(head: bytes) -> str | None:
    if head.startswith(_ZIP_MAGIC):
        return _("ZIP 压缩包（不是 Word 或 Excel 文档）")
    for offset, signature, description in _OTHER_SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            return str(description)
    return None


# --- names and messages ----------------------------------------------------------------------------


def _extension(name: str) -> str:
    _, dot, ext = name.rpartition(".")
    return f".{ext}".lower() if dot and 0 < len(ext) <= 10 and " " not in ext else ""


def _kind_from_name(name: str) -> str | None:
    ext = _extension(_basename(name))
    return next((kind for kind, spec in _KINDS.items() if ext in spec.name_extensions), None) if ext else None


def _basename(name: str) -> str:
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def _safe_label(name: str, kind: str) -> str:
    """The client's name made safe to show: no directories, control or direction characters, ≤ 200
    characters, ending in an extension of ``kind`` (a misleading one is replaced, a missing one added).
    """
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp"))
    label = " ".join(_basename(name).split())
    if label.strip(".") == "":
        label = ""
    spec = _KINDS[kind]
    ext = _extension(label)
    if ext not in spec.name_extensions:
        if ext and _kind_from_name(label) is not None:
            label = label[: -len(ext)]
        label += spec.extension
        ext = spec.extension
    stem = label[: -len(ext)]
    if not stem.strip(" ."):
        return _("未命名文件") + spec.extension
    if len(label) > LABEL_MAX_LENGTH:
        label = stem[: LABEL_MAX_LENGTH - len(ext)].rstrip() + label[-len(ext) :]
    return label


def _refusal(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, {field: [message]})


def _format_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.2f}".rstrip("0").rstrip(".") + " MB"
    if n >= 1024:
        return f"{n / 1024:.1f}".rstrip("0").rstrip(".") + " KB"
    return _("%(n)s 字节") % {"n": f"{n:,}"}


def _too_big_message(size: int, limit: int) -> str:
    shown, limit_shown = _format_size(size), _format_size(limit)
    if shown == limit_shown:  # rounding hid the difference
        shown = _("%(n)s 字节") % {"n": f"{size:,}"}
    return _("文件大小为 %(size)s，超过了 %(limit)s 的上限。") % {"size": shown, "limit": limit_shown}


def _wrong_kind_message(
    kinds: tuple[str, ...], detected: str | None, claimed: str | None, head: bytes
) -> str:
    accepted = describe_kinds(kinds)
    actual = str(_KINDS[detected].label) if detected else _describe_other(head)
    if claimed and claimed != detected:
        if actual:
            return _("文件内容不是 %(claimed)s，实际格式：%(actual)s。可上传的格式：%(accepted)s。") % {
                "claimed": _KINDS[claimed].label,
                "actual": actual,
                "accepted": accepted,
            }
        return _("文件内容不是 %(claimed)s，无法识别其格式。可上传的格式：%(accepted)s。") % {
            "claimed": _KINDS[claimed].label,
            "accepted": accepted,
        }
    if detected:
        return _("不接受 %(kind)s 文件。可上传的格式：%(accepted)s。") % {
            "kind": actual,
            "accepted": accepted,
        }
    if actual:
        return _("不接受此文件，实际格式：%(actual)s。可上传的格式：%(accepted)s。") % {
            "actual": actual,
            "accepted": accepted,
        }
    return _("无法识别文件格式。可上传的格式：%(accepted)s。") % {"accepted": accepted}
