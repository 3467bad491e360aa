"""A service's brochures and sample reports: stored through ``sme.core.files`` (checked by content),
served by its one audited download view under the read rule in ``apps.py``."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from sme.core import audit
from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.files import store_upload
from sme.core.messages import msg

from ..models import ATTACHMENT_KINDS, AttachmentKind, Service, ServiceAttachment
from ..permissions import roles_for
from ..workflow import PROVIDER


@transaction.atomic
def attachment_add(*, actor: Any, service: Service, kind: str, upload: UploadedFile) -> ServiceAttachment:
    """A brochure or sample report, checked by content before it is stored."""
    if PROVIDER not in roles_for(actor, service):
        raise NotAllowed(_("只有本机构的成员可以上传附件。"))
    if kind not in AttachmentKind.values:
        raise InvalidInput(_("请选择附件类型。"), {"kind": [_("请选择附件类型。")]})
    attachment = store_upload(
        ServiceAttachment,
        upload,
        prefix="catalog/attachments",
        actor=actor,
        allowed=ATTACHMENT_KINDS,
        field="file",
        service=service,
        kind=kind,
    )
    audit.record(
        "catalog_service.attachment_add",
        actor=actor,
        obj=service,
        summary=msg("上传附件：%(label)s", label=attachment.label),
        changes={"attachment": attachment.pk, "sha256": attachment.sha256},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, actor: Any, attachment: ServiceAttachment) -> ServiceAttachment:
    """Take an attachment off the service page (the file is kept, like every version)."""
    service = attachment.service
    if PROVIDER not in roles_for(actor, service):
        raise NotAllowed(_("只有本机构的成员可以删除附件。"))
    if ServiceAttachment.objects.filter(pk=attachment.pk, is_current=True).update(is_current=False) == 0:
        raise Conflict(_("该附件已被删除。"))
    audit.record(
        "catalog_service.attachment_remove",
        actor=actor,
        obj=service,
        summary=msg("删除附件：%(label)s", label=attachment.label),
    )
    attachment.is_current = False
    return attachment
