"""A JY/YB number has a 6-digit 顺序码: after 999999 the series is exhausted and issuing
is refused with a message for the administrator (docs/licensing.md, "Numbers"), never a
7-digit number; the refused attempt leaves the counter, the application and the licences
as they were. The region digits come from ``conf.region_code()``, the zone's 410471."""

import pytest

from tests.identity_helpers import submit_verified
from tests.licensing.conftest import FILING_TICKS, instant_filing
from zonegov.core.errors import ApplicationError
from zonegov.core.models import NumberSeries
from zonegov.licensing import conf, identifiers, kinds, services
from zonegov.licensing.models import Application, Licence

pytestmark = pytest.mark.django_db

EXHAUSTED = "编号的6位顺序码已全部用完"


def _series_at(value: int, *, kind: str = "filing", subject: str = "2") -> NumberSeries:
    key = identifiers.number_series(kind=kinds.kind(kind), subject_code=subject)
    return NumberSeries.objects.create(key=key, last_value=value)


def _signed_filing(actor) -> Application:
    app = services.application_start(actor=actor, kind="filing")
    app = services.application_update(actor=actor, application=app, data=FILING_TICKS)
    return services.application_sign(actor=actor, application=app)


def test_the_last_number_of_the_series_is_issued_then_the_next_is_refused(cast, lic):
    series = _series_at(999_998)
    instant_filing(cast)
    licence = Licence.objects.get()
    assert licence.number[9:15] == "999999" and len(licence.number) == 16
    assert identifiers.validate_permit_number(licence.number) == licence.number

    app = _signed_filing(cast.other_applicant)
    with pytest.raises(ApplicationError) as exc:
        submit_verified(cast.other_applicant, app)
    assert exc.value.message == (
        "仅销售预包装食品备案编号的6位顺序码已全部用完（编号系列 YB2410471），不能再发放新编号。"
        "请联系系统管理员按省级市场监督管理部门的规定启用新的编号系列后再办理。"
    )
    series.refresh_from_db()
    assert series.last_value == 999_999  # the refused attempt drew nothing
    app.refresh_from_db()
    assert app.state == "draft"  # the applicant's signed draft is kept
    assert Licence.objects.count() == 1


@pytest.mark.parametrize(("kind", "subject"), [("licence", "1"), ("filing", "2")])
def test_a_sequence_past_999999_never_makes_a_seventeen_character_number(kind, subject):
    permit = kinds.kind(kind)
    last = identifiers.format_permit_number(kind=permit, subject_code=subject, seq=999_999)
    assert len(last) == 16
    with pytest.raises(ApplicationError) as exc:
        identifiers.format_permit_number(kind=permit, subject_code=subject, seq=1_000_000)
    assert EXHAUSTED in exc.value.message


def test_a_henan_format_refuses_a_sequence_wider_than_its_field():
    shop = kinds.kind("small_shop")  # XJY{region}{year}{seq:05d}
    assert identifiers.format_permit_number(kind=shop, subject_code="1", seq=99_999).endswith(
        "99999"
    )
    with pytest.raises(ApplicationError) as exc:
        identifiers.format_permit_number(kind=shop, subject_code="1", seq=100_000)
    assert "编号的5位顺序码已全部用完" in exc.value.message


def test_a_henan_format_without_a_width_is_not_limited(settings):
    settings.ZONEGOV_LICENSING_HENAN_NUMBER_FORMATS = {"HN_SHOP": "XJY{region}-{seq}"}
    number = identifiers.format_permit_number(
        kind=kinds.kind("small_shop"), subject_code="1", seq=1_234_567
    )
    assert number == "XJY410471-1234567"


def test_the_default_region_is_the_zones_statistical_code():
    assert conf.region_code() == "410471"
    number = identifiers.format_permit_number(kind=kinds.kind("licence"), subject_code="3", seq=7)
    assert number[3:9] == "410471"
    assert identifiers.number_series(kind=kinds.kind("licence"), subject_code="3") == (
        "licensing:JY3410471"
    )


def test_number_and_series_both_read_the_region_from_conf(monkeypatch):
    monkeypatch.setattr(conf, "region_code", lambda: "419001")
    licence = kinds.kind("licence")
    assert identifiers.format_permit_number(kind=licence, subject_code="1", seq=1)[3:9] == "419001"
    assert identifiers.number_series(kind=licence, subject_code="1") == "licensing:JY1419001"
    shop = kinds.kind("small_shop")
    assert ":419001:" in identifiers.number_series(kind=shop, subject_code="1")
    assert "419001" in identifiers.format_permit_number(kind=shop, subject_code="1", seq=1)
