"""Notes meant for administrators are named so (``internal_note``) and never reach enterprises."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_questionnaires_responses_and_peer_tables")]

    operations = [
        migrations.RenameField(model_name="item", old_name="note", new_name="internal_note"),
        migrations.RenameField(model_name="levelrule", old_name="note", new_name="internal_note"),
        migrations.AlterField(
            model_name="item",
            name="internal_note",
            field=models.TextField(
                blank=True,
                help_text="仅管理员可见：规则来源、待核实之处等，不向企业显示",
                verbose_name="内部说明",
            ),
        ),
        migrations.AlterField(
            model_name="levelrule",
            name="internal_note",
            field=models.TextField(
                blank=True,
                help_text="仅管理员可见：规则来源、待核实之处等，不向企业显示",
                verbose_name="内部说明",
            ),
        ),
        migrations.AlterField(
            model_name="levelrule",
            name="unconfirmed",
            field=models.BooleanField(default=False, help_text="仅管理员可见", verbose_name="待核实"),
        ),
    ]
