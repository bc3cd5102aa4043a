"""Reads of 好差评, scoped to the user."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from zonegov.core.ratings import rules
from zonegov.core.ratings.models import RatingRectification, ServiceRating


def _staff_scope(user: Any) -> Q | None:
    if not getattr(user, "is_authenticated", False) or not user.is_staff_member:
        return None
    return Q(unit__path__startswith=user.unit.path)


def ratings_for(
    user: Any, *, service: str = "", bad_only: bool = False, state: str = ""
) -> QuerySet[ServiceRating]:
    """Ratings of cases handled by the staff member's unit or a unit below it, newest
    first; for anyone else, nothing."""
    scope = _staff_scope(user)
    if scope is None:
        return ServiceRating.objects.none()
    qs = ServiceRating.objects.filter(scope)
    if service:
        qs = qs.filter(service=service)
    if bad_only:
        qs = qs.filter(level__in=rules.BAD_LEVELS)
    if state:
        qs = qs.filter(rectification__state=state)
    return qs.select_related("unit", "rater", "rectification")


def rectifications_for(user: Any, *, open_only: bool = False) -> QuerySet[RatingRectification]:
    scope = _staff_scope(user)
    if scope is None:
        return RatingRectification.objects.none()
    qs = RatingRectification.objects.filter(scope)
    if open_only:
        qs = qs.exclude(state__in=RatingRectification.CLOSED_STATES)
    return qs.select_related("rating", "unit")


def access_rectification(user: Any, pk: int) -> RatingRectification:
    """The rectification case for the rater or staff of its unit (or above); 404 otherwise."""
    case = (
        RatingRectification.objects.select_related("rating", "rating__rater", "unit")
        .filter(pk=pk)
        .first()
    )
    if case is None or not getattr(user, "is_authenticated", False):
        raise Http404
    if case.rating.rater_id == user.pk:
        return case
    scope = _staff_scope(user)
    if scope is None or not case.unit.path.startswith(user.unit.path):
        raise Http404
    return case


def rating_of(user: Any, service_key: str, reference: str) -> ServiceRating | None:
    """The user's own rating of a case, with its rectification."""
    return (
        ServiceRating.objects.filter(service=service_key, case_reference=reference, rater=user)
        .select_related("unit")
        .first()
    )


def rectification_of(rating: ServiceRating) -> RatingRectification | None:
    return RatingRectification.objects.filter(rating=rating).first()
