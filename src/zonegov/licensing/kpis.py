"""Figures of food-business licensing for the dashboard (统计分析), registered in
``core.kpis``. Reads licensing models only.

The period selects applications by submission time (``submitted_at``, the last
submission when a correction was asked for). Definitions:

* 申请件数: applications submitted in the period (withdrawn ones included);
* 准予许可 / 不予许可: of those, approved (including the certificate step) / rejected;
* 即申即审占比: applications decided on submission ÷ applications;
* 办结用时中位数: for approvals, from submission to the first certificate issued for
  the application (or the decision, for a 注销 which issues none), in working days
  (《行政许可法》第八十二条 counting: the day of receipt is not counted) and in hours;
* 电子证照签发率: approvals that issued a signed e-certificate ÷ approvals that issue a
  certificate (every type but 注销). The source page reports 38 operators and 100%.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from zonegov.core import kpis
from zonegov.core.kpis import Figures, Measure, MeasureKind, Query
from zonegov.licensing import kinds
from zonegov.licensing.kinds import AppType
from zonegov.licensing.models import Application, AppState, LicenceVersion
from zonegov.licensing.rules import LICENSING_ROLES

APPROVED = (AppState.APPROVED, AppState.ISSUED)

MEASURES = (
    Measure("applications", _("申请件数"), help=_("统计期间内提交的申请（含已撤回）")),
    Measure("approvals", _("准予许可"), help=_("其中已准予许可（含注销、补证等）")),
    Measure("rejections", _("不予许可"), help=_("其中作出不予许可决定的")),
    Measure(
        "instant",
        _("即申即审件数"),
        help=_("提交时即自动准予并签发电子证照的"),
        card=False,
        chart=False,
    ),
    Measure(
        "instant_share",
        _("即申即审占比"),
        MeasureKind.SHARE,
        help=_("即申即审件数 ÷ 申请件数"),
    ),
    Measure(
        "median_workdays",
        _("办结用时中位数（工作日）"),
        MeasureKind.DAYS,
        help=_("准予许可的申请，自提交至签发证书（注销为作出决定）的工作日数，提交当日不计"),
        chart=False,
    ),
    Measure(
        "median_hours",
        _("办结用时中位数（小时）"),
        MeasureKind.HOURS,
        help=_("同上，按实际经过的小时计"),
        chart=False,
    ),
    Measure(
        "e_certificates",
        _("电子证照签发数"),
        help=_("准予许可并签发了电子证照（已签名的电子证书）的申请"),
        card=False,
        chart=False,
    ),
    Measure(
        "e_certificate_rate",
        _("电子证照签发率"),
        MeasureKind.SHARE,
        help=_("电子证照签发数 ÷ 应发证的准予许可件数（注销不发证，不计入）"),
    ),
)


SOURCE = kpis.Source(
    day="submitted_at",
    # As the workbench: cases of the unit, or sent to it for inspection.
    units=("unit", "inspection_unit"),
    park=kpis.ParkOf(unit="enterprise__park"),
    kind="kind",
)


def _counts(qs: QuerySet[Application]) -> dict[str, Any]:
    approved = Q(state__in=APPROVED)
    certifying = approved & ~Q(app_type=AppType.CANCEL)
    return {
        "applications": Count("pk"),
        "approvals": Count("pk", filter=approved),
        "rejections": Count("pk", filter=Q(state=AppState.REJECTED)),
        "instant": Count("pk", filter=Q(instant=True)),
        "certifying": Count("pk", filter=certifying),
        "e_certificates": Count("pk", filter=certifying & Q(has_certificate=True)),
    }


def _finish(counts: dict[str, Any], times: list[tuple[float, int]]) -> dict[str, Any]:
    return {
        "applications": counts.get("applications", 0),
        "approvals": counts.get("approvals", 0),
        "rejections": counts.get("rejections", 0),
        "instant": counts.get("instant", 0),
        "instant_share": kpis.share(counts.get("instant"), counts.get("applications")),
        "median_workdays": kpis.median([float(d) for _h, d in times]),
        "median_hours": kpis.median([h for h, _d in times]),
        "e_certificates": counts.get("e_certificates", 0),
        "e_certificate_rate": kpis.share(counts.get("e_certificates"), counts.get("certifying")),
    }


def compute(query: Query) -> Figures:
    """Counts are aggregated in the database (one grouped query and one total); the
    medians read two timestamps per approved application in the period."""
    versions = LicenceVersion.objects.filter(application=OuterRef("pk"))
    qs = kpis.records(SOURCE, Application.objects.all(), query)
    qs = qs.annotate(has_certificate=Exists(versions))
    grouped, total = kpis.tally(qs, _counts(qs))

    first_issue = Subquery(versions.order_by("issued_at").values("issued_at")[:1])
    done = (
        qs.filter(state__in=APPROVED)
        .annotate(done_at=Coalesce(first_issue, F("decided_at")))
        .filter(done_at__isnull=False)
        .values_list("g", "submitted_at", "done_at")
    )
    times = kpis.durations(done.iterator(chunk_size=2000))
    all_times = [t for ts in times.values() for t in ts]

    values = {key: _finish(c, times.get(key, [])) for key, c in grouped.items()}
    labels = kpis.row_labels(query, values, kinds=[(k.code, k.name) for k in kinds.KINDS.values()])
    return kpis.assemble(MEASURES, labels, values, _finish(total, all_times))


SECTION = kpis.register(
    kpis.Section(
        key="licensing",
        title=_("食品经营许可"),
        short_title=_("许可"),
        measures=MEASURES,
        compute=compute,
        roles=frozenset(LICENSING_ROLES),
        park_officers=True,
        order=10,
        description=_(
            "按提交时间统计期间内的申请：受理办结、即申即审、办结用时与电子证照签发情况。"
        ),
    )
)
