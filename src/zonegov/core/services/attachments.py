"""Attachments: files any module attaches to its own records (site photos and videos of a
licence application, evidence of a complaint, documents of a wage case).

The type of a file is decided by its content (magic bytes), never by the name or the
Content-Type the client claims; each kind has its own size limit
(``settings.ZONEGOV_ATTACHMENT_LIMITS``); files are stored under a random name and their
SHA-256 is recorded. Uploads above ``FILE_UPLOAD_MAX_MEMORY_SIZE`` arrive as temporary
files and are hashed in chunks, then moved into storage, so a 500 MB video is never held
in memory.
"""

import hashlib
import logging
import os
import unicodedata
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Importing the rules module registers the core.*attachment* permissions.
from zonegov.core.attachments_rules import (
    may_change_owner,
    may_view_owner,
    owner_is_open,
    owner_type_of,
)
from zonegov.core.errors import (
    ApplicationError,
    PermissionRefused,
    field_errors_from_validation_error,
)
from zonegov.core.models import Attachment
from zonegov.core.models.attachments import AttachmentKind
from zonegov.core.services.audit import audit_append

logger = logging.getLogger(__name__)

#: How many leading bytes ``sniff_kind`` needs (ftyp box with its compatible brands,
#: or an EBML header with its DocType).
SNIFF_BYTES = 4096
HASH_CHUNK = 1024 * 1024
LABEL_MAX = 100


class Sniffed(NamedTuple):
    kind: str
    mime: str
    extension: str


class OwnerClosed(ApplicationError):
    """The owning record is closed (e.g. a case already 办结): its files are frozen."""

    status_code = 409


class OwnerNotAccepted(ApplicationError):
    """The record is of a type no module registered as an owner of files
    (``core.attachments_rules.register_attachment_owner``): a unit, a user, a file."""


def _require_registered_owner(owner: models.Model) -> None:
    if owner_type_of(owner) is None:
        raise OwnerNotAccepted(
            _("“%(type)s”类记录不能添加附件。") % {"type": owner._meta.verbose_name}
        )


def _closed_message(owner: models.Model, default: str) -> str:
    entry = owner_type_of(owner)
    return str(entry.closed_message) if entry and entry.closed_message else default


JPEG = Sniffed(AttachmentKind.PHOTO, "image/jpeg", ".jpg")
PNG = Sniffed(AttachmentKind.PHOTO, "image/png", ".png")
WEBP = Sniffed(AttachmentKind.PHOTO, "image/webp", ".webp")
PDF = Sniffed(AttachmentKind.PDF, "application/pdf", ".pdf")
MP4 = Sniffed(AttachmentKind.VIDEO, "video/mp4", ".mp4")
QUICKTIME = Sniffed(AttachmentKind.VIDEO, "video/quicktime", ".mov")
WEBM = Sniffed(AttachmentKind.VIDEO, "video/webm", ".webm")

# ISO base media file brands of MP4 video (ISO/IEC 14496-12/-14, Apple M4V, DASH, Flash
# F4V, and the brands phones write). HEIF/AVIF images and M4A audio share the container
# but are not video; they are refused by name below.
MP4_BRANDS = frozenset(
    {
        b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"iso7", b"iso8", b"iso9",
        b"mp41", b"mp42", b"mp71", b"avc1", b"dash", b"M4V ", b"M4VH", b"M4VP",
        b"MSNV", b"NDAS", b"NDSC", b"NDSH", b"NDSM", b"NDSP", b"NDSS", b"NDXC",
        b"NDXH", b"NDXM", b"NDXP", b"NDXS", b"F4V ", b"f4v ", b"mmp4", b"XAVC",
    }
)  # fmt: skip
QUICKTIME_BRAND = b"qt  "
NOT_VIDEO_BRANDS = frozenset(
    {
        b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1",
        b"avif", b"avis", b"M4A ", b"M4B ", b"M4P ", b"crx ", b"jp2 ", b"jpx ",
    }
)  # fmt: skip
# Old QuickTime files have no ftyp box and start directly with one of these atoms.
QUICKTIME_LEADING_ATOMS = frozenset({b"moov", b"mdat", b"wide", b"pnot"})

