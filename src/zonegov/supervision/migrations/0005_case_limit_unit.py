"""Cases record the time-limit unit and roll rule their due time was computed with
(see core 0009_casetype_limit_unit); 核查处置 is counted in months, not as 90 days."""

from django.db import migrations, models

CASES = {'Inspection': 'supervision_inspection', 'FollowUp': 'supervision_followup'}


def forwards(apps, schema_editor):
    CaseType = apps.get_model("core", "CaseType")
    for model_name, code in CASES.items():
        Model = apps.get_model("supervision", model_name)
        case_type = CaseType.objects.filter(code=code).first()
        unit = case_type.limit_unit if case_type else "working_days"
        # Existing due times were computed in the type's unit and never rolled; extensions
        # always added working days (the code before this migration).
        Model.objects.exclude(due_at=None).update(limit_unit=unit, limit_rolls=False)
        Model.objects.filter(extended_days__gt=0).update(extension_unit="working_days")


def followup_in_months(apps, schema_editor):
    """UNCONFIRMED: our reading of 总局令第15号 is that 核查处置 of an unqualified sample is
    to be completed within 3 months of receiving the report (counted in months,
    《民法典》第二百零二条), with a last day on a holiday rolling to the next working day
    (our reading of 《民法典》第二百零三条 for this administrative period); the extension
    (with the head's approval) stays 30 calendar days. Only the unedited stand-in of
    supervision 0002 (90 calendar days) is changed: a corrected row is left alone."""
    apps.get_model("core", "CaseType").objects.filter(
        code="supervision_followup", time_limit=90, limit_unit="calendar_days", confirmed=False
    ).update(
        time_limit=3,
        limit_unit="months",
        extension_limit=30,
        extension_unit="calendar_days",
        rolls_to_working_day=True,
    )


def followup_in_days(apps, schema_editor):
    apps.get_model("core", "CaseType").objects.filter(
        code="supervision_followup", time_limit=3, limit_unit="months"
    ).update(time_limit=90, limit_unit="calendar_days", rolls_to_working_day=False)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0009_casetype_limit_unit"),
        ('supervision', '0004_operator_expired'),
    ]

    operations = [
        migrations.AddField(
            model_name='followup',
            name='extension_unit',
            field=models.CharField(blank=True, choices=[('working_days', '工作日'), ('calendar_days', '自然日'), ('months', '月')], max_length=20, verbose_name='延长时限单位'),
        ),
        migrations.AddField(
            model_name='followup',
            name='limit_rolls',
            field=models.BooleanField(default=False, verbose_name='届满日遇节假日顺延'),
        ),
        migrations.AddField(
            model_name='followup',
            name='limit_unit',
            field=models.CharField(blank=True, choices=[('working_days', '工作日'), ('calendar_days', '自然日'), ('months', '月')], max_length=20, verbose_name='时限单位'),
        ),
        migrations.AddField(
            model_name='inspection',
            name='extension_unit',
            field=models.CharField(blank=True, choices=[('working_days', '工作日'), ('calendar_days', '自然日'), ('months', '月')], max_length=20, verbose_name='延长时限单位'),
        ),
        migrations.AddField(
            model_name='inspection',
            name='limit_rolls',
            field=models.BooleanField(default=False, verbose_name='届满日遇节假日顺延'),
        ),
        migrations.AddField(
            model_name='inspection',
            name='limit_unit',
            field=models.CharField(blank=True, choices=[('working_days', '工作日'), ('calendar_days', '自然日'), ('months', '月')], max_length=20, verbose_name='时限单位'),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RunPython(followup_in_months, followup_in_days),
    ]
