import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from tests.conftest import OTHER_VALID_ID, VALID_ID, VALID_USCC
from zonegov.core.identifiers import mask_id_number, validate_id_number, validate_uscc

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def test_it_accepts_a_valid_uscc_and_normalises_case_and_spaces():
    assert validate_uscc(" " + VALID_USCC.lower() + " ") == VALID_USCC


def test_it_rejects_a_wrong_uscc_check_character():
    wrong = VALID_USCC[:-1] + ("0" if VALID_USCC[-1] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        validate_uscc(wrong)
    assert "校验位" in exc.value.messages[0]


def test_it_rejects_a_uscc_of_the_wrong_length():
    with pytest.raises(ValidationError) as exc:
        validate_uscc(VALID_USCC[:-2])
    assert "18位" in exc.value.messages[0]


def test_it_rejects_forbidden_letters_in_a_uscc():
    with pytest.raises(ValidationError) as exc:
        validate_uscc("91410400MA9F8U6XIO")
    assert exc.value.messages


@given(
    st.text(alphabet="0123456789", min_size=8, max_size=8),
    st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9),
    st.integers(0, 17),
    st.data(),
)
def test_a_single_changed_character_is_always_caught(head, tail, position, data):
    body = head + tail
    code = body + uscc.calc_check_digit(body)
    assert uscc.is_valid(code)
    replacement = data.draw(st.sampled_from([c for c in USCC_ALPHABET if c != code[position]]))
    changed = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(ValidationError):
        validate_uscc(changed)


def test_it_accepts_valid_id_numbers_including_a_check_x():
    assert validate_id_number(VALID_ID.lower()) == VALID_ID
    assert validate_id_number(OTHER_VALID_ID) == OTHER_VALID_ID


def test_it_rejects_an_id_number_with_a_wrong_check_digit():
    wrong = OTHER_VALID_ID[:-1] + ("9" if OTHER_VALID_ID[-1] != "9" else "1")
    assert not ric.is_valid(wrong)
    with pytest.raises(ValidationError) as exc:
        validate_id_number(wrong)
    assert "校验位" in exc.value.messages[0]


def test_it_rejects_an_impossible_birth_date():
    body = "41040219901332123"  # month 13
    with pytest.raises(ValidationError):
        validate_id_number(body + "0")


def test_it_rejects_a_15_digit_legacy_number_with_a_clear_message():
    with pytest.raises(ValidationError) as exc:
        validate_id_number("410402900101123")
    assert "18位" in exc.value.messages[0]


def test_it_masks_birth_date_digits_11_to_14():
    assert mask_id_number("410402199001011230") == "4104021990****1230"
