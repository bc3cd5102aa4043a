"""A real webhook receiver for outbox tests: ``http.server`` in a thread on 127.0.0.1.

It behaves as a well-written receiver should: it checks the signature, and applies each
message's effect once, keyed on ``Idempotency-Key`` — however often it is sent."""

import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import time_machine

from zonegov.core.services.outbox import verify_signature

SECRET = "test-webhook-secret-0123456789"


def machine_clock() -> float:
    """The machine's real clock, for a receiver whose senders are subprocesses (they do not
    share the test's travelled clock, and signatures carry the sender's time)."""
    return time_machine.escape_hatch.time.time()


class Receiver:
    def __init__(
        self,
        *,
        fail_times: int = 0,
        secret: str = SECRET,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.fail_times = fail_times
        self.secret = secret
        self.clock = clock
        self.requests: list[dict] = []  # every request received, in order
        self.effects: Counter[str] = Counter()  # idempotency key -> times applied (0/1)
        self.got_request = threading.Event()
        self.release = threading.Event()  # set to let a held response go out
        self.hold = False  # apply the effect, then wait for ``release`` before answering
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                key = self.headers.get("Idempotency-Key", "")
                valid = verify_signature(
                    receiver.secret,
                    self.headers.get("X-Zonegov-Signature", ""),
                    body,
                    now=receiver.clock(),
                )
                with receiver._lock:
                    receiver.requests.append(
                        {"key": key, "headers": dict(self.headers), "body": body, "valid": valid}
                    )
                    failing = len(receiver.requests) <= receiver.fail_times
                    if valid and not failing and receiver.effects[key] == 0:
                        receiver.effects[key] += 1  # the effect, applied once per key
                receiver.got_request.set()
                if receiver.hold:
                    receiver.release.wait(30)
                if not valid:
                    self._answer(401, {"error": "bad signature"})
                elif failing:
                    self._answer(503, {"error": "temporarily unavailable"})
                else:
                    self._answer(200, {"ok": True})

            def _answer(self, status: int, data: dict) -> None:
                payload = json.dumps(data).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the sender died meanwhile

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Receiver":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def free_port_url() -> str:
    """A loopback URL on which nothing listens (connection refused)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"


def use_webhook(settings, url: str, secret: str = SECRET) -> None:
    """Point the "supervision" destination at ``url`` (pytest-django ``settings``)."""
    settings.ZONEGOV_WEBHOOKS = {"supervision": {"url": url, "secret": secret}}
