"""Cases record the time-limit unit and roll rule their due time was computed with
(see core 0009_casetype_limit_unit)."""

from django.db import migrations, models

CASES = {'Application': 'food_licence_decision'}


def forwards(apps, schema_editor):
    CaseType = apps.get_model("core", "CaseType")
    for model_name, code in CASES.items():
        Model = apps.get_model("licensing", model_name)
        case_type = CaseType.objects.filter(code=code).first()
        unit = case_type.limit_unit if case_type else "working_days"
        # Existing due times were computed in the type's unit and never rolled; extensions
        # always added working days (the code before this migration).
        Model.objects.exclude(due_at=None).update(limit_unit=unit, limit_rolls=False)
        Model.objects.filter(extended_days__gt=0).update(extension_unit="working_days")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0009_casetype_limit_unit"),
        ('licensing', '0004_public_notice_search'),
    ]

    operations = [
        migrations.AddField(
            model_name='application',
            name='extension_unit',
            field=models.CharField(blank=True, choices=[('working_days', '工作日'), ('calendar_days', '自然日'), ('months', '月')], max_length=20, verbose_name='延长时限单位'),
        ),
        migrations.AddField(
            model_name='application',
            name='limit_rolls',
            field=models.BooleanField(default=False, verbose_name='届满日遇节假日顺延'),
        ),
        migrations.AddField(
            model_name='application',
            name='limit_unit',
            field=models.CharField(blank=True, choices=[('working_days', '工作日'), ('calendar_days', '自然日'), ('months', '月')], max_length=20, verbose_name='时限单位'),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
