"""即申即审: a 仅销售预包装食品 filing needs no site check; with automatic verification
passed, submission approves it and issues the signed e-certificate in the same request."""

import pytest

from tests.core.documents_fixtures import stored_bytes
from tests.licensing.conftest import instant_filing
from zonegov.core.models import IssuedDocument, TimelineEntry
from zonegov.core.services.documents import document_verify
from zonegov.licensing import identifiers
from zonegov.licensing.models import Licence, PrintJob

pytestmark = pytest.mark.django_db


def test_it_issues_a_yb_certificate_on_submission(cast, lic):
    app = instant_filing(cast)
    assert app.state == "issued"
    assert app.instant
    assert app.verification_passed
    licence = Licence.objects.get()
    assert licence.number.startswith("YB2410471")  # the zone's code
    identifiers.validate_permit_number(licence.number, prefix="YB")
    assert licence.owner == cast.applicant
    assert licence.valid_until is None  # a filing has no validity


def test_the_certificate_is_signed_and_on_record(cast, lic):
    instant_filing(cast)
    doc = IssuedDocument.objects.get()
    result = document_verify(stored_bytes(doc))
    assert result.genuine, result.reasons
    assert result.status == "valid"
    assert doc.kind == "food_filing"


def test_the_version_has_a_gbt_36904_identifier_and_metadata(cast, lic):
    instant_filing(cast)
    version = Licence.objects.get().versions.get()
    assert identifiers.validate_elicence_identifier(version.identifier) == version.identifier
    assert version.identifier.startswith("1.2.156.3005.2.")
    assert version.identifier.split(".")[-2] == "001"
    meta = version.metadata
    for key in ("证照名称", "证照标识", "持证主体", "持证主体代码类型", "证照颁发机构代码"):
        assert meta[key]
    assert meta["证照编号"] == version.licence.number
    assert meta["照面信息"]["电子证照标识"] == version.identifier


def test_a_paper_copy_is_queued(cast, lic):
    instant_filing(cast)
    assert PrintJob.objects.filter(status="queued").count() == 1


def test_the_timeline_shows_the_automatic_steps(cast, lic):
    app = instant_filing(cast)
    actions = list(
        TimelineEntry.objects.filter(object_id=str(app.pk)).values_list("action", "actor_name")
    )
    assert [a for a, _ in actions] == ["open", "approve_instantly"]
    assert actions[0][1] == "张三" and actions[1][1] == "系统"


def test_the_applicant_sees_it_on_their_home_page(cast, lic, login):
    app = instant_filing(cast)
    response = login(cast.applicant).get("/?closed=1")
    assert response.status_code == 200
    from zonegov.core.models import WorkItem

    assert WorkItem.objects.get(object_id=str(app.pk)).applicant == cast.applicant
