"""Object permissions of attachments (django-rules).

An attachment has no audience of its own: whoever may view the owning record may view
and download its attachments, and may attach files to it while it is open (where the
owner's module has a ``change_<model>`` rule, only those it allows). Only the
uploader may remove a file, and only while the owner is still open (a closed case keeps
the evidence it was closed on).

Loaded by ``core.services.attachments`` and ``core.selectors.attachments`` (rules'
autodiscovery only picks up ``rules.py``).
"""

from typing import Any

import rules
from django.db import models


def owner_view_perm(owner: models.Model) -> str:
    """The permission that guards the owning record, e.g. ``core.view_assignment``."""
    return f"{owner._meta.app_label}.view_{owner._meta.model_name}"


def owner_is_open(owner: Any) -> bool:
    """Owners without an ``is_open`` flag (enterprises, people…) never close."""
    return getattr(owner, "is_open", True) is not False


@rules.predicate
def may_view_owner(user: Any, owner: Any) -> bool:
    if owner is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.has_perm(owner_view_perm(owner), owner))


def owner_change_perm(owner: models.Model) -> str:
    """The permission to change the owning record, e.g. ``supervision.change_inspection``."""
    return f"{owner._meta.app_label}.change_{owner._meta.model_name}"


def may_change_owner(user: Any, owner: Any) -> bool:
    """Where the owner's module says who may change its records (a ``change_<model>``
    rule), only they add or remove files: a leader who only reads an inspection adds no
    evidence to it. Elsewhere viewing is enough."""
    change = owner_change_perm(owner)
    return not rules.perm_exists(change) or bool(user.has_perm(change, owner))


@rules.predicate
def may_add_to_owner(user: Any, owner: Any) -> bool:
    return may_view_owner(user, owner) and owner_is_open(owner) and may_change_owner(user, owner)


@rules.predicate
def may_view_attachment(user: Any, attachment: Any) -> bool:
    if attachment is None:
        return False
    return may_view_owner(user, attachment.owner)


@rules.predicate
def may_remove_attachment(user: Any, attachment: Any) -> bool:
    if attachment is None or not getattr(user, "is_authenticated", False):
        return False
    if attachment.uploaded_by_id != user.pk:
        return False
    return may_add_to_owner(user, attachment.owner)


rules.add_perm("core.view_attachment", may_view_attachment)
rules.add_perm("core.add_attachment_to", may_add_to_owner)
rules.add_perm("core.delete_attachment", may_remove_attachment)
