"""The ``Content-Disposition`` header of every download (attachments, certificates, the
signed documents, 申请书, xlsx exports): one helper, so every file reaches the user's disk
with its extension and its Chinese name (issue 12 defect 4).

The header carries two names (RFC 6266 §4.3): ``filename="..."``, an ASCII fallback for
old clients, and ``filename*=UTF-8''...`` (RFC 5987), the real name, which every current
browser prefers. Both end with the extension, whatever the caller's name ends with."""

from __future__ import annotations

from urllib.parse import quote

_UNSAFE_IN_QUOTES = '"\\;'


def ensure_extension(name: str, extension: str) -> str:
    """``name`` ending with ``extension`` (``.pdf``); compared without case."""
    if extension and not name.lower().endswith(extension.lower()):
        return f"{name}{extension}"
    return name


def ascii_fallback(name: str, extension: str) -> str:
    """The printable ASCII characters of ``name`` (quotes, backslashes, semicolons and
    control characters dropped), or ``attachment<extension>`` when nothing useful is
    left; always ending with ``extension``."""
    stem = name
    if extension and name.lower().endswith(extension.lower()):
        stem = name[: -len(extension)]
    kept = "".join(ch for ch in stem if 32 <= ord(ch) < 127 and ch not in _UNSAFE_IN_QUOTES)
    kept = kept.strip().rstrip(".").strip()
    if not kept or kept.startswith("."):
        kept = "attachment"
    return f"{kept}{extension}"


def content_disposition(disposition: str, name: str, extension: str = "") -> str:
    """``inline``/``attachment`` with the ASCII fallback and the real name in RFC 5987
    form; ``extension`` (with its dot, e.g. ``.pdf``) is appended when ``name`` lacks it:
    ``content_disposition("attachment", "JY24104020000169", ".pdf")``."""
    name = "".join(ch for ch in name if ord(ch) >= 32 and ord(ch) != 127).strip()
    full = ensure_extension(name, extension)
    fallback = ascii_fallback(full, extension)
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(full, safe='')}"
