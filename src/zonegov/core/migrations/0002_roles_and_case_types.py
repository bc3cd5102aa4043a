from django.db import migrations

ROLES = [
    ("org_admin", "组织管理员"),
    ("licensing_officer", "审批员"),
    ("inspector", "核查员"),
    ("supervisor", "监管/抽检员"),
    ("park_officer", "园区专员"),
    ("wage_officer", "欠薪专班"),
    ("grid_worker", "网格员"),
    ("investment_officer", "招商专员"),
    ("leader", "领导"),
]


def forwards(apps, schema_editor):
    Role = apps.get_model("core", "Role")
    for code, name in ROLES:
        Role.objects.update_or_create(code=code, defaults={"name": name})
    CaseType = apps.get_model("core", "CaseType")
    CaseType.objects.update_or_create(
        code="assignment",
        defaults={
            "name": "交办事项",
            "time_limit": 5,
            "working_days": True,
            "extension_limit": 5,
            "legal_basis": "交办时由交办人确定时限；此为默认值",
            "confirmed": True,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
