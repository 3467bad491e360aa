from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_services_revisions_and_subsidy_caps")]

    operations = [
        migrations.AddIndex(
            model_name="service",
            index=models.Index(fields=["status", "-orders_completed", "-id"], name="service_status_orders"),
        ),
    ]
