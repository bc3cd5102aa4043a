"""Helpers of the API client tests: issue a client as the zone's org admin, call the API
with its key, and issued documents written straight to the table (no PDF needed: the
status endpoints read only the record)."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from django.test import Client
from django.utils import timezone

from zonegov.core.api_scopes import DOCUMENTS_STATUS
from zonegov.core.models import IssuedDocument
from zonegov.core.models.documents import DocumentStatus
from zonegov.core.services.api_clients import api_client_issue


def issue(cast, *, scopes=(DOCUMENTS_STATUS,), expires_at=None, name="外卖平台资质核验"):
    """(client, key record, key) issued by the zone-level org admin."""
    return api_client_issue(
        actor=cast.admin,
        name=name,
        organisation="某外卖平台",
        contact="赵工 13900000000",
        scopes=list(scopes),
        expires_at=expires_at,
    )


def key_header(key: str) -> dict:
    return {"HTTP_X_API_KEY": key}


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def get(path: str, key: str | None = None, **extra):
    return Client().get(path, **(key_header(key) if key else {}), **extra)


def post_json(path: str, body, key: str | None = None, **extra):
    return Client().post(
        path, body, content_type="application/json", **(key_header(key) if key else {}), **extra
    )


def make_document(
    number: str,
    *,
    status: str = DocumentStatus.VALID,
    valid_until: date | None = None,
    replaces: IssuedDocument | None = None,
) -> IssuedDocument:
    return IssuedDocument.objects.create(
        number=number,
        kind="food_licence",
        title="食品经营许可证",
        holder_name="平顶山市好味餐饮有限公司",
        public_fields={"经营场所": "高新区火炬路 1 号"},
        file=f"documents/{number}.pdf",
        sha256=hashlib.sha256(number.encode()).hexdigest(),
        signer_fingerprint="0" * 64,
        status=status,
        status_changed_at=timezone.now() if status != DocumentStatus.VALID else None,
        issued_at=timezone.now() - timedelta(days=30),
        valid_until=valid_until or (timezone.localdate() + timedelta(days=365 * 5)),
        issuer_name="平顶山高新区行政审批局",
        replaces=replaces,
    )
