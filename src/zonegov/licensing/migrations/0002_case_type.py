from django.db import migrations


def forwards(apps, schema_editor):
    CaseType = apps.get_model("core", "CaseType")
    CaseType.objects.update_or_create(
        code="food_licence_decision",
        defaults={
            "name": "食品经营许可/备案/登记审批",
            # [M] 10 working days from acceptance, extendable once by 5 (research note §1.6):
            # unconfirmed, so marked for checking in the admin.
            "time_limit": 10,
            "working_days": True,
            "extension_limit": 5,
            "legal_basis": "《食品经营许可和备案管理办法》（市场监管总局令第78号）",
            "confirmed": False,
        },
    )


def backwards(apps, schema_editor):
    apps.get_model("core", "CaseType").objects.filter(code="food_licence_decision").delete()


class Migration(migrations.Migration):
    # This migration writes ``CaseType.working_days``, which core 0006 replaces.
    run_before = [("core", "0009_casetype_limit_unit")]
    dependencies = [("licensing", "0001_initial"), ("core", "0002_roles_and_case_types")]
    operations = [migrations.RunPython(forwards, backwards)]
