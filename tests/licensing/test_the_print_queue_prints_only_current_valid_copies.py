"""Issue 12 defect 9: the print queue listed revoked licences and superseded versions, had
no print link, and its "已打印" button read like a status."""

import pytest

from tests.identity_helpers import submit_verified
from tests.licensing.conftest import issued_licence
from zonegov.licensing import services
from zonegov.licensing.models import PrintJob

pytestmark = pytest.mark.django_db

QUEUE = "/licensing/workbench/?queue=print"


def _replace(cast, licence):
    app = services.application_start(
        actor=cast.applicant, kind=licence.kind, app_type="replace", licence=licence
    )
    app = services.application_update(
        actor=cast.applicant, application=app, data={"declarations": True, "reason": "遗失"}
    )
    app = services.application_sign(actor=cast.applicant, application=app)
    return submit_verified(cast.applicant, app)


def test_a_superseded_version_leaves_the_queue(cast, lic, login):
    licence = issued_licence(cast, lic)
    _replace(cast, licence)
    assert PrintJob.objects.filter(status="queued").count() == 2
    page = login(cast.officer).get(QUEUE).content.decode()
    rows = page.count('data-testid="print-row"')
    assert rows == 1
    job = PrintJob.objects.get(version__version=2)
    assert f"/licensing/print/{job.pk}/pdf" in page
    assert "标记为已打印" in page
    old = PrintJob.objects.get(version__version=1)
    assert login(cast.officer).get(f"/licensing/print/{old.pk}/pdf").status_code == 404


def test_a_revoked_licence_leaves_the_queue(cast, lic, login):
    licence = issued_licence(cast, lic)
    services.licence_revoke(
        actor=cast.officer,
        licence=licence,
        reason="情节严重",
        decision_number="平高市监罚〔2026〕1号",
    )
    page = login(cast.officer).get(QUEUE).content.decode()
    assert 'data-testid="print-row"' not in page
    assert licence.number not in page


def test_the_print_link_opens_the_certificate_for_the_counter_only(cast, lic, login):
    licence = issued_licence(cast, lic)
    job = PrintJob.objects.get()
    response = login(cast.officer).get(f"/licensing/print/{job.pk}/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response.content.startswith(b"%PDF")
    assert login(cast.applicant).get(f"/licensing/print/{job.pk}/pdf").status_code == 403
    assert login(lic.stranger_officer).get(f"/licensing/print/{job.pk}/pdf").status_code == 404
    login(cast.officer).post(f"/licensing/print/{job.pk}/done/")
    job.refresh_from_db()
    assert job.status == "printed"
    assert (
        licence.number
        not in login(cast.officer).get(QUEUE).content.decode().split('data-testid="print-queue"')[1]
    )
