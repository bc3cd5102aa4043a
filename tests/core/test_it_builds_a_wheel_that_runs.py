"""A wheel built from pyproject.toml carries what the platform needs besides its code.

The wheel is built from a copy of the source (the checkout is never written to), with the
venv's setuptools and no network, installed into a folder of its own, and then used by a
Python process whose import path starts there: Django's checks pass, every template
compiles, the vendored static files and the CJK font are found, the English catalogue
translates.
"""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIP = (sys.executable, "-m", "pip")
OFFLINE = ("--quiet", "--no-deps", "--no-index")

PROBE = r"""
import os, pathlib, sys
import django
django.setup()
import zonegov
from django.contrib.staticfiles import finders
from django.template.loader import get_template
from django.utils import translation

package = pathlib.Path(zonegov.__file__).parent
assert str(package).startswith(sys.argv[1]), f"zonegov imported from {package}, not the wheel"
names = []
for templates in package.rglob("templates"):
    for file in templates.rglob("*.html"):
        names.append(str(file.relative_to(templates)))
for name in names:
    get_template(name)
for static in ("vendor/bootstrap/bootstrap.min.css", "vendor/htmx/htmx.min.js"):
    assert finders.find(static), f"static file {static} missing"
from zonegov.core.services import documents
fonts = list((package / "core" / "fonts").glob("*.ttf"))
assert fonts, "no font in the wheel"
with translation.override("en"):
    assert translation.gettext("登录") != "登录", "English catalogue missing"
print("templates", len(names))
"""


def test_a_built_wheel_runs_on_its_own(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(ROOT / "pyproject.toml", source)
    shutil.copytree(
        ROOT / "src",
        source / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
    )
    build = subprocess.run(
        [
            *PIP,
            "wheel",
            *OFFLINE,
            "--no-build-isolation",
            "-w",
            str(tmp_path / "dist"),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "dist").glob("zonegov-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for expected in (
        "zonegov/templates/base.html",
        "zonegov/static/vendor/bootstrap/bootstrap.min.css",
        "zonegov/locale/en/LC_MESSAGES/django.mo",
        "zonegov/licensing/templates/licensing/detail.html",
    ):
        assert expected in names, f"{expected} not in the wheel"
    assert any(n.startswith("zonegov/core/fonts/") and n.endswith(".ttf") for n in names)

    site = tmp_path / "site"
    install = subprocess.run(
        [*PIP, "install", *OFFLINE, "--target", str(site), str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr
    env = {
        **os.environ,
        "PYTHONPATH": str(site),
        "DJANGO_SETTINGS_MODULE": "zonegov.settings",
        "ZONEGOV_VAR_DIR": str(tmp_path / "var"),
    }
    env.pop("DATABASE_URL", None)
    check = subprocess.run(
        [sys.executable, "-m", "zonegov", "check"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, str(site)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert probe.returncode == 0, probe.stdout + probe.stderr
    assert int(probe.stdout.split()[-1]) > 40


pytestmark = pytest.mark.skipif(
    not (ROOT / "pyproject.toml").exists(), reason="needs the source checkout"
)
