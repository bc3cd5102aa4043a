"""政务服务"好差评" (国办发〔2019〕51号) as a core service every module uses.

- ``registry.register_rated_service(key, label, resolve)``: a module declares a service
  whose finished cases can be rated (licensing: ``licensing/apps.py``);
- ``rules``: the five levels and their codes (GB/T 39046 A.8 and provincial), 差评 and
  好评 levels, channels, the rating window and the 差评 deadline's CaseType — every
  unconfirmed rule marked [U] there;
- ``models``: ``ServiceRating`` (one per case and rater) and ``RatingRectification``
  (the 差评整改 case, a ``WorkflowCase``);
- ``services`` (writes), ``selectors`` (scoped reads), ``views``/``urls`` (/ratings/),
  ``api`` (/api/ratings), ``kpis`` (the dashboard's 好差评 section).

The module's case template shows ``{% load ratings %}{% rating_prompt key reference %}``.
See docs/ratings.md.
"""

from zonegov.core.ratings.registry import (
    RatedCase,
    RatedService,
    get_rated_service,
    rated_services,
    register_rated_service,
    unregister_rated_service,
)

__all__ = [
    "RatedCase",
    "RatedService",
    "get_rated_service",
    "rated_services",
    "register_rated_service",
    "unregister_rated_service",
]
