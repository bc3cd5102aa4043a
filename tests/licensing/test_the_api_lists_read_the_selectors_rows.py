"""The API's list schemas read the selectors' rows as they are (no dict copied by hand in
the endpoint): every field a client reads is there, with the values the pages show."""

import pytest

from tests.licensing.conftest import issued_licence, submitted_licence, today
from zonegov.core import workdays
from zonegov.licensing import selectors, services
from zonegov.licensing.models import Licence

pytestmark = pytest.mark.django_db

LIBRARY_FIELDS = {
    "id",
    "number",
    "kind",
    "kind_label",
    "status",
    "status_label",
    "operator_name",
    "holder_code",
    "legal_rep",
    "address",
    "premises_address",
    "subject_type_name",
    "items",
    "valid_from",
    "valid_until",
    "version",
    "park_name",
    "certificate_number",
    "unit_name",
}


def test_a_library_row_carries_the_licence_and_its_derived_names(cast, lic, login):
    licence = issued_licence(cast, lic)
    body = login(cast.officer).get("/api/licensing/library").json()
    (row,) = body["results"]
    assert set(row) == LIBRARY_FIELDS
    assert row["id"] == licence.pk and row["number"] == licence.number
    assert row["kind_label"] == "食品经营许可证" and row["status_label"] == "有效"
    assert row["items"] == services.licence_item_names(licence)
    assert row["subject_type_name"] == services.licence_subject_name(licence)
    assert row["certificate_number"] == licence.current_document.number
    assert row["unit_name"] == "行政服务中心"
    assert row["valid_until"] == licence.valid_until.isoformat()


def test_an_expiring_row_names_its_renewal(cast, lic, login):
    licence = issued_licence(cast, lic)
    until = workdays.add_working_days(today(), 40)
    Licence.objects.filter(pk=licence.pk).update(valid_until=until)
    licence.refresh_from_db()
    renewal = services.application_start(
        actor=cast.applicant, kind="licence", app_type="renew", licence=licence
    )
    body = login(cast.officer).get("/api/licensing/library/expiring").json()
    month = next(m for m in body if m["count"])
    assert month["month"] == f"{until:%Y-%m}" and month["renewing"] == 1
    (row,) = month["rows"]
    opens, closes = services.renewal_window(until)
    assert row == {
        "id": licence.pk,
        "number": licence.number,
        "kind_label": "食品经营许可证",
        "operator_name": licence.operator_name,
        "holder_code": licence.holder_code,
        "premises_address": licence.premises_address,
        "valid_until": until.isoformat(),
        "renewal_opens": opens.isoformat(),
        "renewal_closes": closes.isoformat(),
        "renewal_reference": renewal.reference,
        "renewal_state": "draft",
        "renewal_label": f"延续申请草稿（{renewal.reference}）",
    }


def test_application_rows_carry_the_days_left_for_officers_and_applicants(cast, lic, login):
    app = submitted_licence(cast)
    expected = selectors.days_left(app)
    assert expected is not None
    for user in (cast.officer, cast.applicant):
        rows = login(user).get("/api/licensing/applications?queue=accept").json()
        (row,) = [r for r in rows if r["id"] == app.pk]
        assert row["reference"] == app.reference and row["state"] == "submitted"
        assert row["operator_name"] == app.operator_name
        assert row["days_left"] == expected, user
        assert row["due_at"] is not None and row["submitted_at"] is not None
