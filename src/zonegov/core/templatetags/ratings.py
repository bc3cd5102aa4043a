"""``{% rating_prompt service_key reference %}``: on a module's case page, the link to
rate the finished case (评价本次服务), or the rating already given. Renders nothing for
anyone but the case's applicant or while the case cannot be rated."""

from typing import Any

from django import template
from django.http import Http404

from zonegov.core.ratings.registry import service_label

register = template.Library()


@register.inclusion_tag("core/ratings/prompt.html", takes_context=True)
def rating_prompt(context: Any, service_key: str, reference: str) -> dict[str, Any]:
    from zonegov.core.ratings import selectors, services

    request = context.get("request")
    user = getattr(request, "user", None)
    out: dict[str, Any] = {"show": False}
    try:
        _service, case = services.access_rated_case(
            user=user, service_key=service_key, reference=reference
        )
    except Http404:
        return out
    rating = selectors.rating_of(user, service_key, case.reference)
    if rating is None and services.rating_refusal(case):
        return out
    return {"show": True, "rating": rating, "service": service_key, "reference": case.reference}


@register.filter
def rated_service_label(key: str) -> str:
    return service_label(key)
