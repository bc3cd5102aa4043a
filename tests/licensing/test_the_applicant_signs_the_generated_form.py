"""The 申请书 is generated from the ticks and signed (PAdES) with the applicant's cloud
signature; changes after signing require signing again."""

import pytest

from tests.identity_helpers import submit_verified
from tests.licensing.conftest import draft, signed
from zonegov.core.errors import ApplicationError
from zonegov.licensing import services
from zonegov.licensing.signing import verify_form

pytestmark = pytest.mark.django_db


def _bytes(app):
    with app.form_file.open("rb") as fh:
        return fh.read()


def test_the_form_carries_a_valid_signature_of_the_enterprise(cast, lic):
    app = signed(cast)
    check = verify_form(_bytes(app))
    assert check.valid, check.reasons
    assert check.signer_name == lic.enterprise.name
    assert check.signer_serial == lic.enterprise.uscc


def test_a_natural_person_signs_with_their_verified_identity(cast, lic):
    app = services.application_start(actor=cast.applicant, kind="small_stall", holder_kind="person")
    assert app.holder_code == cast.applicant.person.id_number
    app = services.application_update(
        actor=cast.applicant,
        application=app,
        data={
            "subject_type": "2",
            "items": [{"code": "hot"}],
            "premises": {"pest_control": "yes"},
            "premises_address": "高阳社区夜市3号摊位",
            "declarations": True,
        },
    )
    app = services.application_sign(actor=cast.applicant, application=app)
    check = verify_form(_bytes(app))
    assert check.valid and check.signer_name == "张三"
    assert check.signer_serial == cast.applicant.person.id_number
    app = submit_verified(cast.applicant, app)
    assert app.state == "issued"  # the stall card needs no site check
    assert app.licence.holder_code == cast.applicant.person.id_number
    assert (
        "****" in dict(app.licence.current_document.public_fields)["统一社会信用代码（身份证号码）"]
    )


def test_an_altered_form_fails_verification(cast, lic):
    data = bytearray(_bytes(signed(cast)))
    at = data.index(b"/Producer") if b"/Producer" in data else 200
    data[at + 2] ^= 1
    assert not verify_form(bytes(data)).valid


def test_changing_a_tick_after_signing_requires_a_new_signature(cast, lic):
    app = signed(cast)
    app = services.application_update(
        actor=cast.applicant, application=app, data={"premises_address": "新地址8号"}
    )
    with pytest.raises(ApplicationError) as exc:
        services.application_submit(actor=cast.applicant, application=app)
    assert "重新生成并签名" in exc.value.message


def test_submitting_without_a_signature_is_refused(cast, lic):
    app = draft(cast)
    with pytest.raises(ApplicationError) as exc:
        services.application_submit(actor=cast.applicant, application=app)
    assert "电子签名申请书" in exc.value.message
