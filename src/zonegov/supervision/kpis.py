"""Figures of food-safety supervision and sampling for the dashboard (统计分析),
registered in ``core.kpis``. Reads supervision models (and the core enterprise registry,
for the park of an operator, matched by its 统一社会信用代码).

Definitions, for the period chosen:

* 检查户次: routine inspections (日常监督检查, 总局令第49号) whose result was recorded
  with an inspection date in the period; 符合 / 基本符合 / 不符合 are their outcomes;
* 检查合格率: (符合 + 基本符合) ÷ 检查户次 — 基本符合 counts as passed because the
  operator may keep operating (rectification, if any, is ordered and tracked);
* 抽检批次 / 不合格批次 / 抽检合格率: samples taken in the period (抽样日期) and their
  conclusion (总局令第15号: a sample is 不合格 when any item fails); 检验项目 counts the
  items tested on them;
* 核查处置: follow-up cases opened / concluded in the period.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonegov.core import kpis
from zonegov.core.kpis import Figures, Measure, MeasureKind, Query
from zonegov.supervision.models import (
    FollowUp,
    FollowUpState,
    Inspection,
    Outcome,
    SampleResult,
    Sampling,
    SamplingItem,
)
from zonegov.supervision.rules import ACTING_ROLES

MEASURES = (
    Measure(
        "inspections", gettext_lazy("检查户次"), help=gettext_lazy("期间内记录结果的日常监督检查")
    ),
    Measure("compliant", gettext_lazy("符合"), card=False, chart=False),
    Measure("basically", gettext_lazy("基本符合"), card=False, chart=False),
    Measure("noncompliant", gettext_lazy("不符合")),
    Measure(
        "inspection_pass_rate",
        gettext_lazy("检查合格率"),
        MeasureKind.SHARE,
        help=gettext_lazy("（符合＋基本符合）÷ 检查户次"),
    ),
    Measure("samplings", gettext_lazy("抽检批次"), help=gettext_lazy("期间内抽样的批次")),
    Measure("samplings_failed", gettext_lazy("不合格批次")),
    Measure(
        "sampling_pass_rate",
        gettext_lazy("抽检合格率"),
        MeasureKind.SHARE,
        help=gettext_lazy("合格批次 ÷ 抽检批次（任一检验项目不合格即判该批次不合格）"),
    ),
    Measure("items_tested", gettext_lazy("检验项目数"), card=False, chart=False),
    Measure("items_failed", gettext_lazy("不合格项目数"), card=False, chart=False),
    Measure(
        "followups_opened",
        gettext_lazy("核查处置立案"),
        help=gettext_lazy("期间内因抽检不合格立案的核查处置"),
        chart=False,
    ),
    Measure(
        "followups_closed",
        gettext_lazy("核查处置办结"),
        help=gettext_lazy("期间内处置完毕的核查处置"),
        chart=False,
    ),
)


def _source(operator: str, day: str) -> kpis.Source:
    """Records of ``operator`` (the lookup to the SupervisedOperator: "operator",
    "sampling__operator") by ``day``. The park of an operator is that of its enterprise in
    the core registry, matched by 统一社会信用代码."""
    return kpis.Source(
        day=day,
        units=(f"{operator}__unit",),
        park=kpis.ParkOf(uscc=f"{operator}__enterprise_uscc"),
        kind=f"{operator}__kind_name",
    )


INSPECTIONS = _source("operator", "inspected_on")
SAMPLINGS = _source("operator", "sampled_on")
SAMPLING_ITEMS = _source("sampling__operator", "sampling__sampled_on")
FOLLOWUPS_OPENED = _source("operator", "opened_at")
FOLLOWUPS_CLOSED = _source("operator", "closed_at")


def _finish(v: dict[str, Any]) -> dict[str, Any]:
    out = dict(v)
    out["inspection_pass_rate"] = kpis.share(
        (v.get("compliant") or 0) + (v.get("basically") or 0), v.get("inspections")
    )
    out["sampling_pass_rate"] = kpis.share(
        (v.get("samplings") or 0) - (v.get("samplings_failed") or 0), v.get("samplings")
    )
    return out


def compute(query: Query) -> Figures:
    def tally(source: kpis.Source, qs: QuerySet, counts: dict[str, Any]) -> kpis.Tally:
        return kpis.tally(kpis.records(source, qs, query), counts)

    values, total = kpis.merge(
        [
            tally(
                INSPECTIONS,
                Inspection.objects.exclude(outcome=""),
                {
                    "inspections": Count("pk"),
                    "compliant": Count("pk", filter=Q(outcome=Outcome.COMPLIANT)),
                    "basically": Count("pk", filter=Q(outcome=Outcome.BASICALLY)),
                    "noncompliant": Count("pk", filter=Q(outcome=Outcome.NONCOMPLIANT)),
                },
            ),
            tally(
                SAMPLINGS,
                Sampling.objects.all(),
                {
                    "samplings": Count("pk"),
                    "samplings_failed": Count("pk", filter=Q(result=SampleResult.FAIL)),
                },
            ),
            tally(
                SAMPLING_ITEMS,
                SamplingItem.objects.all(),
                {
                    "items_tested": Count("pk"),
                    "items_failed": Count("pk", filter=Q(result=SampleResult.FAIL)),
                },
            ),
            tally(FOLLOWUPS_OPENED, FollowUp.objects.all(), {"followups_opened": Count("pk")}),
            tally(
                FOLLOWUPS_CLOSED,
                FollowUp.objects.filter(state=FollowUpState.HANDLED),
                {"followups_closed": Count("pk")},
            ),
        ]
    )
    finished = {key: _finish(v) for key, v in values.items()}
    labels = kpis.row_labels(query, finished, unnamed_kind=_("未注明种类"))
    return kpis.assemble(MEASURES, labels, finished, _finish(total))


SECTION = kpis.register(
    kpis.Section(
        key="supervision",
        title=gettext_lazy("食品安全监督检查与抽检"),
        short_title=gettext_lazy("监管抽检"),
        measures=MEASURES,
        compute=compute,
        roles=ACTING_ROLES,
        park_officers=True,
        order=20,
        description=gettext_lazy(
            "日常监督检查结果、抽检合格情况与不合格后的核查处置（按检查日期、抽样日期统计）。"
        ),
    )
)
