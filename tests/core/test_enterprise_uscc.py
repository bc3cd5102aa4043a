"""The 统一社会信用代码 is checked with the GB 32100 check character (python-stdnum)."""

import pytest
from stdnum.cn import uscc

from tests.conftest import VALID_USCC
from tests.core.enterprise_fixtures import fields, make_uscc, register, wrong_check_character
from zonegov.core.errors import ApplicationError
from zonegov.core.models import Enterprise
from zonegov.core.services.enterprises import enterprise_create


def refused(actor, **overrides) -> dict[str, list[str]]:
    with pytest.raises(ApplicationError) as exc:
        enterprise_create(actor=actor, **fields(**overrides))
    assert not Enterprise.objects.exists()
    return exc.value.field_errors


def test_it_accepts_a_valid_code(cast):
    assert uscc.is_valid(VALID_USCC)
    enterprise = register(cast.admin, uscc=VALID_USCC)
    assert enterprise.uscc == VALID_USCC


def test_it_normalises_spaces_dashes_and_lower_case(cast):
    code = make_uscc(7)
    messy = f" {code[:2]} {code[2:8]}-{code[8:].lower()} "
    assert register(cast.admin, uscc=messy).uscc == code


def test_it_rejects_a_wrong_check_character(cast):
    errors = refused(cast.admin, uscc=wrong_check_character(make_uscc(1)))
    assert errors["uscc"] == ["统一社会信用代码校验位不正确（GB 32100），请核对最后一位。"]


def test_it_rejects_a_wrong_length(cast):
    errors = refused(cast.admin, uscc=make_uscc(1)[:17])
    assert errors["uscc"] == ["统一社会信用代码应为18位，您输入了17位。"]


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_it_rejects_forbidden_letters(cast, letter):
    code = make_uscc(1)
    bad = code[:9] + letter + code[10:]
    errors = refused(cast.admin, uscc=bad)
    assert errors["uscc"] == [
        "统一社会信用代码格式不正确：只能包含数字和除 I、O、Z、S、V 以外的大写字母。"
    ]


def test_it_rejects_a_missing_code(cast):
    assert refused(cast.admin, uscc="")["uscc"] == ["请填写统一社会信用代码。"]


def test_it_rejects_a_code_already_registered(cast):
    register(cast.admin, 1)
    with pytest.raises(ApplicationError) as exc:
        enterprise_create(actor=cast.admin, **fields(1, name="另一家公司"))
    assert "已登记为“平顶山测试电气有限公司1”" in exc.value.field_errors["uscc"][0]
    assert Enterprise.objects.count() == 1


def test_an_individual_business_needs_a_92_code(cast):
    errors = refused(cast.admin, kind="individual", uscc=make_uscc(1, entity="1"))
    assert errors["kind"] == ["个体工商户的统一社会信用代码应以92开头，请核对类型或代码。"]
    errors = refused(cast.admin, kind="llc", uscc=make_uscc(1, entity="2"))
    assert errors["kind"] == ["统一社会信用代码以92开头的是个体工商户，请核对类型或代码。"]
    assert register(cast.admin, kind="individual", uscc=make_uscc(1, entity="2")).pk


def test_it_reports_every_wrong_field_at_once(cast):
    errors = refused(
        cast.admin,
        uscc="123",
        name="",
        legal_representative=" ",
        registered_address="",
        contact_phone="12345",
    )
    assert set(errors) == {
        "uscc",
        "name",
        "legal_representative",
        "registered_address",
        "contact_phone",
    }


def test_a_code_registered_in_the_meantime_is_a_field_error_not_a_crash(cast, monkeypatch):
    from zonegov.core.services import enterprises as service

    register(cast.admin, 1)
    # Simulate the race: the check sees no duplicate, the database's unique index does.
    monkeypatch.setattr(service, "_validation_errors", lambda e, check_unique=True: {})
    with pytest.raises(ApplicationError) as exc:
        enterprise_create(actor=cast.admin, **fields(1, name="同时登记的公司"))
    assert exc.value.field_errors["uscc"] == ["该统一社会信用代码刚刚已被登记，请刷新后核对。"]
    assert Enterprise.objects.count() == 1
