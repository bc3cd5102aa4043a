"""The registry of API scopes: what an API client (``core.ApiClient``, a machine, not a
user) may be granted. An app declares each scope it checks, at import time of a module
every process loads (its ``AppConfig.ready`` or the module of the endpoints that check
it), next to the endpoint that checks it: ``auth=ApiClientKeyAuth(scope="app:action")``
(``core.api.client_auth``). The issue form offers exactly the registered scopes, and a
scope nobody registered can neither be granted nor checked.

Declare only scopes an endpoint checks: a scope nothing checks would be a permission that
means nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

SCOPE_CODE = re.compile(r"^[a-z][a-z0-9_]{0,30}:[a-z][a-z0-9_]{0,30}$")


@dataclass(frozen=True)
class ApiScope:
    code: str  # "<app>:<action>", e.g. "documents:status"
    label: Any  # short Chinese name shown on the issue form and the client list
    description: Any = ""  # what the scope lets a client do, which endpoints check it


# code -> scope. Filled at import time in every process (like URL patterns), not shared
# state, so it is safe across processes.
_SCOPES: dict[str, ApiScope] = {}


def register_scope(code: str, label: Any, description: Any = "") -> ApiScope:
    """Declare a scope; re-registering the same code replaces it (module reloads)."""
    if not SCOPE_CODE.match(code):
        raise ValueError(f"API scope code must look like 'app:action', got {code!r}")
    scope = ApiScope(code=code, label=label, description=description)
    _SCOPES[code] = scope
    return scope


def unregister_scope(code: str) -> None:
    _SCOPES.pop(code, None)


def get_scope(code: str) -> ApiScope | None:
    return _SCOPES.get(code)


def all_scopes() -> list[ApiScope]:
    """Every registered scope, ordered by code (the order of the issue form)."""
    return [_SCOPES[code] for code in sorted(_SCOPES)]


def scope_label(code: str) -> str:
    """The label of ``code``, or the code itself when no app registers it (any more)."""
    scope = _SCOPES.get(code)
    return str(scope.label) if scope else code


# --- Core's own scopes (each checked by an endpoint of core/api/client.py).

DOCUMENTS_STATUS = register_scope(
    "documents:status",
    _("查询证照状态"),
    _(
        "按编号查询平台签发的证照和文书的当前状态（有效、已变更、已吊销、已注销、已过期），"
        "可一次批量查询多个编号：GET /api/client/documents/{number}、"
        "POST /api/client/documents/status。只返回公开核验页面同样公开的信息。"
    ),
).code
