"""Defect 16 (issue 12): the README's first paragraph lists only modules that exist, and
every module that exists. When a module lands, add it to ``EXISTING`` and to the README's
first paragraph (its planned line further down goes)."""

import importlib.util
import re
from pathlib import Path

from django.apps import apps

README = Path(__file__).resolve().parents[2] / "README.md"

#: Installed project apps -> words the first paragraph must use for them.
EXISTING = {
    "licensing": ("food licensing", "licences"),
    "supervision": ("supervision",),
    "dashboard": ("statistics",),
}
#: Planned modules (docs: DESIGN's app layout) -> the words that would name them, and the
#: module whose existence would make them true.
PLANNED = {
    "zonegov.innovation": ("enterprise services", "innovation", "企业服务"),
    "zonegov.wages": ("wage", "欠薪"),
    "zonegov.grid": ("grid", "网格"),
    "zonegov.markets": ("market", "集市"),
    "zonegov.investment": ("investment", "招商"),
    "zonegov.dashboard.cockpit": ("cockpit", "驾驶舱"),
}


def first_paragraph() -> str:
    text = README.read_text(encoding="utf-8")
    body = text.split("\n", 1)[1].strip()  # after the title line
    return body.split("\n\n", 1)[0].replace("\n", " ").lower()


def test_the_first_paragraph_names_no_module_that_does_not_exist():
    paragraph = first_paragraph()
    for module, words in PLANNED.items():
        if _exists(module):
            continue
        named = [w for w in words if w.lower() in paragraph]
        assert not named, f"README's first paragraph names {named} but {module} does not exist"


def test_the_first_paragraph_names_every_module_that_exists():
    paragraph = first_paragraph()
    project_apps = [
        c.name.split(".", 1)[1]
        for c in apps.get_app_configs()
        if c.name.startswith("zonegov.") and c.name != "zonegov.core"
    ]
    for app in project_apps:
        assert app in EXISTING, f"new module {app}: describe it in README's first paragraph"
        assert any(w in paragraph for w in EXISTING[app]), f"README omits {app}"


def test_planned_modules_are_listed_as_planned_further_down():
    text = README.read_text(encoding="utf-8")
    assert re.search(r"^## Planned", text, re.M), "a 'Planned' section lists future modules"


def _exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False
