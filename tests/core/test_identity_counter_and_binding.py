"""柜面核验 by licensing officers only; a verified identity binds the account's name and ID
number, one account per verified ID number, and a self-registered account that typed
someone's ID number does not keep the real person out."""

import pytest

from tests.conftest import OTHER_VALID_ID, VALID_ID
from tests.identity_helpers import verified_login
from zonegov.core.errors import ApplicationError, PermissionRefused
from zonegov.core.models import IdentityVerification, Person
from zonegov.core.services.identity import account_level, identity_counter_verify
from zonegov.core.services.users import applicant_register

pytestmark = pytest.mark.django_db


def _counter(actor, user, **kwargs):
    data = {"name": "张三", "id_number": VALID_ID, "card_checked": True, **kwargs}
    return identity_counter_verify(actor=actor, user=user, **data)


def test_a_licensing_officer_verifies_at_the_counter(cast, client):
    client.force_login(cast.officer)
    workbench = client.get("/licensing/workbench/").content.decode()
    assert 'data-testid="counter-verification"' in workbench
    assert client.get("/identity/counter/").status_code == 200
    response = client.post(
        "/identity/counter/",
        {
            "mobile": cast.applicant.username,
            "name": "张三",
            "id_number": VALID_ID,
            "card_checked": "on",
        },
        follow=True,
    )
    assert "已完成柜面核验" in response.content.decode()
    verification = IdentityVerification.objects.get(user=cast.applicant)
    assert verification.level == "counter" and verification.officer == cast.officer
    assert account_level(cast.applicant) == "counter"
    cast.applicant.refresh_from_db()
    assert cast.applicant.person.id_number == VALID_ID


def test_the_card_must_be_checked(cast):
    with pytest.raises(ApplicationError, match="身份证原件"):
        _counter(cast.officer, cast.applicant, card_checked=False)


@pytest.mark.parametrize("who", ["applicant", "grid_worker", "park_officer", "leader"])
def test_others_cannot_verify_at_the_counter(cast, client, who):
    user = getattr(cast, who)
    client.force_login(user)
    assert client.get("/identity/counter/").status_code == 403
    with pytest.raises(PermissionRefused):
        _counter(user, cast.other_applicant)
    assert not IdentityVerification.objects.exists()


def test_a_verified_id_number_is_bound_to_one_active_account(cast):
    verified_login(cast.applicant, name="张三", id_number=VALID_ID)
    with pytest.raises(ApplicationError, match="已实名绑定到另一个账号"):
        verified_login(cast.other_applicant, name="张三", id_number=VALID_ID)
    with pytest.raises(ApplicationError, match="已实名绑定到另一个账号"):
        _counter(cast.officer, cast.other_applicant)


def test_a_deactivated_account_releases_the_binding(cast):
    verified_login(cast.applicant, name="张三", id_number=VALID_ID)
    cast.applicant.is_active = False
    cast.applicant.save()
    verified_login(cast.other_applicant, name="张三", id_number=VALID_ID)
    assert IdentityVerification.objects.get(current=True).user == cast.other_applicant


def test_an_account_verified_as_one_person_cannot_become_another(cast):
    verified_login(cast.applicant, name="张三", id_number=VALID_ID)
    with pytest.raises(ApplicationError, match="已实名核验为另一身份"):
        verified_login(cast.applicant, name="李四", id_number=OTHER_VALID_ID)


def test_a_squatters_typed_id_number_does_not_block_the_real_person(cast):
    squatter = applicant_register(
        mobile="13911112222",
        full_name="冒名",
        id_number=VALID_ID,
        password="Mao-Ming-2026",
        privacy_consented=True,
    )
    cast.applicant.person = Person.objects.create(name="张三", id_number=None)
    cast.applicant.save()
    verified_login(cast.applicant, name="张三", id_number=VALID_ID)
    squatter.refresh_from_db()
    cast.applicant.refresh_from_db()
    assert squatter.person is None
    assert cast.applicant.person.id_number == VALID_ID and cast.applicant.person.name == "张三"
    assert account_level(squatter) == "self_registered"
