"""English glosses of a scheme's official name and title; the scheme files fill them (the loader
also takes them into versions already applied, since they decide nothing)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('certification', '0004_scheme_rereview_grace_days'),
    ]

    operations = [
        migrations.AddField(
            model_name='scheme',
            name='name_en',
            field=models.CharField(blank=True, help_text='英文界面在中文名称后显示', max_length=300, verbose_name='认定办法名称（英文释义）'),
        ),
        migrations.AddField(
            model_name='scheme',
            name='title_en',
            field=models.CharField(blank=True, help_text='英文界面在中文称号后显示', max_length=200, verbose_name='授予称号（英文释义）'),
        ),
    ]
