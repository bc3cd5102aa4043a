"""A task for the kill test (imported by a real ``qcluster`` in a subprocess): it notes
each attempt, dawdles on the first (the test kills the worker then), and applies its effect
once per key — the effect is a file created with O_EXCL, so a second application would
find it there and change nothing."""

import os
import time
from pathlib import Path


def record_and_sleep(directory: str, key: str, first_attempt_seconds: float) -> str:
    where = Path(directory)
    with open(where / "attempts.log", "a") as log:
        log.write(f"{key} {os.getpid()}\n")
        log.flush()
        os.fsync(log.fileno())
    attempts = (where / "attempts.log").read_text().splitlines()
    if len(attempts) == 1:
        time.sleep(first_attempt_seconds)  # killed here
    try:
        fd = os.open(where / f"effect-{key}", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return "already applied"
    os.write(fd, b"applied\n")
    os.close(fd)
    return "applied"
