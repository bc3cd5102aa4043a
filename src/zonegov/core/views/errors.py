"""The error pages when ``DEBUG`` is off (issue 12 defect 5): Chinese 403 / 404 / 500 and
CSRF-failure pages with the site shell and a way back.

- 403 and 404 are Django's own views with ``templates/403.html`` / ``404.html``.
- A CSRF failure (an expired form, cookies blocked) renders ``403_csrf.html`` through
  :func:`csrf_failure` (``settings.CSRF_FAILURE_VIEW``), with the request, so the page has
  the navigation and says what to do.
- A 500 renders ``500.html`` through :func:`server_error` (``handler500``) with nothing
  but a reference id: the database may be what failed, so the page uses no context
  processor, no static file and no database. The id is logged with the traceback
  (logger ``zonegov.errors``), so the user can quote it and an administrator finds it.
"""

from __future__ import annotations

import logging
import secrets
import sys

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger("zonegov.errors")


def new_reference() -> str:
    """A reference id a person can read out on the phone: date and 6 hex characters."""
    return f"E{timezone.localtime():%Y%m%d}-{secrets.token_hex(3).upper()}"


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    reference = new_reference()
    logger.error(
        "服务器错误 reference=%s %s %s",
        reference,
        request.method,
        request.get_full_path()[:500],
        exc_info=sys.exc_info()[0] is not None,
    )
    try:
        body = loader.get_template("500.html").render({"reference": reference})
    except Exception:  # the template itself failed: still answer, with the id
        body = f"<h1>服务器错误（500）</h1><p>错误编号：{reference}</p>"
    response = HttpResponseServerError(body)
    response["X-Error-Reference"] = reference
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    logger.warning("CSRF failure %s %s: %s", request.method, request.path[:200], reason)
    try:
        return HttpResponseForbidden(render(request, "403_csrf.html").content)
    except Exception:
        return HttpResponseForbidden(loader.get_template("403_csrf.html").render({}))
