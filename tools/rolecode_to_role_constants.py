"""One-off, idempotent: replace ``RoleCode.X`` (the old enum of core/roles.py) with the
constant of the module that declares role X, and fix the imports.

    python tools/rolecode_to_role_constants.py [paths...]   # default: src tests bench

Then run ``ruff check --select I --fix`` and ``ruff format`` on the changed files (the
script does when it finds ruff next to the interpreter or on PATH). Files it cannot
convert mechanically (``RoleCode.values``, ``RoleCode.choices``, ``RoleCode(code)``) are
listed, not changed. Core code must not import app roles: a RoleCode use of an app role
under src/zonegov/core is listed for a hand fix instead.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

CORE = "zonegov.core.roles"
PLANNED = "zonegov.core.planned_roles"
LICENSING = "zonegov.licensing.roles"
SUPERVISION = "zonegov.supervision.roles"

FIXED = {
    "ORG_ADMIN": CORE,
    "LEADER": CORE,
    "PARK_OFFICER": CORE,
    "WAGE_OFFICER": PLANNED,
    "GRID_WORKER": PLANNED,
    "INVESTMENT_OFFICER": PLANNED,
    "LICENSING_OFFICER": LICENSING,
}
SHARED = {"INSPECTOR", "SUPERVISOR"}  # declared by licensing and by supervision
USE = re.compile(r"\bRoleCode\.([A-Z_]+)\b")
ODD = re.compile(r"\bRoleCode\.(values|choices|labels|names)\b|\bRoleCode\(")
MARK = "\x00roles-import\x00"
ROLES_IMPORT = re.compile(r"^from zonegov\.core\.roles import (?P<names>[^\n()]+)$", re.M)


def module_for(name: str, path: Path) -> str:
    if name in FIXED:
        return FIXED[name]
    if name in SHARED:
        return SUPERVISION if "supervision" in path.parts else LICENSING
    raise KeyError(name)


def convert(path: Path) -> tuple[bool, list[str]]:
    text = path.read_text(encoding="utf-8")
    problems = []
    if ODD.search(text):
        problems.append(f"{path}: RoleCode.values/choices/RoleCode(...) — convert by hand")
    names = sorted(set(USE.findall(text)))
    if not names:
        return False, problems
    in_core = "core" in path.parts and "src" in path.parts
    needed: dict[str, set[str]] = {}
    for name in names:
        module = module_for(name, path)
        if in_core and module not in (CORE,):
            problems.append(f"{path}: core code uses app role {name} — fix by hand")
            return False, problems
        needed.setdefault(module, set()).add(name)
    new = USE.sub(lambda m: m.group(1), text)
    if not ODD.search(new):
        # Drop RoleCode from the core.roles import (the line goes if nothing is left).
        def strip(match: re.Match) -> str:
            kept = [n.strip() for n in match.group("names").split(",")]
            kept = [n for n in kept if n and n != "RoleCode"]
            return f"from {CORE} import {', '.join(kept)}" if kept else MARK

        new = ROLES_IMPORT.sub(strip, new)
    lines = []
    for module, wanted in sorted(needed.items()):
        present = re.search(rf"^from {re.escape(module)} import ([^\n()]+)$", new, re.M)
        if present:
            have = {n.strip() for n in present.group(1).split(",")}
            merged = ", ".join(sorted(have | wanted))
            new = new[: present.start()] + f"from {module} import {merged}" + new[present.end() :]
        else:
            lines.append(f"from {module} import {', '.join(sorted(wanted))}")
    if lines and MARK in new:
        new = new.replace(MARK, "\n".join(lines), 1)
        lines = []
    new = new.replace(MARK + "\n", "").replace(MARK, "")
    if lines:
        # After the last top-level "from zonegov" import (ruff's isort then orders them).
        anchors = list(re.finditer(r"^from zonegov\.[^\n(]*(?:\([^)]*\)|[^\n]*)$", new, re.M))
        at = anchors[-1].end() if anchors else 0
        new = new[:at] + ("\n" if at else "") + "\n".join(lines) + ("" if at else "\n") + new[at:]
    if new != text:
        path.write_text(new, encoding="utf-8")
        return True, problems
    return False, problems


def main(argv: list[str]) -> int:
    roots = [Path(a) for a in argv] or [Path("src"), Path("tests"), Path("bench")]
    files = [p for r in roots for p in ([r] if r.is_file() else sorted(r.rglob("*.py")))]
    changed, problems = [], []
    for path in files:
        if (
            "migrations" in path.parts
            or path.name == Path(__file__).name
            or path.as_posix().endswith("core/roles.py")
        ):
            continue
        did, found = convert(path)
        problems += found
        if did:
            changed.append(path)
    for path in changed:
        print("changed", path)
    for problem in problems:
        print("HAND FIX", problem)
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if changed and Path(ruff).exists():
        subprocess.run([ruff, "check", "--select", "I,F401", "--fix", *map(str, changed)])
        subprocess.run([ruff, "format", *map(str, changed)])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
