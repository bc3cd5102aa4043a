"""The e-licence check (电子证照核验) is a core service: the registry provider answers
for a business licence and a person's real-name identity, says why a check fails, and
the provider is the one named in ``ZONEGOV_ELICENCE_PROVIDER`` (licensing's old path
included)."""

import sys
import types

import pytest

from tests.conftest import VALID_ID
from tests.core.enterprise_fixtures import fields
from zonegov.core.identity import elicence
from zonegov.core.models import Enterprise, Person


@pytest.fixture
def enterprise(db):
    return Enterprise.objects.create(**{k: v for k, v in fields(7).items()})


@pytest.fixture
def resident(cast):
    cast.applicant.person = Person.objects.create(name="张三", id_number=VALID_ID)
    cast.applicant.save()
    return cast.applicant


def test_it_finds_a_business_licence_in_the_registry(enterprise):
    check = elicence.check_enterprise(
        uscc=enterprise.uscc.lower(), name=enterprise.name, legal_rep="王测试"
    )
    assert check.ok
    assert check.data["id"] == enterprise.pk
    assert check.source == "高新区市场主体库"


def test_it_says_which_field_disagrees_with_the_licence(enterprise):
    check = elicence.check_enterprise(uscc=enterprise.uscc, name="别的公司", legal_rep="赵某")
    assert not check.ok
    assert "名称与营业执照不一致" in check.reason
    assert "法定代表人（负责人）与营业执照不一致" in check.reason


def test_it_refuses_an_unknown_code_with_the_reason(db):
    check = elicence.check_enterprise(uscc="91410400MA9F8U6X33")
    assert not check.ok
    assert "91410400MA9F8U6X33" in check.reason


def test_it_checks_a_complainant_against_the_accounts_identity(resident):
    assert elicence.check_person(user=resident, name="张三", id_number=VALID_ID.lower()).ok
    wrong = elicence.check_person(user=resident, name="张四")
    assert not wrong.ok and "张三" in wrong.reason
    assert not elicence.check_person(user=resident, id_number="410402198505050028").ok


def test_an_account_without_a_real_name_is_not_verified(cast):
    check = elicence.check_person(user=cast.other_applicant, name="李四")
    assert not check.ok
    assert "尚未实名认证" in check.reason


class Provincial:
    name = "省电子证照平台"

    def check_business_licence(self, **kw):
        return elicence.Check("business_licence", "营业执照", False, self.name, "平台暂时无法访问")

    def check_identity(self, **kw):
        return elicence.Check("identity", "身份证", True, self.name)


@pytest.fixture
def provincial_module():
    module = types.ModuleType("fake_provincial_elicence")
    module.Provincial = Provincial
    sys.modules[module.__name__] = module
    elicence._provider_class.cache_clear()
    yield module
    elicence._provider_class.cache_clear()
    del sys.modules[module.__name__]


def test_the_provider_is_the_configured_one(settings, cast, provincial_module):
    settings.ZONEGOV_ELICENCE_PROVIDER = "fake_provincial_elicence.Provincial"
    assert elicence.check_enterprise(uscc="x").reason == "平台暂时无法访问"
    assert elicence.check_person(user=cast.applicant).source == "省电子证照平台"


def test_the_default_and_the_old_licensing_path_are_the_registry(settings):
    if hasattr(settings, "ZONEGOV_ELICENCE_PROVIDER"):
        del settings.ZONEGOV_ELICENCE_PROVIDER
    assert isinstance(elicence.provider(), elicence.RegistryProvider)
    settings.ZONEGOV_ELICENCE_PROVIDER = "zonegov.licensing.elicence.RegistryProvider"
    assert isinstance(elicence.provider(), elicence.RegistryProvider)


def test_licensing_uses_the_core_service():
    from zonegov.licensing import elicence as licensing_elicence

    assert licensing_elicence.Check is elicence.Check
    assert licensing_elicence.provider is elicence.provider
