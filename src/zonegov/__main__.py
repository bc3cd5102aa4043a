"""`python -m zonegov <command>` runs a management command.

Example: `python -m zonegov audit-verify` (dashes become underscores).
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zonegov.settings")
    from django.core.management import execute_from_command_line

    argv = [
        sys.argv[0],
        *[a.replace("-", "_") if i == 0 else a for i, a in enumerate(sys.argv[1:])],
    ]
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
