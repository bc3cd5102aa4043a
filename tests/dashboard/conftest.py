"""Dashboard fixtures: the licensing and supervision casts (their fixtures, imported so
that they apply here too) and a known set of applications with set times."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.licensing.conftest import (  # noqa: F401  (fixtures)
    _licensing_settings,
    instant_filing,
    lic,
    pki_dir,
    submitted_licence,
)
from tests.licensing.conftest import issued_licence as _issued_licence
from tests.supervision.conftest import operator, sup  # noqa: F401  (fixtures)
from zonegov.licensing import services
from zonegov.licensing.models import Application, LicenceVersion

SH = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


def set_times(app: Application, submitted: datetime, done: datetime | None = None) -> None:
    Application.objects.filter(pk=app.pk).update(
        submitted_at=submitted, decided_at=done or submitted
    )
    if done is not None:
        LicenceVersion.objects.filter(application=app).update(issued_at=done)


@dataclass
class Known:
    filing_march: Application  # instant, Fri 2025-03-07 10:00 → Mon 03-10 10:00: 1 wd, 72 h
    filing_may: Application  # instant, 2025-05-01 00:30 → 05-06 00:30 (劳动节): 1 wd, 120 h
    licence_april: Application  # 2025-04-01 09:00 → 04-08 09:00 (清明 4-6 Apr): 4 wd, 168 h
    rejected: Application  # 2025-04-15, no enterprise (a person's application)
    pending: Application  # 2025-06-02, waiting for acceptance


@pytest.fixture
def known(cast, lic) -> Known:  # noqa: F811
    return build_known(cast, lic)


def build_known(cast, lic) -> Known:  # noqa: F811
    """Five applications through the real services; their times set afterwards."""
    lic.enterprise.park = cast.park
    lic.enterprise.save()
    filing_march = instant_filing(cast)
    filing_may = instant_filing(cast)
    licence = _issued_licence(cast, lic)
    licence_april = Application.objects.get(licence=licence, kind="licence")
    rejected = services.application_reject(
        actor=cast.officer, application=submitted_licence(cast), reason="经营场所不符合要求"
    )
    pending = submitted_licence(cast)
    set_times(filing_march, at(2025, 3, 7, 10), at(2025, 3, 10, 10))
    set_times(filing_may, at(2025, 5, 1, 0, 30), at(2025, 5, 6, 0, 30))
    set_times(licence_april, at(2025, 4, 1, 9), at(2025, 4, 8, 9))
    set_times(rejected, at(2025, 4, 15, 11))
    Application.objects.filter(pk=rejected.pk).update(enterprise=None)
    Application.objects.filter(pk=pending.pk).update(submitted_at=at(2025, 6, 2, 15))
    return Known(filing_march, filing_may, licence_april, rejected, pending)
