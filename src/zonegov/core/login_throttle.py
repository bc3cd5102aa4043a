"""Login lock-out: django-axes' database handler with a second, per-address limit.

axes counts failures per (user name, client address) and locks that pair after
``AXES_FAILURE_LIMIT`` (5). That alone lets one address try a few passwords on every
account (32 failures over 8 accounts locked nothing, issue 10 item 12). This handler also
locks the address itself once the failures from it, over all accounts, reach
``settings.ZONEGOV_LOGIN_FAILURES_PER_ADDRESS`` (default 20) within ``AXES_COOLOFF_TIME``.
The address limit is higher than the pair's because a whole government office may reach
the platform through one NAT address (docs/deployment.md). A successful login resets only
its own pair, so logging into one's own account does not clear an address's failures.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def address_failure_limit() -> int:
    return int(getattr(settings, "ZONEGOV_LOGIN_FAILURES_PER_ADDRESS", 20) or 0)


def address_failures(request: HttpRequest) -> int:
    """Failures from the request's client address within the cool-off time, any account."""
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class ZoneAxesHandler(AxesDatabaseHandler):
    """Reports an address over its limit as at the lock-out limit, so that axes' own
    checks (``is_locked`` before a login, the lock decision after a failure) refuse it."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        failures = super().get_failures(request, credentials)
        limit = address_failure_limit()
        if limit > 0 and address_failures(request) >= limit:
            return max(failures, get_failure_limit(request, credentials))
        return failures
