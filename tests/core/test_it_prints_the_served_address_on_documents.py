"""Issue 12 defect 3: QR codes and printed URLs said port 8000 when ``make run`` served on
another ``PORT``. The public base address follows the served port unless configured."""

import subprocess
from pathlib import Path

from zonegov.settings import public_base_url

ROOT = Path(__file__).resolve().parents[2]


def test_the_default_follows_the_port_make_run_serves_on():
    assert public_base_url({"ZONEGOV_PORT": "8010"}) == "http://127.0.0.1:8010"
    assert public_base_url({}) == "http://127.0.0.1:8000"


def test_a_configured_address_wins():
    env = {"ZONEGOV_PORT": "8010", "ZONEGOV_PUBLIC_BASE_URL": "https://zw.example.cn/"}
    assert public_base_url(env) == "https://zw.example.cn"


def test_make_run_passes_its_port_to_every_command():
    out = subprocess.run(
        ["make", "-C", str(ROOT), "--no-print-directory", "-n", "run", "PORT=8010"],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )
    # make exports ZONEGOV_PORT to the commands it runs; `-n` shows their text only, so
    # ask make for the exported value the way a recipe sees it.
    probe = subprocess.run(
        ["make", "-C", str(ROOT), "--no-print-directory", "-f", "Makefile", "-f", "-", "probe"],
        input="probe:\n\t@echo $$ZONEGOV_PORT\n",
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "PORT": "8010"},
    )
    assert "runserver 127.0.0.1:8010" in out.stdout
    assert probe.stdout.strip() == "8010"
