"""Attack on the print queue: an officer of another unit marking someone else's paper copy
as printed (it then leaves the counter's queue unprinted) — refused as a 404, like every
other record of another unit."""

import pytest

from tests.licensing.conftest import issued_licence
from zonegov.licensing.models import PrintJob

pytestmark = pytest.mark.django_db


def test_an_officer_of_another_unit_cannot_mark_a_copy_printed(cast, lic, login):
    issued_licence(cast, lic)
    job = PrintJob.objects.get()
    response = login(lic.stranger_officer).post(f"/licensing/print/{job.pk}/done/")
    assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == "queued" and job.printed_at is None
    missing = login(lic.stranger_officer).post(f"/licensing/print/{job.pk + 999}/done/")
    assert missing.status_code == 404  # the same answer as for a job that does not exist
