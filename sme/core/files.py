"""Stored files: one abstract model, one way in (:func:`store_upload`), one audited way out.

Every file a user uploads (an order's delivery, a 诉求 attachment, a service brochure, a certification
material) is a row of a model derived from :class:`StoredFile`: what the file is (decided from its
bytes by :func:`sme.core.uploads.inspect_upload`), its size, SHA-256, a safe label to show, the
storage name (never the uploaded name), who uploaded it and when.

A model says who may read its files by registering a rule with :func:`register` (usually in its app's
``ready``): ``can_read(user, row)`` answers from the owning record's own access rules. The one
download view (``files:download``) looks the row up, asks that rule, answers 404 to anyone else —
anonymous visitors included, on purpose: a login redirect would confirm that the file exists — and
leaves an audit row for every download. Public files (a published service's brochure) are public
because their rule says so for everyone.

    row = store_upload(OrderFile, upload, prefix="orders", actor=user, order=order,
                       allowed=ORDER_FILE_KINDS, max_bytes=ORDER_FILE_MAX_BYTES, field="files")
    download_url(row)   # "/files/orders.orderfile/12/"
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import models
from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import audit
from .messages import msg
from .uploads import DEFAULT_KINDS, UploadInfo, inspect_upload, storage_path

F = TypeVar("F", bound="StoredFile")
ReadRule = Callable[[Any, Any], bool]


class StoredFile(models.Model):
    """The columns every stored file has. A concrete model adds its owner (a foreign key)."""

    file = models.FileField(_("文件"), max_length=200)
    label = models.CharField(_("文件名"), max_length=220)
    file_kind = models.CharField(_("文件类型"), max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def download_url(self) -> str:
        return download_url(self)


@dataclass(frozen=True)
class _Rule:
    model: type[StoredFile]
    can_read: ReadRule


_RULES: dict[str, _Rule] = {}

audit.register_actions({"file.download": _("下载文件")})


def register(model: type[StoredFile], *, can_read: ReadRule) -> None:
    """Serve ``model``'s files to the users for whom ``can_read(user, row)`` is true."""
    _RULES[model._meta.label_lower] = _Rule(model, can_read)


def download_url(row: StoredFile) -> str:
    key = row._meta.label_lower
    if key not in _RULES:
        raise LookupError(f"{key} has no read rule (sme.core.files.register)")
    return reverse("files:download", args=[key, row.pk])


def store_upload(
    model: type[F],
    upload: Any,
    *,
    prefix: str,
    actor: Any,
    allowed: Iterable[str] = DEFAULT_KINDS,
    max_bytes: int | None = None,
    field: str = "file",
    info: UploadInfo | None = None,
    **owner_fields: Any,
) -> F:
    """Check ``upload`` by its content (unless ``info`` says it was checked), store it under
    ``prefix`` with a fresh name and create its ``model`` row with ``owner_fields``.

    Raises ``InvalidInput`` under ``field`` for a refused file, storing nothing. Call it inside the
    service's transaction so a failure later leaves no row (the stored bytes of a rolled-back row are
    an orphan, never a leak: nothing serves a file without its row).
    """
    if info is None:
        info = inspect_upload(upload, field=field, allowed=allowed, max_bytes=max_bytes)
    upload.seek(0)
    name = default_storage.save(
        storage_path(prefix, info), upload if isinstance(upload, File) else File(upload)
    )
    return model._default_manager.create(
        file=name,
        label=info.label,
        file_kind=info.kind,
        content_type=info.content_type,
        size=info.size,
        sha256=info.sha256,
        uploaded_by=actor,
        **owner_fields,
    )


def download(request: HttpRequest, kind: str, pk: int) -> FileResponse:
    """The one way a stored file leaves the platform: checked against its owner's rule, audited."""
    rule = _RULES.get(kind)
    if rule is None:
        raise Http404
    row = rule.model._default_manager.filter(pk=pk).first()
    name = row.file.name if row is not None else None
    if row is None or not name or not rule.can_read(request.user, row):
        raise Http404
    if not default_storage.exists(name):
        raise Http404
    audit.record(
        "file.download",
        actor=request.user,
        obj=row,
        summary=msg("下载文件：%(label)s", label=row.label),
        changes={"sha256": row.sha256},
    )
    response = FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=row.label,
        content_type=row.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
