from django.db import migrations

CASE_TYPES = [
    {
        "code": "supervision_inspection",
        "name": "日常监督检查",
        # UNCONFIRMED: 总局令第49号 sets no fixed time to finish an inspection record;
        # 10 working days is a local working figure. When rectification is ordered the
        # case's due time becomes the rectification deadline the inspectors set.
        "time_limit": 10,
        "working_days": True,
        "extension_limit": 5,
        "legal_basis": "《食品生产经营监督检查管理办法》（市场监管总局令第49号）",
        "confirmed": False,
    },
    {
        "code": "supervision_followup",
        "name": "抽检不合格核查处置",
        # UNCONFIRMED: our reading of 总局令第15号 is that 核查处置 of an unqualified
        # sample is to be completed within 3 months (90 days) of receiving the report.
        "time_limit": 90,
        "working_days": False,
        "extension_limit": 30,
        "legal_basis": "《食品安全抽样检验管理办法》（市场监管总局令第15号）",
        "confirmed": False,
    },
]


def forwards(apps, schema_editor):
    CaseType = apps.get_model("core", "CaseType")
    for row in CASE_TYPES:
        values = dict(row)
        code = values.pop("code")
        CaseType.objects.get_or_create(code=code, defaults=values)


def backwards(apps, schema_editor):
    apps.get_model("core", "CaseType").objects.filter(
        code__in=[row["code"] for row in CASE_TYPES]
    ).delete()


class Migration(migrations.Migration):
    # This migration writes ``CaseType.working_days``, which core 0006 replaces.
    run_before = [("core", "0009_casetype_limit_unit")]
    dependencies = [("supervision", "0001_initial"), ("core", "0002_roles_and_case_types")]
    operations = [migrations.RunPython(forwards, backwards)]