EBML_MAGIC = b"\x1a\x45\xdf\xa3"
EBML_DOCTYPE_ID = 0x4282


def _ebml_vint(data: bytes, pos: int, *, keep_marker: bool) -> tuple[int, int] | None:
    """Read one EBML variable-length integer at ``pos``: (value, next position)."""
    if pos >= len(data):
        return None
    first = data[pos]
    length = 1
    mask = 0x80
    while length <= 8 and not first & mask:
        mask >>= 1
        length += 1
    if length > 8 or pos + length > len(data):
        return None
    value = first if keep_marker else first & (mask - 1)
    for byte in data[pos + 1 : pos + length]:
        value = (value << 8) | byte
    return value, pos + length


def _ebml_doctype(head: bytes) -> bytes | None:
    """The DocType of an EBML header (``b"webm"``, ``b"matroska"``), if it is in ``head``."""
    pos = len(EBML_MAGIC)
    size = _ebml_vint(head, pos, keep_marker=False)
    if size is None:
        return None
    header_size, pos = size
    end = min(len(head), pos + header_size)
    while pos < end:
        element = _ebml_vint(head, pos, keep_marker=True)
        if element is None:
            return None
        element_id, pos = element
        size = _ebml_vint(head, pos, keep_marker=False)
        if size is None:
            return None
        element_size, pos = size
        if element_id == EBML_DOCTYPE_ID:
            return head[pos : pos + element_size].rstrip(b"\x00")
        pos += element_size
    return None


def _sniff_iso_media(head: bytes) -> Sniffed | None:
    major = head[8:12]
    if major == QUICKTIME_BRAND:
        return QUICKTIME
    if major in MP4_BRANDS:
        return MP4
    if major in NOT_VIDEO_BRANDS:
        return None
    # An unlisted major brand (3GPP, a vendor's own) is still MP4 video when it declares
    # an MP4 brand among its compatible brands.
    box_size = int.from_bytes(head[0:4], "big")
    compatible = head[16 : min(len(head), max(box_size, 16))]
    brands = {compatible[i : i + 4] for i in range(0, len(compatible) - 3, 4)}
    if brands & NOT_VIDEO_BRANDS:
        return None
    if QUICKTIME_BRAND in brands:
        return QUICKTIME
    if brands & MP4_BRANDS:
        return MP4
    return None


