"""延续 only between 90 and 15 working days before expiry (《食品经营许可和备案管理办法》
第二十三条, research note §1.5 [C]); outside it a clear refusal in Chinese."""

from datetime import timedelta

import pytest

from tests.identity_helpers import submit_verified
from tests.licensing.conftest import issued_licence, today
from zonegov.core import workdays
from zonegov.core.errors import ApplicationError
from zonegov.licensing import services
from zonegov.licensing.models import Licence

pytestmark = pytest.mark.django_db


def _expiring_in(licence, working_days: int) -> Licence:
    until = workdays.add_working_days(today(), working_days)
    Licence.objects.filter(pk=licence.pk).update(valid_until=until)
    licence.refresh_from_db()
    return licence


def _renew(cast, licence):
    return services.application_start(
        actor=cast.applicant, kind="licence", app_type="renew", licence=licence
    )


def test_it_refuses_a_renewal_too_early(cast, lic):
    licence = _expiring_in(issued_licence(cast, lic), 120)
    with pytest.raises(ApplicationError) as exc:
        _renew(cast, licence)
    assert "90至15个工作日" in exc.value.message
    assert "请于" in exc.value.message


def test_it_refuses_a_renewal_too_late(cast, lic):
    licence = _expiring_in(issued_licence(cast, lic), 10)
    with pytest.raises(ApplicationError) as exc:
        _renew(cast, licence)
    assert "已过延续申请期" in exc.value.message
    assert "停止经营" in exc.value.message


def test_it_refuses_renewing_an_expired_licence(cast, lic):
    licence = issued_licence(cast, lic)
    Licence.objects.filter(pk=licence.pk).update(valid_until=today() - timedelta(days=1))
    licence.refresh_from_db()
    with pytest.raises(ApplicationError) as exc:
        _renew(cast, licence)
    assert "过期" in exc.value.message


@pytest.mark.parametrize("left", [90, 50, 15])
def test_it_accepts_a_renewal_inside_the_window(cast, lic, left):
    licence = _expiring_in(issued_licence(cast, lic), left)
    app = _renew(cast, licence)
    assert app.state == "draft"


def test_an_unchanged_renewal_is_approved_instantly_keeping_the_number(cast, lic):
    licence = _expiring_in(issued_licence(cast, lic), 30)
    old_doc = licence.current_document
    app = _renew(cast, licence)
    app = services.application_update(
        actor=cast.applicant,
        application=app,
        data={"conditions_unchanged": True, "declarations": True},
    )
    app = services.application_sign(actor=cast.applicant, application=app)
    app = submit_verified(cast.applicant, app)
    assert app.state == "issued" and app.instant
    licence.refresh_from_db()
    assert licence.version == 2
    assert licence.current_document.number == f"{licence.number}-002"
    assert licence.valid_from == today()
    assert licence.valid_until == services.add_years(today(), 5) - timedelta(days=1)
    old_doc.refresh_from_db()
    assert old_doc.status == "changed"
    version = licence.versions.get(version=2)
    assert version.metadata["关联证照标识"] == licence.versions.get(version=1).identifier
    assert version.identifier.split(".")[-2] == "002"


def test_a_renewal_with_changed_conditions_goes_to_inspection(cast, lic):
    licence = _expiring_in(issued_licence(cast, lic), 30)
    app = _renew(cast, licence)
    app = services.application_update(
        actor=cast.applicant,
        application=app,
        data={"conditions_unchanged": False, "declarations": True},
    )
    app = services.application_sign(actor=cast.applicant, application=app)
    with pytest.raises(ApplicationError) as exc:
        services.application_submit(actor=cast.applicant, application=app)
    assert "拍摄指引" in exc.value.message
