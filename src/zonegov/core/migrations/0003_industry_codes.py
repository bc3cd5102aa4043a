"""Load the GB/T 4754-2017 sections (门类) and divisions (大类) into IndustryCode."""

from django.db import migrations

from zonegov.core.industry import load_industry_codes


def forwards(apps, schema_editor):
    load_industry_codes(apps.get_model("core", "IndustryCode"))


class Migration(migrations.Migration):
    dependencies = [("core", "0002_roles_and_case_types")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