def sniff_kind(first_bytes: bytes) -> Sniffed | None:
    """Kind, MIME type and extension of a file judged only by its first bytes (give at
    least ``SNIFF_BYTES`` of them when the file has that many); None when the content is
    none of the accepted types."""
    head = bytes(first_bytes[:SNIFF_BYTES])
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 12 and head[0:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return _sniff_iso_media(head)
    if len(head) >= 8 and head[4:8] in QUICKTIME_LEADING_ATOMS:
        return QUICKTIME
    if head.startswith(EBML_MAGIC):
        # Matroska proper (.mkv) is refused: browsers play WebM, not Matroska in general.
        return WEBM if _ebml_doctype(head) == b"webm" else None
    return None


KIND_DESCRIPTIONS = {
    AttachmentKind.PHOTO: gettext_lazy("照片（JPEG、PNG 或 WebP）"),
    AttachmentKind.PDF: gettext_lazy("PDF 文件"),
    AttachmentKind.VIDEO: gettext_lazy("视频（MP4、MOV 或 WebM）"),
}


def kinds_description(kinds: Iterable[str] | None = None) -> str:
    """Human list of accepted kinds, e.g. "照片（JPEG、PNG 或 WebP）、PDF 文件"."""
    wanted = list(kinds) if kinds is not None else list(AttachmentKind.values)
    return "、".join(
        str(KIND_DESCRIPTIONS[AttachmentKind(k)]) for k in AttachmentKind.values if k in wanted
    )


def attachment_limit(kind: str) -> int:
    """Largest accepted size in bytes of one file of ``kind``."""
    return int(settings.ZONEGOV_ATTACHMENT_LIMITS[str(kind)])


def format_size(size: int) -> str:
    """Sizes in user messages: MB for limits as configured, KB/bytes for small files."""
    mb = 1024 * 1024
    if size >= mb or size == 0:
        return f"{size / mb:.2f}".rstrip("0").rstrip(".") + " MB"
    if size >= 1024:
        return f"{size / 1024:.2f}".rstrip("0").rstrip(".") + " KB"
    return _("%(n)d 字节") % {"n": size}


def _without_control_characters(text: str) -> str:
    # NUL cannot be stored by PostgreSQL; CR/LF must not reach a header.
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")


def clean_original_name(name: str | None) -> str:
    """The name the user gave the file, kept for display and the download header only:
    without directory parts (some browsers send ``C:\\fakepath\\...``) or control
    characters, at most 255 characters with its extension kept."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _without_control_characters(name).strip()
    if not name or name in {".", ".."}:
        name = _("未命名文件")
    if len(name) > 255:
        stem, ext = os.path.splitext(name)
        ext = ext[:20]
        name = stem[: 255 - len(ext)] + ext
    return name


def _refuse_content(expected: list[str] | None) -> ApplicationError:
    return ApplicationError(
        _(
            "文件内容不是可接受的类型：应为%(kinds)s。系统按文件内容识别类型，"
            "仅修改文件扩展名无效，请上传原始文件。"
        )
        % {"kinds": kinds_description(expected)},
        field_errors={"file": [_("文件类型不符合要求。")]},
    )


def _read_head(uploaded_file: File) -> bytes:
    uploaded_file.seek(0)
    head = uploaded_file.read(SNIFF_BYTES)
    uploaded_file.seek(0)
    return head or b""


def _hash_and_size(uploaded_file: File) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks(HASH_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest(), size


def attachment_add(
    *,
    actor: Any,
    owner: models.Model,
    uploaded_file: File,
    label: str = "",
    expected_kinds: Iterable[str] | None = None,
    original_name: str | None = None,
) -> Attachment:
    """Attach ``uploaded_file`` to ``owner``, a record of a registered owner type
    (``core.attachments_rules.register_attachment_owner``; others raise
    ``OwnerNotAccepted``).

    The actor must be allowed to view the owner and, by the owner module's change
    permission, to change it; the owner must be open by its module's rule. The kind is
    sniffed from the content (``expected_kinds`` narrows what is accepted, e.g.
    ``["photo"]`` for site photos) and the size checked against that kind's limit. Raises
    ``PermissionRefused``, ``OwnerClosed`` or ``ApplicationError`` with a message for
    the user; on any failure nothing is left in the database or in storage. (Django has
    no on-rollback hook: if a caller's own outer transaction rolls back after this
    returns, the stored file stays behind without a row - harmless, never served.)
    """
    if not getattr(actor, "is_authenticated", False):
        raise PermissionRefused(_("请先登录。"))
    _require_registered_owner(owner)
    if not (may_view_owner(actor, owner) and may_change_owner(actor, owner)):
        raise PermissionRefused(_("您无权向该记录添加附件。"))
    if not owner_is_open(owner):
        raise OwnerClosed(_closed_message(owner, _("该记录已办结或关闭，不能再添加附件。")))

    label = _without_control_characters(label or "").strip()
    if len(label) > LABEL_MAX:
        raise ApplicationError(
            _("附件说明不能超过 %(n)d 个字。") % {"n": LABEL_MAX},
            field_errors={"label": [_("最多 %(n)d 个字。") % {"n": LABEL_MAX}]},
        )
    expected = [str(k) for k in expected_kinds] if expected_kinds is not None else None
    if expected is not None:
        unknown = set(expected) - set(AttachmentKind.values)
        if unknown or not expected:
            raise ValueError(f"expected_kinds must be among {AttachmentKind.values}: {expected}")

    name = clean_original_name(original_name or getattr(uploaded_file, "name", ""))
    head = _read_head(uploaded_file)
    if not head:
        raise ApplicationError(
            _("文件是空的，请选择有内容的文件。"), field_errors={"file": [_("文件是空的。")]}
        )
    sniffed = sniff_kind(head)
    if sniffed is None or (expected is not None and sniffed.kind not in expected):
        raise _refuse_content(expected)

    limit = attachment_limit(sniffed.kind)
    declared_size = getattr(uploaded_file, "size", None)
    if declared_size is not None and declared_size > limit:
        raise _too_large(sniffed.kind, declared_size, limit)
    sha256, size = _hash_and_size(uploaded_file)
    if size > limit:
        raise _too_large(sniffed.kind, size, limit)

    owner_type = ContentType.objects.get_for_model(owner)
    attachment = Attachment(
        owner_type=owner_type,
        owner_id=str(owner.pk),
        kind=sniffed.kind,
        label=label,
        original_name=name,
        extension=sniffed.extension,
        mime_type=sniffed.mime,
        size=size,
        sha256=sha256,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        uploaded_at=timezone.now(),
    )
    stored_name = ""
    try:
        with transaction.atomic():
            # upload_to ignores the name given here and picks a random one.
            attachment.file.save(sniffed.extension, uploaded_file, save=False)
            stored_name = attachment.file.name
            try:
                attachment.full_clean()
            except ValidationError as exc:
                raise ApplicationError(
                    _("附件信息有误，请按提示修改。"),
                    field_errors=field_errors_from_validation_error(exc),
                ) from exc
            attachment.save(force_insert=True)
            audit_append(
                actor=actor,
                action="attachment.add",
                obj=attachment,
                changes={
                    "owner": f"{owner_type.app_label}.{owner_type.model}:{owner.pk}",
                    "kind": sniffed.kind,
                    "label": label,
                    "original_name": name,
                    "mime_type": sniffed.mime,
                    "size": size,
                    "sha256": sha256,
                    "stored_as": stored_name,
                },
            )
    except BaseException:
        if stored_name:
            _delete_stored(stored_name)
        raise
    return attachment


def _too_large(kind: str, size: int, limit: int) -> ApplicationError:
    return ApplicationError(
        _("%(kind)s不能超过 %(limit)s，本文件 %(size)s。请压缩后重新上传。")
        % {
            "kind": AttachmentKind(kind).label,
            "limit": format_size(limit),
            "size": format_size(size),
        },
        field_errors={"file": [_("文件过大（上限 %(limit)s）。") % {"limit": format_size(limit)}]},
    )


def _delete_stored(name: str) -> None:
    storage = Attachment._meta.get_field("file").storage
    try:
        storage.delete(name)
    except OSError:  # pragma: no cover - logged, the row is what matters
        logger.exception("could not remove stored attachment file %s", name)


@transaction.atomic
def attachment_remove(*, actor: Any, attachment: Attachment) -> None:
    """The uploader withdraws a file while the owning record is still open. The stored
    file is deleted once the transaction commits."""
    owner = attachment.owner
    if attachment.uploaded_by_id is None or attachment.uploaded_by_id != getattr(actor, "pk", None):
        raise PermissionRefused(_("只有上传人可以删除自己上传的附件。"))
    if not (may_view_owner(actor, owner) and may_change_owner(actor, owner)):
        raise PermissionRefused(_("您无权删除该附件。"))
    if not owner_is_open(owner):
        raise OwnerClosed(_closed_message(owner, _("该记录已办结或关闭，附件不能再删除。")))
    stored_name = attachment.file.name
    audit_append(
        actor=actor,
        action="attachment.remove",
        obj=attachment,
        changes={
            "owner": f"{attachment.owner_type.app_label}.{attachment.owner_type.model}:"
            f"{attachment.owner_id}",
            "original_name": attachment.original_name,
            "size": attachment.size,
            "sha256": attachment.sha256,
            "stored_as": stored_name,
        },
    )
    attachment.delete()
    transaction.on_commit(lambda: _delete_stored(stored_name))
