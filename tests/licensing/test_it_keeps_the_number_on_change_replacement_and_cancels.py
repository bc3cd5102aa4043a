"""变更 of non-licensed matters, 补证 and 注销 need no site check and are decided on
submission; the number stays and a new version is issued (注销 revokes)."""

import pytest

from tests.identity_helpers import submit_verified
from tests.licensing.conftest import issued_licence
from zonegov.core.errors import ApplicationError
from zonegov.core.models import Enterprise
from zonegov.licensing import services
from zonegov.licensing.models import Licence, PrintJob

pytestmark = pytest.mark.django_db


def _do(cast, licence, app_type, data):
    app = services.application_start(
        actor=cast.applicant, kind=licence.kind, app_type=app_type, licence=licence
    )
    app = services.application_update(
        actor=cast.applicant, application=app, data={"declarations": True, **data}
    )
    app = services.application_sign(actor=cast.applicant, application=app)
    return submit_verified(cast.applicant, app)


def test_a_change_of_address_is_instant_and_keeps_the_number(cast, lic):
    licence = issued_licence(cast, lic)
    number = licence.number
    app = _do(cast, licence, "change", {"address": "平顶山市高新区新住所路1号"})
    assert app.state == "issued" and app.instant
    licence.refresh_from_db()
    assert licence.number == number and licence.version == 2
    assert licence.address == "平顶山市高新区新住所路1号"


def test_a_change_of_premises_needs_a_site_check(cast, lic):
    licence = issued_licence(cast, lic)
    with pytest.raises(ApplicationError) as exc:
        _do(cast, licence, "change", {"premises_address": "平顶山市高新区另一处1号"})
    assert "拍摄指引" in exc.value.message


def test_a_change_without_changes_is_refused(cast, lic):
    licence = issued_licence(cast, lic)
    app = services.application_start(
        actor=cast.applicant, kind="licence", app_type="change", licence=licence
    )
    with pytest.raises(ApplicationError) as exc:
        services.application_sign(actor=cast.applicant, application=app)
    assert "至少要有一项变更" in exc.value.message


def test_replacement_reissues_the_same_content(cast, lic):
    licence = issued_licence(cast, lic)
    before = Licence.objects.values().get(pk=licence.pk)
    app = _do(cast, licence, "replace", {"reason": "遗失"})
    assert app.state == "issued"
    licence.refresh_from_db()
    assert licence.version == 2
    assert (
        licence.items == before["items"] and licence.premises_address == before["premises_address"]
    )
    assert PrintJob.objects.count() == 2


def test_cancellation_cancels_the_certificate(cast, lic):
    licence = issued_licence(cast, lic)
    doc = licence.current_document
    app = _do(cast, licence, "cancel", {"reason": "停止经营"})
    assert app.state == "issued"
    licence.refresh_from_db()
    doc.refresh_from_db()
    assert licence.status == "cancelled"
    assert doc.status == "cancelled"
    with pytest.raises(ApplicationError):
        services.application_start(
            actor=cast.applicant, kind="licence", app_type="replace", licence=licence
        )


def test_a_second_open_application_on_the_same_licence_is_refused(cast, lic):
    licence = issued_licence(cast, lic)
    services.application_start(
        actor=cast.applicant, kind="licence", app_type="replace", licence=licence
    )
    with pytest.raises(ApplicationError) as exc:
        services.application_start(
            actor=cast.applicant, kind="licence", app_type="cancel", licence=licence
        )
    assert "办理中的申请" in exc.value.message


def test_someone_elses_licence_cannot_be_used(cast, lic):
    licence = issued_licence(cast, lic)
    from zonegov.core.errors import PermissionRefused

    with pytest.raises(PermissionRefused):
        services.application_start(
            actor=cast.other_applicant, kind="licence", app_type="cancel", licence=licence
        )
    assert Enterprise.objects.count() == 2


def test_every_licence_change_is_announced_to_supervision(cast, lic):
    from zonegov.core.models import OutboxMessage

    licence = issued_licence(cast, lic)
    _do(cast, licence, "replace", {"reason": "损毁"})
    _do(cast, licence, "cancel", {"reason": "停止经营"})
    topics = list(OutboxMessage.objects.order_by("created_at").values_list("topic", flat=True))
    assert topics == ["licence.granted", "licence.replaced", "licence.cancelled"]
    payload = OutboxMessage.objects.order_by("created_at").first().payload
    assert payload["licence_number"] == licence.number
    assert payload["business_items"] == ["热食类食品制售", "自制饮品制售"]
