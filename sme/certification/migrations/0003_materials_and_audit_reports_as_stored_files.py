"""Materials and re-review audit reports become stored files (``sme.core.files.StoredFile``).

``Material.kind`` is renamed ``file_kind`` (its values stay). A re-review's audit report moves from
three columns of ``ReReview`` to a row of ``ReReviewAuditReport``; the file itself stays where it is.
Those columns never held the uploader, size or content type: the rows copied here take the size from
the storage (0 when the file is gone), the type from the name, and as uploader the person who started
the application the title came from (the platform's own side, which uploads audit reports).
"""

import mimetypes

import django.db.models.deletion
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import migrations, models

KINDS_BY_EXTENSION = {".pdf": "pdf", ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".docx": "docx", ".xlsx": "xlsx"}


def copy_audit_reports(apps, schema_editor):
    ReReview = apps.get_model("certification", "ReReview")
    ReReviewAuditReport = apps.get_model("certification", "ReReviewAuditReport")
    rows = ReReview.objects.exclude(audit_report="").select_related("certification__application")
    for rereview in rows.iterator():
        name = rereview.audit_report.name
        extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
        try:
            size = default_storage.size(name)
        except (OSError, NotImplementedError):
            size = 0
        ReReviewAuditReport.objects.create(
            rereview=rereview,
            file=name,
            label=rereview.audit_report_label or name.rsplit("/", 1)[-1],
            file_kind=KINDS_BY_EXTENSION.get(extension, extension.lstrip(".")[:10]),
            content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
            size=size,
            sha256=rereview.audit_report_sha256,
            uploaded_by_id=rereview.certification.application.created_by_id,
        )


def restore_audit_reports(apps, schema_editor):
    ReReview = apps.get_model("certification", "ReReview")
    ReReviewAuditReport = apps.get_model("certification", "ReReviewAuditReport")
    for report in ReReviewAuditReport.objects.order_by("rereview_id", "id").iterator():
        ReReview.objects.filter(pk=report.rereview_id).update(
            audit_report=report.file.name, audit_report_label=report.label, audit_report_sha256=report.sha256
        )


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0002_summary_duties_and_rectifications"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="material", old_name="kind", new_name="file_kind"),
        migrations.AlterField(
            model_name="material",
            name="file_kind",
            field=models.CharField(max_length=10, verbose_name="文件类型"),
        ),
        migrations.AlterField(
            model_name="material",
            name="file",
            field=models.FileField(max_length=200, upload_to="", verbose_name="文件"),
        ),
        migrations.CreateModel(
            name="ReReviewAuditReport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("file", models.FileField(max_length=200, upload_to="", verbose_name="文件")),
                ("label", models.CharField(max_length=220, verbose_name="文件名")),
                ("file_kind", models.CharField(max_length=10, verbose_name="文件类型")),
                ("content_type", models.CharField(max_length=100)),
                ("size", models.PositiveBigIntegerField(verbose_name="大小（字节）")),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                ("uploaded_at", models.DateTimeField(auto_now_add=True, verbose_name="上传时间")),
                (
                    "rereview",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="audit_reports",
                        to="certification.rereview",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "上一年度服务收支专项审计报告",
                "verbose_name_plural": "上一年度服务收支专项审计报告",
                "ordering": ["rereview", "-id"],
            },
        ),
        migrations.RunPython(copy_audit_reports, restore_audit_reports),
        migrations.RemoveField(model_name="rereview", name="audit_report"),
        migrations.RemoveField(model_name="rereview", name="audit_report_label"),
        migrations.RemoveField(model_name="rereview", name="audit_report_sha256"),
    ]
