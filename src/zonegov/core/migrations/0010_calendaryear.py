import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0009_casetype_limit_unit")]

    operations = [
        migrations.CreateModel(
            name="CalendarYear",
            fields=[
                (
                    "year",
                    models.PositiveIntegerField(
                        primary_key=True, serialize=False, verbose_name="年度"
                    ),
                ),
                (
                    "confirmed_by_name",
                    models.CharField(blank=True, max_length=150, verbose_name="确认人姓名"),
                ),
                ("confirmed_at", models.DateTimeField(verbose_name="确认时间")),
                (
                    "note",
                    models.CharField(
                        blank=True,
                        help_text="例如：国办发明电〔2026〕×号",
                        max_length=200,
                        verbose_name="说明",
                    ),
                ),
                (
                    "confirmed_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="确认人",
                    ),
                ),
            ],
            options={
                "verbose_name": "年度节假日确认",
                "verbose_name_plural": "年度节假日确认",
                "ordering": ["-year"],
            },
        ),
    ]
