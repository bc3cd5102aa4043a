"""A 食品经营许可证 issued on 29 February 2028 (5 years) is valid until 28 February 2033:
the day before the anniversary, which is 1 March in a common year (core.periods,
docs/licensing.md "Validity"). Its certificate and the 延续 restart follow the same rule."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from tests.licensing.conftest import issued_licence

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_licence_issued_on_29_february_is_valid_until_28_february(cast, lic):
    with time_machine.travel(datetime(2028, 2, 29, 10, 0, tzinfo=SHANGHAI), tick=False):
        licence = issued_licence(cast, lic)
    assert licence.valid_from == date(2028, 2, 29)
    assert licence.valid_until == date(2033, 2, 28)
    assert licence.current_document.valid_until == date(2033, 2, 28)
