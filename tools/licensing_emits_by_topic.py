"""One-off, idempotent: licensing announces licence changes with ``emit`` (checked against
its topic contract, routed by subscription) instead of enqueueing for a destination it
names. Rewrites the call in whichever file of src/zonegov/licensing holds it (services.py
today, the services package after the split)."""

import re
import sys
from pathlib import Path

CALL = re.compile(
    r"from zonegov\.core\.services\.outbox import outbox_enqueue\n(\s*\n)*(?P<indent>[ ]*)"
    r"outbox_enqueue\(\n(?P=indent)    topic=f\"licence\.\{event\}\",\n"
    r"(?P=indent)    destination=\"supervision\",\n"
)


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path("src/zonegov/licensing")
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        new = CALL.sub(
            lambda m: (
                "from zonegov.core.services.outbox import emit\n\n"
                f'{m["indent"]}emit(\n{m["indent"]}    topic=f"licence.{{event}}",\n'
            ),
            text,
        )
        if new != text:
            path.write_text(new, encoding="utf-8")
            print("changed", path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
