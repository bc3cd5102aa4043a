"""JY/YB numbers (research note §1.2/§1.3) and GB/T 36904 identifiers (§3.2)."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from zonegov.licensing import identifiers, kinds


def test_the_real_example_number_validates():
    assert identifiers.validate_permit_number("JY34202220183637") == "JY34202220183637"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("JY34202220183638", "校验位不正确"),
        ("JY3420222018363", "应为16位"),
        ("JY9420222018363X", "格式不正确"),
        ("AB34202220183637", "JY"),
    ],
)
def test_bad_numbers_are_explained(number, message):
    with pytest.raises(ValidationError) as exc:
        identifiers.validate_permit_number(number)
    assert message in exc.value.messages[0]


@pytest.mark.django_db
@given(st.integers(min_value=1, max_value=999999), st.sampled_from(["1", "2", "3"]))
def test_generated_numbers_always_validate(seq, subject):
    number = identifiers.format_permit_number(
        kind=kinds.kind("licence"), subject_code=subject, seq=seq
    )
    assert identifiers.validate_permit_number(number) == number


def test_the_hubei_identifier_check_character():
    real = "1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F"
    assert identifiers.validate_elicence_identifier(real) == real
    with pytest.raises(ValidationError):
        identifiers.validate_elicence_identifier(real[:-1] + "G")


def test_built_identifiers_have_the_five_parts():
    ident = identifiers.elicence_identifier(
        type_code="11100000MB0000001X001",
        issuer_code="11410400MB1234567C",
        serial="JY24104020000011",
        version=3,
    )
    assert ident.split(".")[-2] == "003"
    assert identifiers.validate_elicence_identifier(ident) == ident


def test_henan_numbers_follow_the_configurable_format(settings):
    settings.ZONEGOV_LICENSING_HENAN_NUMBER_FORMATS = {"HN_SHOP": "HNXJY{region}{seq:04d}"}
    number = identifiers.format_permit_number(
        kind=kinds.kind("small_shop"), subject_code="1", seq=7
    )
    assert number == "HNXJY4104710007"
