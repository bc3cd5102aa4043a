"""The 好差评 section of the dashboard (统计分析), registered in ``core.kpis`` by core
itself. The period selects ratings by 评价时间. Definitions:

* 评价数: ratings given in the period;
* 好评率: 好评 (``rules.GOOD_LEVELS``: 非常满意、满意、基本满意) ÷ 评价数;
* 差评数: ratings at ``rules.BAD_LEVELS`` (不满意、非常不满意);
* 按期整改: 差评 whose rectification was answered by its deadline (the CaseType's limit);
* 按期整改率: 按期整改 ÷ 差评数.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from zonegov.core import kpis
from zonegov.core.kpis import Figures, Measure, MeasureKind, Query
from zonegov.core.ratings import rules
from zonegov.core.ratings.models import ServiceRating
from zonegov.core.ratings.registry import rated_services

MEASURES = (
    Measure("ratings", _("评价数"), help=_("统计期间内的评价")),
    Measure(
        "good_share", _("好评率"), MeasureKind.SHARE, help=_("非常满意、满意、基本满意 ÷ 评价数")
    ),
    Measure("bad", _("差评数"), help=_("不满意、非常不满意")),
    Measure("answered", _("已答复整改"), help=_("差评中责任单位已答复的"), card=False),
    Measure(
        "on_time",
        _("按期整改"),
        help=_("差评中在整改期限内答复的"),
        card=False,
        chart=False,
    ),
    Measure("on_time_share", _("按期整改率"), MeasureKind.SHARE, help=_("按期整改 ÷ 差评数")),
)

SOURCE = kpis.Source(
    day="created_at", units=("unit",), park=kpis.ParkOf(unit="unit"), kind="service"
)


def _counts() -> dict[str, Any]:
    bad = Q(level__in=rules.BAD_LEVELS)
    answered = bad & Q(rectification__answered_at__isnull=False)
    return {
        "ratings": Count("pk"),
        "good": Count("pk", filter=Q(level__in=rules.GOOD_LEVELS)),
        "bad": Count("pk", filter=bad),
        "answered": Count("pk", filter=answered),
        "on_time": Count(
            "pk", filter=answered & Q(rectification__answered_at__lte=F("rectification__due_at"))
        ),
    }


def _finish(c: dict[str, Any]) -> dict[str, Any]:
    return {
        "ratings": c.get("ratings", 0),
        "good_share": kpis.share(c.get("good"), c.get("ratings")),
        "bad": c.get("bad", 0),
        "answered": c.get("answered", 0),
        "on_time": c.get("on_time", 0),
        "on_time_share": kpis.share(c.get("on_time"), c.get("bad")),
    }


def _unit_rows(present: set[str]) -> list[tuple[str, str]]:
    from zonegov.core.models import Unit

    ids = [int(k) for k in present if k.isdigit()]
    return [(str(u.pk), u.name) for u in Unit.objects.filter(pk__in=ids).order_by("path")]


def compute(query: Query) -> Figures:
    if query.dimension == "unit":
        qs = kpis.in_scope(
            kpis.in_period(ServiceRating.objects.all(), SOURCE.day, query.period),
            SOURCE,
            query.scope,
        ).annotate(g=F("unit_id"))
    else:
        qs = kpis.records(SOURCE, ServiceRating.objects.all(), query)
    grouped, total = kpis.tally(qs, _counts())
    values = {key: _finish(c) for key, c in grouped.items()}
    if query.dimension == "unit":
        labels = _unit_rows(set(values))
    else:
        labels = kpis.row_labels(
            query, values, kinds=[(s.key, str(s.label)) for s in rated_services()]
        )
    return kpis.assemble(MEASURES, labels, values, _finish(total))


SECTION = kpis.register(
    kpis.Section(
        key="ratings",
        title=_("政务服务好差评"),
        short_title=_("好差评"),
        measures=MEASURES,
        compute=compute,
        # Leaders and org admins (zone-wide); a unit's staff read their ratings at /ratings/.
        roles=frozenset(),
        dimensions=("kind", "unit", "month"),
        order=90,
        description=_("按评价时间统计：评价数、好评率、差评数和差评按期整改情况。"),
    )
)
