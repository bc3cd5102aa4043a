"""Issue 12 defect 1: errors on a 延续 draft and on the application page are sentences,
never Python reprs such as ``('premises', ['请选择：经营场所使用面积。', …])``."""

import re

import pytest

from tests.licensing.conftest import issued_licence
from zonegov.core import workdays
from zonegov.licensing import services
from zonegov.licensing.models import Licence

pytestmark = pytest.mark.django_db

REPR = re.compile(r"\('\w+', \[|\[&#x27;|\(&#x27;|&#x27;\]")


def _renewal_draft(cast, lic):
    from datetime import timedelta

    from django.utils import timezone

    licence = issued_licence(cast, lic)
    day, counted = timezone.localdate(), 0
    while counted < 40:
        if workdays.is_working_day(day):
            counted += 1
        day += timedelta(days=1)
    Licence.objects.filter(pk=licence.pk).update(valid_until=day)
    licence.refresh_from_db()
    return services.application_start(
        actor=cast.applicant, kind="licence", app_type="renew", licence=licence
    )


def test_a_renewal_draft_signed_half_done_lists_sentences(cast, lic, login):
    app = _renewal_draft(cast, lic)
    client = login(cast.applicant)
    page = client.get(app.get_absolute_url()).content.decode()
    assert not REPR.search(page), REPR.search(page)
    response = client.post(
        f"/licensing/applications/{app.pk}/save/",
        {"then": "sign", "operator_name": app.operator_name, "fact_area": ""},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert not REPR.search(page), REPR.search(page)
    response = client.post(f"/licensing/applications/{app.pk}/sign/", follow=True)
    page = response.content.decode()
    assert not REPR.search(page), REPR.search(page)
