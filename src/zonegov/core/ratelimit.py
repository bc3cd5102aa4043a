"""Per-address limits on the public, unauthenticated endpoints (certificate verification,
the 公示 list and feeds): enough for any person or office, not for a script walking the
sequential certificate numbers or burning CPU on signature checks.

A fixed one-minute window per client address and scope, counted in Django's cache with
``add`` then ``incr`` (both atomic in Redis and in ``core/cache.DatabaseCache``). In
production that cache is shared by every worker and machine (Redis when ``REDIS_URL`` is
set, else the database, docs/deployment.md) so the limit holds across them; development's
in-process cache counts per process. Limits are ``settings.ZONEGOV_PUBLIC_RATE_LIMITS``
(requests per minute; 0 switches a scope off).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from zonegov.core.middleware import client_ip

WINDOW_SECONDS = 60


def limit_for(scope: str) -> int:
    return int(getattr(settings, "ZONEGOV_PUBLIC_RATE_LIMITS", {}).get(scope, 0) or 0)


def over_limit(request: HttpRequest, scope: str) -> int:
    """Count this request; return the seconds to wait when the address is over the
    scope's limit in the current window, else 0."""
    return over_limit_for(client_ip(request), scope, limit_for(scope))


def over_limit_for(identity: str, scope: str, limit: int) -> int:
    """Count one request of ``identity`` (an address, an API client's id) in ``scope``;
    return the seconds to wait when it is over ``limit`` per minute, else 0."""
    return window_hit(f"{scope}:{identity}", limit=limit, window=WINDOW_SECONDS)


class RateLimited(Exception):
    """Raised by API endpoints; the API answers 429 with ``Retry-After``."""

    def __init__(self, wait: int) -> None:
        super().__init__(too_many_message(wait))
        self.wait = max(wait, 1)


def check_rate(request: HttpRequest, scope: str) -> None:
    """For API endpoints: raise :class:`RateLimited` when over the scope's limit."""
    wait = over_limit(request, scope)
    if wait:
        raise RateLimited(wait)


def too_many_message(wait: int) -> str:
    return _("访问过于频繁，请 %(s)d 秒后再试。") % {"s": max(wait, 1)}


def too_many_response(request: HttpRequest, wait: int) -> HttpResponse:
    response = render(
        request,
        "core/too_many_requests.html",
        {"message": too_many_message(wait)},
        status=429,
    )
    response["Retry-After"] = str(max(wait, 1))
    return response


def public_rate_limit(scope: str) -> Callable:
    """View decorator: answer 429 with a Chinese message and ``Retry-After`` when the
    client address exceeds the scope's per-minute limit."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            wait = over_limit(request, scope)
            if wait:
                return too_many_response(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def window_hit(key: str, *, limit: int, window: int) -> int:
    """Count one event under ``key`` in a fixed window of ``window`` seconds (any scope:
    an address, a mobile number); return the seconds until the window ends when the count
    is over ``limit``, else 0 (and always 0 when ``limit`` ≤ 0). An atomic ``add`` then
    ``incr``, so it holds across workers with a shared cache."""
    if limit <= 0:
        return 0
    now = int(time.time())
    start = now - now % window
    full_key = f"ratelimit:{key}:{window}:{start}"
    if cache.add(full_key, 1, timeout=window + 5):
        count = 1
    else:
        try:
            count = cache.incr(full_key)
        except ValueError:  # expired between add and incr
            cache.add(full_key, 1, timeout=window + 5)
            count = 1
    return start + window - now if count > limit else 0
