"""Who gets 即申即审: a login verified by an identity provider within the freshness window,
as the operator (个体) or as the enterprise's legal representative or an agent whose
authorisation covers food-business licensing; everyone else goes to 受理 with the reason."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.conftest import VALID_ID
from tests.identity_helpers import verified_login
from tests.licensing.conftest import FILING_TICKS
from zonegov.core.identity.base import ALL_MATTERS, ActorRole
from zonegov.core.models import OutboxMessage
from zonegov.core.services.identity import identity_counter_verify
from zonegov.licensing import services
from zonegov.licensing.conf import identity_matter
from zonegov.licensing.models import Licence

pytestmark = pytest.mark.django_db

STALL_TICKS = {
    "subject_type": "2",
    "items": [{"code": "hot"}],
    "premises": {"pest_control": "yes"},
    "premises_address": "高阳社区夜市3号摊位",
    "declarations": True,
}
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _signed_filing(cast):
    app = services.application_start(actor=cast.applicant, kind="filing")
    app = services.application_update(actor=cast.applicant, application=app, data=FILING_TICKS)
    return services.application_sign(actor=cast.applicant, application=app)


def _signed_stall(cast):
    app = services.application_start(actor=cast.applicant, kind="small_stall", holder_kind="person")
    app = services.application_update(actor=cast.applicant, application=app, data=STALL_TICKS)
    return services.application_sign(actor=cast.applicant, application=app)


def _submit(cast, app, login):
    return services.application_submit(actor=cast.applicant, application=app, identity=login)


@time_machine.travel(NOON, tick=False)
def test_it_grants_a_verified_individual_with_the_same_id_number(cast, lic):
    login = verified_login(cast.applicant)
    app = _submit(cast, _signed_stall(cast), login)
    assert app.state == "issued" and app.instant
    assert app.holder_code == VALID_ID
    assert app.identity_basis["provider"] == "demo"
    assert app.identity_basis["level"] == "provider"
    assert datetime.fromisoformat(app.identity_basis["verified_at"]) == NOON


def test_a_stale_verification_goes_to_acceptance(cast, lic):
    with time_machine.travel(NOON, tick=False):
        login = verified_login(cast.applicant, enterprise=lic.enterprise)
        app = _signed_filing(cast)
    with time_machine.travel(NOON + timedelta(minutes=31), tick=False):
        app = _submit(cast, app, login)
    assert app.state == "submitted" and not app.instant
    assert "已超过30分钟" in app.identity_basis["refusal"]
    assert not Licence.objects.exists()


@time_machine.travel(NOON, tick=False)
def test_a_verification_29_minutes_old_still_counts(cast, lic):
    login = verified_login(cast.applicant, enterprise=lic.enterprise)
    with time_machine.travel(NOON + timedelta(minutes=29), tick=False):
        app = _submit(cast, _signed_filing(cast), login)
    assert app.state == "issued"


@time_machine.travel(NOON, tick=False)
def test_a_verified_account_without_a_verified_login_goes_to_acceptance(cast, lic):
    verified_login(cast.applicant, enterprise=lic.enterprise)  # an earlier session
    app = _submit(cast, _signed_filing(cast), None)  # a password login now
    assert app.state == "submitted"
    assert "本次登录未通过统一身份认证实名核验，转人工受理" in app.identity_basis["refusal"]


@time_machine.travel(NOON, tick=False)
def test_a_login_replaced_by_a_newer_verification_no_longer_counts(cast, lic):
    old = verified_login(cast.applicant, enterprise=lic.enterprise)
    verified_login(cast.applicant)  # verified again elsewhere
    assert _submit(cast, _signed_filing(cast), old).state == "submitted"


@time_machine.travel(NOON, tick=False)
def test_a_counter_verified_account_still_needs_a_provider_login(cast, lic):
    identity_counter_verify(
        actor=cast.officer,
        user=cast.applicant,
        name="张三",
        id_number=VALID_ID,
        card_checked=True,
    )
    app = _submit(cast, _signed_filing(cast), None)
    assert app.state == "submitted" and app.identity_basis["level"] == "counter"


@time_machine.travel(NOON, tick=False)
def test_the_legal_representative_by_the_provider_is_granted(cast, lic):
    login = verified_login(cast.applicant, enterprise=lic.enterprise)
    app = _submit(cast, _signed_filing(cast), login)
    assert app.state == "issued"
    assert app.identity_basis["role"] == ActorRole.LEGAL_REPRESENTATIVE
    assert app.identity_basis["enterprise"] == lic.enterprise.uscc
    assert OutboxMessage.objects.exists()


@time_machine.travel(NOON, tick=False)
def test_an_agent_authorised_for_food_licensing_is_granted(cast, lic):
    login = verified_login(
        cast.applicant,
        enterprise=lic.enterprise,
        role=ActorRole.AGENT,
        matters=(identity_matter(),),
        authorised_until=NOON + timedelta(days=30),
    )
    assert _submit(cast, _signed_filing(cast), login).state == "issued"


@time_machine.travel(NOON, tick=False)
def test_an_agent_with_full_authorisation_is_granted(cast, lic):
    login = verified_login(
        cast.applicant, enterprise=lic.enterprise, role=ActorRole.AGENT, matters=(ALL_MATTERS,)
    )
    assert _submit(cast, _signed_filing(cast), login).state == "issued"


@time_machine.travel(NOON, tick=False)
def test_an_agent_authorised_for_other_matters_goes_to_acceptance(cast, lic):
    login = verified_login(
        cast.applicant, enterprise=lic.enterprise, role=ActorRole.AGENT, matters=("tax_filing",)
    )
    app = _submit(cast, _signed_filing(cast), login)
    assert app.state == "submitted"
    assert "授权不包含食品经营许可事项" in app.identity_basis["refusal"]
    assert not Licence.objects.exists()


@time_machine.travel(NOON, tick=False)
def test_an_agent_whose_authorisation_expired_goes_to_acceptance(cast, lic):
    login = verified_login(
        cast.applicant,
        enterprise=lic.enterprise,
        role=ActorRole.AGENT,
        matters=(identity_matter(),),
        authorised_until=NOON - timedelta(days=1),
    )
    assert _submit(cast, _signed_filing(cast), login).state == "submitted"


@time_machine.travel(NOON, tick=False)
def test_acting_for_another_enterprise_goes_to_acceptance(cast, lic):
    login = verified_login(cast.applicant, enterprise=lic.other_enterprise)
    app = _submit(cast, _signed_filing(cast), login)
    assert app.state == "submitted"
    assert "您不是该企业的法定代表人或被授权代理人" in app.identity_basis["refusal"]


@time_machine.travel(NOON, tick=False)
def test_another_accounts_verified_login_does_not_count(cast, lic):
    theirs = verified_login(cast.other_applicant)
    assert _submit(cast, _signed_filing(cast), theirs).state == "submitted"
