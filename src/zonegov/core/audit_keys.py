"""The audit chain's HMAC keys: a keyring held outside the database.

Every audit record's ``hash`` is an HMAC-SHA256 under one key of the keyring, and the
record stores that key's id (``key_id``), so the key can be rotated: new records use the
current key, verification needs every key any record names. A key id is derived from its
secret (the first 16 hex digits of SHA-256 over a fixed prefix and the secret), so a
keyring cannot name a key wrongly and the id reveals nothing about the secret.

Where the keys come from (settings, filled from the environment; docs/deployment.md):

- ``ZONEGOV_AUDIT_KEY``: the current secret;
- ``ZONEGOV_AUDIT_KEY_FILE``: a keyring file, one secret a line (``#`` comments), the
  last line the current key unless ``ZONEGOV_AUDIT_KEY`` is set; earlier lines are
  retired keys kept to verify the records they made;
- ``ZONEGOV_AUDIT_PREVIOUS_KEYS``: retired secrets, for deployments without a file.

In development (``ZONEGOV_AUDIT_KEY_AUTOCREATE``, never in production) the keyring file
under ``var/audit/`` is created with a random key on first use, as ``ensure_pki`` creates
the demo CA. Production settings refuse to start without a key (settings.py).

The keyring is loaded once per process and cached, keyed by the settings and the file's
modification time, so appending to the audit chain costs no file read.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MIN_SECRET_CHARS = 32
_KEY_ID_PREFIX = b"zonegov-audit-key-id:"


@dataclass(frozen=True)
class Keyring:
    current_id: str
    keys: Mapping[str, bytes]

    @property
    def current_key(self) -> bytes:
        return self.keys[self.current_id]

    def key(self, key_id: str) -> bytes | None:
        return self.keys.get(key_id)


def key_id_of(secret: bytes) -> str:
    return hashlib.sha256(_KEY_ID_PREFIX + secret).hexdigest()[:16]


def _secret(text: str, where: str) -> bytes:
    text = text.strip()
    if len(text) < MIN_SECRET_CHARS:
        raise ImproperlyConfigured(
            f"审计密钥太短（{where}）：至少 {MIN_SECRET_CHARS} 个字符，"
            "请用 `python -c 'import secrets; print(secrets.token_hex(32))'` 生成。"
        )
    return text.encode("utf-8")


def _file_secrets(path: Path) -> list[bytes]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ImproperlyConfigured(f"无法读取审计密钥文件 {path}：{exc}") from exc
    return [
        _secret(line, f"{path} 第 {number} 行")
        for number, line in enumerate(lines, start=1)
        if line.strip() and not line.strip().startswith("#")
    ]


def create_key_file(path: Path) -> bool:
    """Write a keyring file with one random key unless ``path`` exists. Atomic: the file
    appears complete or not at all, and of two processes racing only one key wins."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    content = (
        "# zonegov audit chain keyring (development). One secret a line; the last one signs\n"
        "# new records, earlier ones verify older records. Never store it in the database.\n"
        f"{secrets.token_hex(32)}\n"
    )
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, content.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)  # fails if another process created the file first
        return True
    except FileExistsError:
        return False
    finally:
        tmp.unlink(missing_ok=True)


_cache: dict[tuple, Keyring] = {}
_lock = threading.Lock()


def _file_state(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size)


def audit_keyring() -> Keyring:
    """The configured keyring; ``ImproperlyConfigured`` when no usable key is set."""
    current = str(getattr(settings, "ZONEGOV_AUDIT_KEY", "") or "")
    previous = tuple(getattr(settings, "ZONEGOV_AUDIT_PREVIOUS_KEYS", None) or ())
    path = str(getattr(settings, "ZONEGOV_AUDIT_KEY_FILE", "") or "")
    autocreate = bool(getattr(settings, "ZONEGOV_AUDIT_KEY_AUTOCREATE", False))
    state = _file_state(path) if path else None
    cache_key = (current, previous, path, autocreate, state)
    keyring = _cache.get(cache_key)
    if keyring is not None:
        return keyring
    with _lock:
        if path and state is None and autocreate:
            create_key_file(Path(path))
            cache_key = (current, previous, path, autocreate, _file_state(path))
        keyring = _load(current, previous, path)
        if len(_cache) > 8:  # tests change the settings often
            _cache.clear()
        _cache[cache_key] = keyring
        return keyring


def _load(current: str, previous: tuple[str, ...], path: str) -> Keyring:
    file_keys: list[bytes] = []
    if path:
        if not Path(path).exists():
            raise ImproperlyConfigured(f"审计密钥文件不存在：{path}（见 docs/deployment.md）。")
        file_keys = _file_secrets(Path(path))
    retired = [_secret(str(p), "ZONEGOV_AUDIT_PREVIOUS_KEYS") for p in previous if str(p).strip()]
    if current:
        current_secret = _secret(current, "ZONEGOV_AUDIT_KEY")
    elif file_keys:
        current_secret = file_keys[-1]
    else:
        raise ImproperlyConfigured(
            "未配置审计密钥：请设置 ZONEGOV_AUDIT_KEY 或 ZONEGOV_AUDIT_KEY_FILE"
            "（见 docs/deployment.md）。"
        )
    keys = {key_id_of(s): s for s in [*file_keys, *retired, current_secret]}
    return Keyring(current_id=key_id_of(current_secret), keys=keys)
