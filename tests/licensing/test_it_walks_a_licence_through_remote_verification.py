"""A new 食品经营许可证 for a caterer needs a site check: the applicant uploads the
capture guide's shots, the officer accepts, the inspector judges each item remotely, the
approver grants and the certificate is issued with a JY number."""

from datetime import timedelta

import pytest

from tests.licensing.conftest import inspecting, pass_all, signed, submitted_licence, upload
from zonegov.core import workdays
from zonegov.core.errors import ApplicationError, PermissionRefused
from zonegov.core.periods import years_end
from zonegov.licensing import identifiers, services
from zonegov.licensing.models import Licence

pytestmark = pytest.mark.django_db


def test_submission_without_the_guide_shots_is_refused_in_chinese(cast, lic):
    app = signed(cast)
    upload(app, cast.applicant, "storefront")
    with pytest.raises(ApplicationError) as exc:
        services.application_submit(actor=cast.applicant, application=app)
    assert "请按拍摄指引上传" in exc.value.message
    assert "加工操作间" in exc.value.message
    assert "门头" not in exc.value.message  # that one is there


def test_a_new_licence_goes_to_officers(cast, lic):
    app = submitted_licence(cast)
    assert app.state == "submitted"
    assert app.needs_site_check
    assert not Licence.objects.exists()


def test_acceptance_starts_the_ten_working_day_clock(cast, lic):
    app = inspecting(cast)
    assert app.state == "inspecting"
    assert app.inspection_unit == lic.inspection
    expected = workdays.due_at(app.opened_at, 0)  # only the day matters below
    assert app.due_at.date() >= expected.date()
    left = workdays.working_days_between(
        workdays.local_date(app.due_at) - timedelta(days=30), workdays.local_date(app.due_at)
    )
    assert left > 0


def test_a_fail_needs_a_note_and_every_item_needs_a_verdict(cast, lic):
    app = inspecting(cast)
    with pytest.raises(ApplicationError) as exc:
        services.site_check_record(
            actor=lic.inspector, application=app, code="kitchen", result="fail"
        )
    assert "写明问题" in exc.value.message
    services.site_check_record(actor=lic.inspector, application=app, code="kitchen", result="pass")
    with pytest.raises(ApplicationError) as exc:
        services.inspection_finish(actor=lic.inspector, application=app)
    assert "未给出结论" in exc.value.message


def test_only_inspectors_record_checks(cast, lic):
    app = inspecting(cast)
    with pytest.raises(PermissionRefused):
        services.site_check_record(
            actor=cast.officer, application=app, code="kitchen", result="pass"
        )


def test_approval_issues_a_jy_certificate_valid_five_years(cast, lic):
    app = pass_all(inspecting(cast), lic.inspector)
    assert app.state == "reviewing"
    app = services.application_approve(actor=cast.officer, application=app, note="同意")
    assert app.state == "issued"
    licence = Licence.objects.get()
    assert licence.number.startswith("JY2410471")  # the zone's code
    identifiers.validate_permit_number(licence.number)
    assert licence.valid_until == years_end(licence.valid_from, 5)
    assert licence.current_document.number == licence.number
    assert not app.instant


def test_the_applicant_cannot_approve(cast, lic):
    app = pass_all(inspecting(cast), lic.inspector)
    with pytest.raises(PermissionRefused):
        services.application_approve(actor=cast.applicant, application=app)
