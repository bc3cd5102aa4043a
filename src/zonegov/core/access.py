"""Small decorators and helpers that carry the permission rule of a view or endpoint."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _


def require_staff(user: Any, *roles: str) -> None:
    """Raise PermissionDenied unless ``user`` is a staff member holding one of ``roles``
    (any staff member when no role is named)."""
    if not getattr(user, "is_authenticated", False) or not user.is_staff_member:
        raise PermissionDenied(_("此功能仅供工作人员使用。"))
    if roles and not user.has_role(*roles):
        raise PermissionDenied(_("您的角色无权使用此功能。"))


def require_perm(user: Any, perm: str, message: str) -> None:
    """Raise PermissionDenied with ``message`` unless ``user`` has the (global) ``perm``."""
    if not user.has_perm(perm):
        raise PermissionDenied(message)


def staff_required(*roles: str) -> Callable:
    """View decorator: login first, then staff (with one of ``roles``) or 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require_staff(request.user, *roles)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def check_perm(user: Any, perm: str, obj: Any = None, *, hide: bool = True) -> None:
    """Object permission check. With ``hide`` a refusal is a 404, so that records of other
    units or other applicants are not even confirmed to exist."""
    if not user.has_perm(perm, obj):
        if hide and obj is not None:
            raise Http404
        raise PermissionDenied(_("您无权进行此操作。"))
