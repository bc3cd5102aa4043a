"""Evidence checklists (拍摄指引 / 取证清单): the photos and videos a case type requires.

One registry for every module that collects site evidence — licensing's capture guide
(the applicant's premises photos and walk-through video), patrols, inspections and wage
site checks. A module registers its checklists when it loads (``apps.ready`` or the
module that defines them), keyed ``"<app>.<case type>"``, and asks which required items
are still missing given a case's attachments.

An attachment counts for an item when its ``label`` is the item's ``key`` and its
``kind`` (sniffed from the content at upload, ``core.services.attachments``) is the
item's kind; an item is done when it has ``min_count`` such attachments. Uploads should
pass ``label=item.key`` and ``expected_kinds=[item.kind]`` to ``attachment_add``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from zonegov.core.models.attachments import AttachmentKind

#: The kinds of evidence an item can ask for.
EVIDENCE_KINDS = (AttachmentKind.PHOTO, AttachmentKind.VIDEO)


@dataclass(frozen=True)
class Item:
    """One piece of evidence: what to shoot, how (``hint``: what a good shot shows) and
    what the reviewer checks on it (``check``)."""

    key: str
    label: str
    kind: str = AttachmentKind.PHOTO
    required: bool = True
    hint: str = ""
    check: str = ""
    min_count: int = 1

    def __post_init__(self) -> None:
        if self.kind not in EVIDENCE_KINDS:
            raise ValueError(f"checklist item {self.key!r}: kind must be photo or video")
        if self.min_count < 1:
            raise ValueError(f"checklist item {self.key!r}: min_count must be at least 1")


@dataclass(frozen=True)
class Checklist:
    key: str
    label: str
    items: tuple[Item, ...] = ()

    def __post_init__(self) -> None:
        keys = [i.key for i in self.items]
        if len(keys) != len(set(keys)):
            raise ValueError(f"checklist {self.key!r} lists an item twice")

    def item(self, key: str) -> Item | None:
        return next((i for i in self.items if i.key == key), None)

    def with_items(self, *extra: Item) -> Checklist:
        """This checklist plus ``extra`` items it does not have yet, placed before a
        closing video (the walk-through is shot last)."""
        items = list(self.items)
        for item in extra:
            if any(i.key == item.key for i in items):
                continue
            at = len(items)
            if items and items[-1].kind == AttachmentKind.VIDEO:
                at -= 1
            items.insert(at, item)
        return Checklist(self.key, self.label, tuple(items))


_REGISTRY: dict[str, Checklist] = {}


def register_checklist(checklist: Checklist) -> Checklist:
    """Register ``checklist`` under its key. Registering the same checklist again (a
    module imported twice) is harmless; a different one under a taken key is an error."""
    existing = _REGISTRY.get(checklist.key)
    if existing is not None and existing != checklist:
        raise ValueError(f"checklist {checklist.key!r} is already registered differently")
    _REGISTRY[checklist.key] = checklist
    return checklist


def get_checklist(key: str) -> Checklist | None:
    return _REGISTRY.get(key)


def checklists(prefix: str = "") -> list[Checklist]:
    """The registered checklists (those whose key starts with ``prefix``)."""
    return [c for k, c in _REGISTRY.items() if k.startswith(prefix)]


@dataclass
class ItemStatus:
    item: Item
    attachments: list[Any] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.attachments)

    @property
    def done(self) -> bool:
        return self.count >= self.item.min_count

    @property
    def missing(self) -> bool:
        return self.item.required and not self.done


def evaluate(checklist: Checklist, attachments: Iterable[Any]) -> list[ItemStatus]:
    """Each item of ``checklist`` with the attachments that count for it."""
    files = list(attachments)
    return [
        ItemStatus(item, [f for f in files if f.label == item.key and f.kind == item.kind])
        for item in checklist.items
    ]


def missing_items(checklist: Checklist, attachments: Iterable[Any]) -> list[Item]:
    """The required items that do not have enough evidence yet, in checklist order."""
    return [s.item for s in evaluate(checklist, attachments) if s.missing]


def missing_message(missing: Iterable[Item]) -> str:
    """ "门头及周边环境、全景视频（还差 1 个）" — for a refusal that names what to shoot."""
    from django.utils.translation import gettext as _

    parts = []
    for item in missing:
        if item.min_count > 1:
            parts.append(
                _("%(label)s（至少 %(n)d 个）") % {"label": item.label, "n": item.min_count}
            )
        else:
            parts.append(item.label)
    return "、".join(parts)


def evaluate_owner(checklist: Checklist, owner: models.Model) -> list[ItemStatus]:
    """:func:`evaluate` against the attachments of a case (any registered owner)."""
    from zonegov.core.selectors.attachments import attachments_of

    return evaluate(checklist, attachments_of(owner) if owner.pk else [])


def missing_for_owner(checklist: Checklist, owner: models.Model) -> list[Item]:
    return [s.item for s in evaluate_owner(checklist, owner) if s.missing]
