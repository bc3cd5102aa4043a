"""Production serves static files through whitenoise's manifest storage: collectstatic
must succeed on the shipped files (a vendored file naming a missing source map broke
every page), and a collected page links hashed names. `.ci/smoke_production.sh` runs the
same deployment under gunicorn."""

import re
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

VENDOR = Path(settings.BASE_DIR) / "static" / "vendor"
SOURCE_MAP = re.compile(rb"sourceMappingURL=([^\s*]+)")


def test_it_ships_every_source_map_a_vendored_file_names():
    named = []
    for path in VENDOR.rglob("*"):
        if path.suffix in {".js", ".css"}:
            for ref in SOURCE_MAP.findall(path.read_bytes()):
                named.append((path, (path.parent / ref.decode()).resolve()))
    assert named, "the vendored Bootstrap files name their source maps"
    missing = [f"{p.name} -> {ref.name}" for p, ref in named if not ref.is_file()]
    assert missing == []


def test_it_collects_static_files_with_the_manifest_storage(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0, stdout=StringIO())
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/bootstrap/bootstrap.bundle.min.js" in manifest
