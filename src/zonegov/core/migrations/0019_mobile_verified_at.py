from django.db import migrations, models
from django.db.models import F


def sms_opened_accounts_are_verified(apps, schema_editor):
    """Accounts opened by SMS login (no usable password, user name = the number, no unit)
    were proved by a code when they were opened. Self-registered accounts were not: their
    number was only typed (docs/security.md "Mobile numbers are proved")."""
    User = apps.get_model("core", "User")
    User.objects.filter(
        password__startswith="!", username=F("mobile"), unit__isnull=True, is_staff=False
    ).update(mobile_verified_at=F("date_joined"))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0018_document_number_upper"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="mobile_verified_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="手机号验证时间"),
        ),
        migrations.RunPython(sms_opened_accounts_are_verified, migrations.RunPython.noop),
    ]
