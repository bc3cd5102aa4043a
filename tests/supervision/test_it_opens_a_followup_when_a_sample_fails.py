"""抽检: a 不合格 item makes the sample fail and opens 核查处置 with its deadline."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zonegov.core.errors import ApplicationError
from zonegov.core.models import Attachment, CaseType
from zonegov.supervision import services
from zonegov.supervision.models import FollowUp, FollowUpState, SampleResult

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _record(sup, operator, *results, report=None):
    return services.sampling_record(
        actor=sup.supervisor,
        operator=operator,
        sample_name="凉拌菜",
        batch_number="2026-11-20",
        sampled_on=timezone.localdate(),
        laboratory="平顶山市食品药品检验检测中心",
        report_number="BG-001",
        report_file=report,
        items=[
            services.SampleItemInput(
                item_tested=name, standard="GB 2762-2022", measured=m, result=r
            )
            for name, m, r in results
        ],
    )


@time_machine.travel(datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_a_failed_item_opens_a_followup_with_the_case_types_deadline(sup, operator):
    sampling = _record(
        sup,
        operator,
        ("铅（以Pb计）", "0.05mg/kg", SampleResult.PASS),
        ("大肠菌群", "超标", SampleResult.FAIL),
        report=SimpleUploadedFile("report.pdf", PDF),
    )
    assert sampling.result == SampleResult.FAIL
    followup = FollowUp.objects.get(sampling=sampling)
    assert followup.state == FollowUpState.OPEN
    assert "大肠菌群" in followup.reason
    # UNCONFIRMED 3 months (supervision 0004): 1 December + 3 months = 1 March.
    assert CaseType.objects.get(code="supervision_followup").limit_unit == "months"
    assert timezone.localtime(followup.due_at).date() == date(2027, 3, 1)
    assert Attachment.objects.filter(owner_id=str(sampling.pk)).count() == 1

    services.followup_act(actor=sup.inspector, followup=followup, action="investigate")
    with pytest.raises(ApplicationError):
        services.followup_act(actor=sup.inspector, followup=followup, action="conclude")
    followup = services.followup_act(
        actor=sup.inspector, followup=followup, action="conclude", note="已下架召回并立案调查"
    )
    assert followup.state == FollowUpState.HANDLED and followup.closed_at


def test_a_passed_sample_opens_nothing(sup, operator):
    sampling = _record(sup, operator, ("铅（以Pb计）", "0.05mg/kg", SampleResult.PASS))
    assert sampling.result == SampleResult.PASS
    assert not FollowUp.objects.exists()


def test_it_refuses_a_sampling_without_items_or_lab(sup, operator):
    with pytest.raises(ApplicationError) as exc:
        services.sampling_record(
            actor=sup.supervisor,
            operator=operator,
            sample_name="凉拌菜",
            batch_number="",
            sampled_on=None,
            laboratory="",
            items=[services.SampleItemInput(item_tested="", result="")],
        )
    assert {"batch_number", "sampled_on", "laboratory", "items"} <= set(exc.value.field_errors)


def test_it_refuses_a_report_that_is_not_a_pdf_or_photo_and_keeps_nothing(sup, operator):
    with pytest.raises(ApplicationError):
        _record(
            sup,
            operator,
            ("大肠菌群", "超标", SampleResult.FAIL),
            report=SimpleUploadedFile("report.pdf", b"MZ not a pdf"),
        )
