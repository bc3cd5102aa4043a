"""Time limits get an explicit unit (working days, calendar days, months), an extension
unit and a roll rule; cases record the unit and roll rule their due time was computed
with. Replaces ``CaseType.working_days``."""

from django.db import migrations, models

UNIT_CHOICES = [("working_days", "工作日"), ("calendar_days", "自然日"), ("months", "月")]


def unit_field(**kwargs):
    return models.CharField(choices=UNIT_CHOICES, max_length=20, **kwargs)


def forwards(apps, schema_editor):
    CaseType = apps.get_model("core", "CaseType")
    for case_type in CaseType.objects.all():
        unit = "working_days" if case_type.working_days else "calendar_days"
        case_type.limit_unit = case_type.extension_unit = unit
        case_type.save(update_fields=["limit_unit", "extension_unit"])
    backfill_cases(apps, "core", "Assignment", "assignment")


def backfill_cases(apps, app_label, model_name, code):
    """Existing cases were computed in their type's unit, never rolled; extensions always
    added working days (the code before this migration)."""
    Model = apps.get_model(app_label, model_name)
    case_type = apps.get_model("core", "CaseType").objects.filter(code=code).first()
    unit = case_type.limit_unit if case_type else "working_days"
    Model.objects.exclude(due_at=None).update(limit_unit=unit, limit_rolls=False)
    Model.objects.filter(extended_days__gt=0).update(extension_unit="working_days")


def backwards(apps, schema_editor):
    CaseType = apps.get_model("core", "CaseType")
    CaseType.objects.update(working_days=True)
    CaseType.objects.exclude(limit_unit="working_days").update(working_days=False)


class Migration(migrations.Migration):
    dependencies = [("core", "0008_audit_key_id_and_checkpoints")]

    operations = [
        migrations.AddField(
            model_name="casetype",
            name="limit_unit",
            field=unit_field(default="working_days", verbose_name="时限单位"),
        ),
        migrations.AddField(
            model_name="casetype",
            name="extension_unit",
            field=unit_field(default="working_days", verbose_name="延长时限单位"),
        ),
        migrations.AddField(
            model_name="casetype",
            name="rolls_to_working_day",
            field=models.BooleanField(
                default=False,
                help_text="按自然日或月计算的期限，最后一日是法定节假日或休息日的，以其后的第一个工作日为期限届满日（依据规定勾选）",
                verbose_name="届满日遇节假日顺延",
            ),
        ),
        migrations.AddField(
            model_name="assignment",
            name="limit_unit",
            field=unit_field(blank=True, verbose_name="时限单位"),
        ),
        migrations.AddField(
            model_name="assignment",
            name="limit_rolls",
            field=models.BooleanField(default=False, verbose_name="届满日遇节假日顺延"),
        ),
        migrations.AddField(
            model_name="assignment",
            name="extension_unit",
            field=unit_field(blank=True, verbose_name="延长时限单位"),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="casetype", name="working_days"),
    ]
