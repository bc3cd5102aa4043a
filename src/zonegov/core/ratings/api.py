"""``/api/ratings``: the applicant submits a rating; staff list ratings in their scope and
answer a 差评. Bad input answers 400 with the field named, never 500."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Field, Router, Schema, Status

from zonegov.core.access import require_staff
from zonegov.core.api.base import ERRORS
from zonegov.core.ratings import rules, selectors, services
from zonegov.core.ratings.models import ServiceRating

router = Router(tags=["ratings"])


class RatingIn(Schema):
    service: Annotated[str, Field(min_length=1, max_length=40)]
    reference: Annotated[str, Field(min_length=1, max_length=50)]
    level: Annotated[int, Field(ge=1, le=5, description="5 非常满意 … 1 非常不满意")]
    comment: Annotated[str, Field(max_length=rules.COMMENT_MAX_LENGTH)] = ""
    channel: rules.Channel = rules.Channel.PC


class RatingOut(Schema):
    id: int
    service: str
    case_reference: str
    unit_id: int
    level: int
    level_label: str
    gb_code: int = Field(description="满意度代码, GB/T 39046—2020 A.8 (1 非常满意 … 5 非常不满意)")
    comment: str
    channel: str
    created_at: datetime
    rectification_id: int | None
    rectification_state: str | None

    @staticmethod
    def resolve_level_label(obj: ServiceRating) -> str:
        return obj.get_level_display()

    @staticmethod
    def resolve_gb_code(obj: ServiceRating) -> int:
        return rules.CODES[obj.level].gb_code

    @staticmethod
    def resolve_rectification_id(obj: ServiceRating) -> int | None:
        rect = getattr(obj, "rectification", None) if obj.is_bad else None
        return rect.pk if rect else None

    @staticmethod
    def resolve_rectification_state(obj: ServiceRating) -> str | None:
        rect = getattr(obj, "rectification", None) if obj.is_bad else None
        return rect.state if rect else None


class AnswerIn(Schema):
    answer: Annotated[str, Field(min_length=1, max_length=rules.ANSWER_MAX_LENGTH)]


class RectificationOut(Schema):
    id: int
    reference: str
    state: str
    rating_id: int
    unit_id: int
    due_at: datetime | None
    answer: str
    answered_at: datetime | None
    callback_result: str


@router.post("", response={201: RatingOut, **ERRORS}, summary="Rate a finished case (applicant)")
def submit_rating(request, payload: RatingIn):
    rating = services.rating_submit(
        actor=request.auth,
        service_key=payload.service,
        reference=payload.reference,
        level=payload.level,
        comment=payload.comment,
        channel=payload.channel,
    )
    return Status(201, rating)


@router.get("", response={200: list[RatingOut], **ERRORS}, summary="Ratings in my scope (staff)")
def list_ratings(request, service: str = "", bad_only: bool = False, limit: int = 100):
    require_staff(request.auth)
    limit = max(1, min(limit, 500))
    return list(
        selectors.ratings_for(request.auth, service=service[:40], bad_only=bad_only)[:limit]
    )


@router.post(
    "/rectifications/{rectification_id}/answer",
    response={200: RectificationOut, **ERRORS},
    summary="Answer a 差评 (staff of the unit)",
)
def answer_rectification(request, rectification_id: int, payload: AnswerIn):
    require_staff(request.auth)
    case = selectors.access_rectification(request.auth, rectification_id)
    return services.rectification_answer(
        actor=request.auth, rectification=case, answer=payload.answer
    )


class CallbackIn(Schema):
    result: rules.CallbackResult
    note: Annotated[str, Field(max_length=rules.ANSWER_MAX_LENGTH)] = ""


@router.post(
    "/rectifications/{rectification_id}/callback",
    response={200: RectificationOut, **ERRORS},
    summary="回访: the rater (or an officer, with a note) says whether satisfied",
)
def callback_rectification(request, rectification_id: int, payload: CallbackIn):
    case = selectors.access_rectification(request.auth, rectification_id)
    return services.rectification_callback(
        actor=request.auth, rectification=case, result=payload.result, note=payload.note
    )
