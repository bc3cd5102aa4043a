"""Production settings (ZONEGOV_PRODUCTION=1) refuse the demo data and the demo CA: the
demo accounts share one published password (admin / Zonegov@2026), and a self-made CA
would seal certificates nobody can trust."""

from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from tests.core.documents_fixtures import point_settings_at
from zonegov.core import pki
from zonegov.core.models import Unit, User

DEMO_COMMANDS = sorted(
    name for name in get_commands() if name.startswith("seed_") or name == "demo_logins"
)


@pytest.fixture
def production(settings, tmp_path):
    settings.PRODUCTION = True
    point_settings_at(settings, tmp_path / "pki")
    return settings


def test_it_knows_the_demo_commands():
    assert {"seed_demo", "seed_licensing", "seed_supervision", "demo_logins"} <= set(DEMO_COMMANDS)


@pytest.mark.django_db
@pytest.mark.parametrize("command", DEMO_COMMANDS)
def test_it_refuses_every_demo_command_in_production(production, command):
    out = StringIO()
    with pytest.raises(CommandError, match="生产环境") as refused:
        call_command(command, stdout=out, stderr=StringIO())
    assert "createsuperuser" in str(refused.value)
    assert "Zonegov@2026" not in out.getvalue()
    assert not User.objects.filter(username="admin").exists()
    assert not Unit.objects.exists()
    assert not (production.ZONEGOV_PKI_DIR).exists()


def test_it_refuses_to_make_the_demo_ca_in_production(production):
    with pytest.raises(CommandError, match="ZONEGOV_SIGNING_KEY"):
        call_command("ensure_pki", stdout=StringIO(), stderr=StringIO())
    assert not production.ZONEGOV_PKI_DIR.exists()
    with pytest.raises(ImproperlyConfigured, match="生产环境"):
        pki.ensure_demo_pki(production.ZONEGOV_PKI_DIR)
    assert not production.ZONEGOV_PKI_DIR.exists()


def test_it_refuses_an_existing_demo_ca_at_the_demo_paths_in_production(settings, tmp_path):
    point_settings_at(settings, tmp_path / "pki")
    call_command("ensure_pki", stdout=StringIO())  # made in development
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="不生成也不使用演示证书"):
        call_command("ensure_pki", stdout=StringIO(), stderr=StringIO())


def test_it_refuses_demo_files_copied_to_the_real_paths_in_production(production, tmp_path):
    copied = tmp_path / "etc-zonegov"
    production.PRODUCTION = False
    pki.ensure_demo_pki(copied)
    production.PRODUCTION = True
    production.ZONEGOV_SIGNING_KEY = str(copied / pki.SIGNER_KEY_FILE)
    production.ZONEGOV_SIGNING_CERT = str(copied / pki.SIGNER_CERT_FILE)
    production.ZONEGOV_SIGNING_CHAIN = str(copied / pki.CA_CERT_FILE)
    with pytest.raises(CommandError, match="演示根证书"):
        call_command("ensure_pki", stdout=StringIO(), stderr=StringIO())


def test_it_accepts_the_zones_real_keys_in_production(production, tmp_path, monkeypatch):
    real = tmp_path / "etc-zonegov"
    production.PRODUCTION = False
    monkeypatch.setattr(pki, "DEMO_CA_NAME", "某省电子认证服务根证书")  # a CA not made as demo
    pki.ensure_demo_pki(real)
    monkeypatch.undo()
    production.PRODUCTION = True
    production.ZONEGOV_SIGNING_KEY = str(real / pki.SIGNER_KEY_FILE)
    production.ZONEGOV_SIGNING_CERT = str(real / pki.SIGNER_CERT_FILE)
    production.ZONEGOV_SIGNING_CHAIN = str(real / pki.CA_CERT_FILE)
    out = StringIO()
    call_command("ensure_pki", stdout=out, stderr=StringIO())
    assert "已配置正式签名证书" in out.getvalue()
    assert not production.ZONEGOV_PKI_DIR.exists()
