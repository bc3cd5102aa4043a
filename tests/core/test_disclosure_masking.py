"""Masking helpers of the public disclosure service: what the public may see of a natural
person, whatever format the caller passes."""

import pytest

from tests.conftest import VALID_ID, VALID_USCC
from zonegov.core.disclosure import mask_id_number, mask_mobile, mask_name, mask_subject_code
from zonegov.core.disclosure.masking import looks_like_id_number
from zonegov.core.identifiers import mask_id_number as certificate_mask


def test_an_18_digit_id_number_hides_birth_month_and_day_as_on_the_certificate():
    assert mask_id_number(VALID_ID) == "1101051949****002X"
    assert mask_id_number(VALID_ID) == certificate_mask(VALID_ID)


def test_a_15_digit_id_number_hides_birth_month_and_day_too():
    assert mask_id_number("110105491231002") == "11010549****002"


@pytest.mark.parametrize(("value", "masked"), [("E12345678", "E*******8"), ("AB", "**"), ("", "")])
def test_another_personal_number_never_shows_in_full(value, masked):
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三", "张*"), ("王小明", "王*明"), ("欧阳娜娜", "欧**娜"), ("李", "李"), ("", "")],
)
def test_a_persons_name_keeps_first_and_last_character(name, masked):
    assert mask_name(name) == masked


def test_a_mobile_number_hides_its_middle_digits():
    assert mask_mobile("138 0013 8000") == "138****8000"
    assert mask_mobile("12") == "****"


def test_a_subject_code_is_masked_when_it_is_a_persons():
    assert looks_like_id_number(VALID_ID)
    assert not looks_like_id_number(VALID_USCC)
    assert mask_subject_code(VALID_ID) == "1101051949****002X"
    assert mask_subject_code(VALID_USCC) == VALID_USCC
    assert mask_subject_code(VALID_USCC, natural_person=True) != VALID_USCC
    assert mask_subject_code(VALID_ID, natural_person=False) == VALID_ID
    # an already masked number stays as it is (publishing twice is harmless)
    assert mask_subject_code("1101051949****002X") == "1101051949****002X"
