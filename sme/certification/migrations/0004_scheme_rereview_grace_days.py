"""A scheme's grace period after ``valid_until`` for a re-review that was never filed (default 30
days): when it has passed, the daily job marks the title expired."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('certification', '0003_materials_and_audit_reports_as_stored_files'),
    ]

    operations = [
        migrations.AddField(
            model_name='scheme',
            name='rereview_grace_days',
            field=models.PositiveSmallIntegerField(default=30, help_text='有效期届满后，复核材料仍未报送的，宽限期满由平台定时任务将称号标记为已过期', verbose_name='复核宽限期（天）'),
        ),
    ]
