"""One-off, idempotent: ``outbox_enqueue`` no longer defaults to the destination
"supervision"; give the one-line calls in the tests that relied on it that destination
explicitly. ``python tools/outbox_enqueue_names_its_destination.py [paths]`` (default
tests), then ``ruff format`` the files it lists."""

import sys
from pathlib import Path


def fix(line: str) -> str:
    if "outbox_enqueue(topic=" not in line or "destination" in line:
        return line
    quote = "'" if "topic='" in line else '"'
    head, _paren, tail = line.rpartition(")")
    return f"{head}, destination={quote}supervision{quote}){tail}"


def main(argv: list[str]) -> int:
    roots = [Path(a) for a in argv] or [Path("tests")]
    for path in (p for r in roots for p in ([r] if r.is_file() else sorted(r.rglob("*.py")))):
        text = path.read_text(encoding="utf-8")
        new = "".join(fix(line) for line in text.splitlines(keepends=True))
        # The parametrised refusals of tests/core/test_outbox_enqueue.py.
        for old in ('{"topic": "", "payload": {}}', '{"topic": "t", "payload": {"x": {1, 2}}}'):
            new = new.replace(old, old[:-1] + ', "destination": "supervision"}')
        if new != text:
            path.write_text(new, encoding="utf-8")
            print("changed", path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
