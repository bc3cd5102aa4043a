"""统一社会信用代码 (GB 32100) and 身份证号 (GB 11643) are validated by their standards:
every well-formed code of the whole space is accepted, every single changed character is
caught, and each refusal names the part that is wrong. No county table is consulted."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from tests.conftest import OTHER_VALID_ID, VALID_ID, VALID_USCC
from zonegov.core.identifiers import (
    PROVINCE_CODES,
    USCC_ALPHABET,
    USCC_AUTHORITIES,
    id_check_digit,
    mask_id_number,
    uscc_check_character,
    validate_id_number,
    validate_uscc,
)

TODAY = date(2026, 5, 20)
frozen = time_machine.travel(
    datetime(2026, 5, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
)

ID_PROVINCES = sorted(PROVINCE_CODES - {"81", "82"})


def digits(n: int):
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


def with_check(body: str) -> str:
    """A 身份证号 from 17 digits and the correct check digit (cross-checked with stdnum)."""
    digit = id_check_digit(body)
    assert digit == ric.calc_check_digit(body + "0")
    return body + digit


def uscc_with_check(body: str) -> str:
    char = uscc_check_character(body)
    assert char == uscc.calc_check_digit(body)
    return body + char


def refusal(validate, value) -> str:
    with pytest.raises(ValidationError) as exc:
        validate(value)
    assert len(exc.value.messages) == 1
    return exc.value.messages[0]


# --- 身份证号 -------------------------------------------------------------------------


@st.composite
def id_numbers(draw) -> str:
    """Any GB 11643 number a real person can hold: any province-level code with any
    county digits, or a 港澳台 residence-permit prefix; a birth date 1900-01-01..today."""
    if draw(st.integers(0, 9)) == 0:
        region = draw(st.sampled_from(["810000", "820000", "830000"]))
    else:
        region = draw(st.sampled_from(ID_PROVINCES)) + draw(digits(4))
    birth = draw(st.dates(date(1900, 1, 1), TODAY))
    seq = draw(digits(3))
    return with_check(f"{region}{birth:%Y%m%d}{seq}")


@given(id_numbers())
@frozen
def test_it_accepts_every_well_formed_id_number(code):
    assert validate_id_number(code) == code


@given(id_numbers(), st.integers(0, 17), st.data())
@frozen
def test_a_single_changed_id_character_is_always_caught(code, position, data):
    alphabet = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from([c for c in alphabet if c != code[position]]))
    with pytest.raises(ValidationError):
        validate_id_number(code[:position] + replacement + code[position + 1 :])


@frozen
@pytest.mark.parametrize(
    "body",
    [
        "41047119900101123",  # 平顶山高新区's own statistical code
        "32057119900101123",  # 苏州工业园区
        "41900119900101123",  # 济源: code from 1997, holder born 1990
        "81000019900101123",  # 港澳台居民居住证
        "82000019900101123",
        "83000019900101123",
        "71000019900101123",
    ],
)
def test_it_accepts_real_numbers_whose_county_no_table_knows(body):
    code = with_check(body)
    assert validate_id_number(code) == code


def test_it_accepts_valid_id_numbers_including_a_check_x():
    assert validate_id_number(VALID_ID.lower()) == VALID_ID
    assert validate_id_number(OTHER_VALID_ID) == OTHER_VALID_ID


def test_it_folds_full_width_digits_and_spaces():
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in OTHER_VALID_ID)
    assert validate_id_number(f" {full_width[:6]} {full_width[6:]} ") == OTHER_VALID_ID


def test_it_rejects_an_id_number_with_a_wrong_check_digit():
    wrong = OTHER_VALID_ID[:-1] + ("9" if OTHER_VALID_ID[-1] != "9" else "1")
    assert (
        refusal(validate_id_number, wrong) == "身份证号校验位不正确（GB 11643），请核对最后一位。"
    )


@frozen
@pytest.mark.parametrize(
    "digits",
    ["19901332", "19900230", "19000229", "20230229", "19900100", "00000000"],
)
def test_it_rejects_an_impossible_birth_date(digits):
    code = with_check(f"410402{digits}123")
    message = refusal(validate_id_number, code)
    assert message == f"身份证号第7–14位的出生日期“{digits}”不存在，请核对。"


@frozen
def test_it_accepts_29_february_of_a_leap_year():
    code = with_check("41040220000229123")
    assert validate_id_number(code) == code


@frozen
def test_it_rejects_a_birth_date_before_1900():
    code = with_check("41040218991231123")
    assert (
        refusal(validate_id_number, code)
        == "身份证号中的出生日期（1899-12-31）早于1900年，请核对。"
    )


@frozen
def test_it_rejects_a_birth_date_after_today_and_accepts_today():
    tomorrow = TODAY + timedelta(days=1)
    code = with_check(f"410402{tomorrow:%Y%m%d}123")
    assert (
        refusal(validate_id_number, code) == "身份证号中的出生日期（2026-05-21）晚于今天，请核对。"
    )
    born_today = with_check(f"410402{TODAY:%Y%m%d}123")
    assert validate_id_number(born_today) == born_today


@frozen
@pytest.mark.parametrize(
    "province", ["00", "10", "16", "20", "24", "30", "47", "55", "66", "72", "90", "99"]
)
def test_it_rejects_a_number_whose_first_two_digits_are_no_province(province):
    code = with_check(f"{province}040219900101123")
    assert (
        refusal(validate_id_number, code)
        == f"身份证号前两位“{province}”不是省级行政区划代码，请核对。"
    )


@frozen
@pytest.mark.parametrize("region", ["810101", "820001", "830100", "840000"])
def test_it_rejects_a_residence_permit_prefix_other_than_810000_820000_830000(region):
    code = with_check(f"{region}19900101123")
    message = refusal(validate_id_number, code)
    if region.startswith("84"):
        assert message == "身份证号前两位“84”不是省级行政区划代码，请核对。"
    else:
        assert message == "港澳台居民居住证号码的前6位应为810000、820000或830000。"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("410402900101123", "身份证号应为18位，您输入了15位。"),  # legacy 15-digit number
        ("4104021990010112301", "身份证号应为18位，您输入了19位。"),
        ("41040219900101X230", "身份证号格式不正确：前17位应为数字，最后一位为数字或X。"),
        ("41040219900101123Y", "身份证号格式不正确：前17位应为数字，最后一位为数字或X。"),
        (
            "４１０４０２１９９００１０１１２３Ａ",
            "身份证号格式不正确：前17位应为数字，最后一位为数字或X。",
        ),
    ],
)
def test_it_explains_a_wrong_length_or_format(value, message):
    assert refusal(validate_id_number, value) == message


@given(st.text(max_size=40))
@frozen
def test_it_never_raises_anything_but_a_validation_error_for_an_id_number(value):
    try:
        validate_id_number(value)
    except ValidationError:
        pass


def test_it_masks_birth_date_digits_11_to_14():
    assert mask_id_number("410402199001011230") == "4104021990****1230"


# --- 统一社会信用代码 -----------------------------------------------------------------

USCC_PAIRS = [(a, t) for a, (_name, types) in USCC_AUTHORITIES.items() for t in types]


@st.composite
def usccs(draw) -> str:
    """Any GB 32100 code: every authority/type pair of the table (letters included), a
    province-level or the central region code, any 主体标识码."""
    authority, kind = draw(st.sampled_from(USCC_PAIRS))
    if draw(st.integers(0, 9)) == 0:
        region = "100000"
    else:
        region = draw(st.sampled_from(sorted(PROVINCE_CODES))) + draw(digits(4))
    subject = draw(st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9))
    return uscc_with_check(f"{authority}{kind}{region}{subject}")


@given(usccs())
def test_it_accepts_every_well_formed_uscc(code):
    assert validate_uscc(code) == code


@given(usccs(), st.integers(0, 17), st.data())
def test_a_single_changed_uscc_character_is_always_caught(code, position, data):
    replacement = data.draw(st.sampled_from([c for c in USCC_ALPHABET if c != code[position]]))
    with pytest.raises(ValidationError):
        validate_uscc(code[:position] + replacement + code[position + 1 :])


@pytest.mark.parametrize(
    "code",
    [
        "11100000000013338W",  # 住房和城乡建设部 (central registration, region 100000)
        VALID_USCC,
    ],
)
def test_it_accepts_real_codes(code):
    assert validate_uscc(code) == code


@pytest.mark.parametrize(
    "body",
    [
        "N2410471MF0000001",  # 村级集体经济组织 (农业农村部门 registration)
        "N1410471MF0000002",
        "N3410471MF0000003",
        "Y1410471MF0000004",
        "A1410471MF0000005",
        "31410471MD0000006",  # 律师事务所
        "53410471MJ0000007",  # 基金会
        "93410471MA0000008",  # 农民专业合作社
    ],
)
def test_it_accepts_codes_whose_authority_or_type_is_a_letter_or_not_9(body):
    code = uscc_with_check(body)
    assert validate_uscc(code) == code


def test_it_accepts_a_valid_uscc_and_normalises_case_and_spaces():
    assert validate_uscc(" " + VALID_USCC.lower() + " ") == VALID_USCC
    assert validate_uscc("9141-0400-MA9F-8U6X-33") == VALID_USCC


def test_it_rejects_a_wrong_uscc_check_character():
    wrong = VALID_USCC[:-1] + ("0" if VALID_USCC[-1] != "0" else "1")
    assert (
        refusal(validate_uscc, wrong)
        == "统一社会信用代码校验位不正确（GB 32100），请核对最后一位。"
    )


def test_it_rejects_a_uscc_of_the_wrong_length():
    assert refusal(validate_uscc, VALID_USCC[:-2]) == "统一社会信用代码应为18位，您输入了16位。"


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_it_rejects_forbidden_letters_in_a_uscc(letter):
    assert refusal(validate_uscc, VALID_USCC[:9] + letter + VALID_USCC[10:]) == (
        "统一社会信用代码格式不正确：只能包含数字和除 I、O、Z、S、V 以外的大写字母。"
    )


@pytest.mark.parametrize("authority", ["0", "B", "G", "M", "X"])
def test_it_names_a_wrong_authority_character(authority):
    code = uscc_with_check(f"{authority}1410471MA0000001")
    assert refusal(validate_uscc, code) == (
        f"统一社会信用代码第1位（登记管理部门代码）不能是“{authority}”，应为 1–9、A、N 或 Y 之一。"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("94410471MA0000001", "“4”不适用于登记管理部门“工商”，应为 1、2、3 之一。"),
        ("99410471MA0000001", "“9”不适用于登记管理部门“工商”，应为 1、2、3 之一。"),
        ("N4410471MA0000001", "“4”不适用于登记管理部门“农业”，应为 1、2、3、9 之一。"),
        ("Y2410471MA0000001", "“2”不适用于登记管理部门“其他”，应为 1 之一。"),
        ("1A410471MA0000001", "“A”不适用于登记管理部门“机构编制”，应为 1、2、3、9 之一。"),
    ],
)
def test_it_names_a_type_the_authority_does_not_have(body, message):
    assert refusal(validate_uscc, uscc_with_check(body)) == (
        "统一社会信用代码第2位（机构类别代码）" + message
    )


@pytest.mark.parametrize("region", ["000000", "190000", "4A0471", "720000", "900000", "100001"])
def test_it_names_a_wrong_region_code(region):
    code = uscc_with_check(f"91{region}MA0000001")
    assert refusal(validate_uscc, code) == (
        f"统一社会信用代码第3–8位（登记管理机关行政区划码）“{region}”不正确，"
        "应为以省级行政区划代码开头的6位数字。"
    )


@given(st.text(max_size=40))
def test_it_never_raises_anything_but_a_validation_error_for_a_uscc(value):
    try:
        validate_uscc(value)
    except ValidationError:
        pass


def test_a_mobile_number_is_eleven_ascii_digits():
    from zonegov.core.identifiers import validate_mobile

    assert validate_mobile(" 138 0013 8000") == "13800138000"
    for wrong in ("1380013800٠", "１３８００１３８０００", "12800138000", "1380013800"):
        with pytest.raises(ValidationError):
            validate_mobile(wrong)
