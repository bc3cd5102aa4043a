from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from zonegov.core.api.base import ERRORS
from zonegov.core.models import ApiToken
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
    token: str | None = None


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


@router.post("/tokens", response={201: TokenOut, **ERRORS}, summary="Create an API token (own)")
def token_create(request, payload: TokenIn):
    token, key = api_token_create(user=request.auth, name=payload.name)
    return Status(201, TokenOut(id=token.pk, name=token.name, prefix=token.prefix, token=key))


@router.delete("/tokens/{token_id}", response={204: None, **ERRORS}, summary="Revoke own token")
def token_revoke(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.auth)
    api_token_revoke(user=request.auth, token=token)
    return Status(204, None)
