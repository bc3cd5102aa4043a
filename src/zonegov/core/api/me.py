from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status

from zonegov.core.api.base import ERRORS, token_of
from zonegov.core.selectors.tokens import tokens_of
from zonegov.core.services.users import api_token_create, api_token_revoke


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    unit: str | None
    roles: list[str]
    is_staff_member: bool


class TokenIn(Schema):
    name: str


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    active: bool
    token: str | None = None


def _token_out(token, key: str | None = None) -> TokenOut:
    return TokenOut(
        id=token.pk,
        name=token.name,
        prefix=token.prefix,
        created_at=token.created_at,
        expires_at=token.expires_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
        active=token.is_active_at(timezone.now()),
        token=key,
    )


router = Router(tags=["me"])


@router.get("", response={200: MeOut, **ERRORS}, summary="Who am I (any logged-in user)")
def me(request):
    user = request.auth
    return MeOut(
        id=user.pk,
        username=user.username,
        full_name=user.display_name,
        unit=user.unit.name if user.unit_id else None,
        roles=sorted(user.role_codes()),
        is_staff_member=user.is_staff_member,
    )


@router.get("/tokens", response={200: list[TokenOut], **ERRORS}, summary="My API tokens")
def token_list(request):
    return [_token_out(t) for t in tokens_of(request.auth)[:500]]


@router.post(
    "/tokens",
    response={201: TokenOut, **ERRORS},
    summary="Create an API token (own; logged-in session only, 403 with a token)",
)
def token_create(request, payload: TokenIn):
    token, key = api_token_create(user=request.auth, name=payload.name, via_token=token_of(request))
    return Status(201, _token_out(token, key))


@router.delete("/tokens/{token_id}", response={204: None, **ERRORS}, summary="Revoke own token")
def token_revoke(request, token_id: int):
    token = get_object_or_404(tokens_of(request.auth), pk=token_id)
    api_token_revoke(user=request.auth, token=token)
    return Status(204, None)
