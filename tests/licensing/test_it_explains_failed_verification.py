"""Automatic e-licence verification: what fails says why, and the case goes to officers
instead of being approved instantly."""

import pytest

from tests.licensing.conftest import FILING_TICKS
from zonegov.core.errors import ApplicationError
from zonegov.licensing import elicence, services

pytestmark = pytest.mark.django_db


def test_an_unknown_uscc_fails_with_a_reason(cast, lic):
    app = services.application_start(actor=cast.applicant, kind="filing", uscc="91410400MA9G0K2L3Y")
    app = services.application_update(
        actor=cast.applicant,
        application=app,
        data={
            **FILING_TICKS,
            "holder_code": lic.other_enterprise.uscc,
            "operator_name": "别人的店",
        },
    )
    business = next(c for c in app.verification if c["code"] == "business_licence")
    assert not business["ok"]
    assert "名称与营业执照不一致" in business["reason"]
    assert not app.verification_passed


def test_a_failed_verification_is_not_approved_instantly(cast, lic):
    app = services.application_start(actor=cast.applicant, kind="filing")
    app = services.application_update(
        actor=cast.applicant, application=app, data={**FILING_TICKS, "address": "x"}
    )
    app = services.application_sign(actor=cast.applicant, application=app)
    # The registry changes between signing and submission: the legal representative.
    lic.enterprise.legal_representative = "王五"
    lic.enterprise.save()
    app = services.application_submit(actor=cast.applicant, application=app)
    assert app.state == "submitted"
    assert not app.instant


def test_someone_who_is_not_the_legal_representative_cannot_sign(cast, lic):
    app = services.application_start(
        actor=cast.other_applicant, kind="filing", uscc=lic.enterprise.uscc
    )
    app = services.application_update(
        actor=cast.other_applicant, application=app, data=FILING_TICKS
    )
    with pytest.raises(ApplicationError) as exc:
        services.application_sign(actor=cast.other_applicant, application=app)
    assert "姓名与您实名认证的姓名" in exc.value.message


def test_the_provider_is_pluggable(cast, lic, settings):
    class Down:
        name = "省电子证照平台"

        def check_business_licence(self, **kw):
            return elicence.Check(
                "business_licence", "营业执照", False, self.name, "平台暂时无法访问"
            )

        def check_identity(self, **kw):
            return elicence.Check("identity", "身份证", True, self.name)

    elicence._provider_class.cache_clear()
    import sys
    import types

    module = types.ModuleType("fake_provider_mod")
    module.Down = Down
    sys.modules["fake_provider_mod"] = module
    settings.ZONEGOV_ELICENCE_PROVIDER = "fake_provider_mod.Down"
    try:
        app = services.application_start(actor=cast.applicant, kind="filing")
        assert app.verification[0]["reason"] == "平台暂时无法访问"
        assert not app.verification_passed
    finally:
        elicence._provider_class.cache_clear()
