"""Object permissions of attachments (django-rules) and the registry of owner types.

Files attach only to the record types a module registers as owners
(:func:`register_attachment_owner`, called in the module's ``AppConfig.ready`` like the
navigation entries), each with the module's own permission saying who may change such a
record and its own rule of when the record is open. Anything else - a unit, a user, an
attachment itself (which would slip files past a closed case) - takes no files.

An attachment has no audience of its own: whoever may view the owning record may view
and download its attachments; those the owner's change permission allows may attach
files while the owner is open. Only the uploader may remove a file, and only while the
owner is still open (a closed case keeps the evidence it was closed on).

Loaded by ``core.services.attachments`` and ``core.selectors.attachments`` (rules'
autodiscovery only picks up ``rules.py``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rules
from django.db import models


@dataclass(frozen=True)
class AttachmentOwnerType:
    """A record type that may own files."""

    label: str  # "app_label.model", as in /api/attachments/<label>/<id>
    change_perm: (
        str  # who may add (and withdraw their own) files, e.g. "supervision.change_inspection"
    )
    is_open: Callable[[Any], bool]  # False: the record is closed and its files are frozen
    closed_message: Any = None  # why a closed record takes no files (default: 已办结或关闭)


_OWNER_TYPES: dict[str, AttachmentOwnerType] = {}


def _label(model: type[models.Model] | models.Model) -> str:
    return model._meta.concrete_model._meta.label_lower


def _flag_is_open(owner: Any) -> bool:
    return getattr(owner, "is_open", True) is not False


def register_attachment_owner(
    model: type[models.Model],
    *,
    change_perm: str,
    is_open: Callable[[Any], bool] | None = None,
    closed_message: Any = None,
) -> AttachmentOwnerType:
    """Let records of ``model`` own files. ``change_perm`` is the owner module's
    permission of who may change such a record; ``is_open`` (default: the record's
    ``is_open`` flag) says when it still takes files. Re-registering replaces."""
    entry = AttachmentOwnerType(
        label=_label(model),
        change_perm=change_perm,
        is_open=is_open or _flag_is_open,
        closed_message=closed_message,
    )
    _OWNER_TYPES[entry.label] = entry
    return entry


def attachment_owner_types() -> dict[str, AttachmentOwnerType]:
    return dict(_OWNER_TYPES)


def owner_type_of(owner: Any) -> AttachmentOwnerType | None:
    """The registration of ``owner``'s type, or None when it may own no files."""
    if owner is None or not hasattr(owner, "_meta"):
        return None
    return _OWNER_TYPES.get(_label(owner))


def owner_view_perm(owner: models.Model) -> str:
    """The permission that guards the owning record, e.g. ``core.view_assignment``."""
    return f"{owner._meta.app_label}.view_{owner._meta.model_name}"


def owner_is_open(owner: Any) -> bool:
    """The owner module's open rule; an unregistered owner is never open for files."""
    entry = owner_type_of(owner)
    return entry is not None and bool(entry.is_open(owner))


@rules.predicate
def may_view_owner(user: Any, owner: Any) -> bool:
    if owner is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.has_perm(owner_view_perm(owner), owner))


def may_change_owner(user: Any, owner: Any) -> bool:
    """Only those the owner module's change permission allows add or remove files: a
    leader who only reads an inspection adds no evidence to it. Unregistered: nobody."""
    entry = owner_type_of(owner)
    if entry is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.has_perm(entry.change_perm, owner))


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
