from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_person_language_needs"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="version"),
        ),
    ]
