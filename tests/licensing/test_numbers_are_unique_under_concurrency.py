"""New permit numbers come from a gap-free series locked inside the issuing transaction:
concurrent instant approvals never share a number (PostgreSQL only: SQLite serialises
writers anyway)."""

import threading

import pytest
from django.db import connection, connections

from tests.identity_helpers import verified_login
from tests.licensing.conftest import FILING_TICKS
from zonegov.core.models import Enterprise, Person, User
from zonegov.licensing import services
from zonegov.licensing.models import Licence

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _uscc(i: int) -> str:
    from stdnum.cn import uscc

    base = f"92410400MA9K{i:05d}"
    return base + uscc.calc_check_digit(base)


def test_parallel_instant_filings_get_distinct_gap_free_numbers(cast, lic):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from stdnum.cn import ric

    drafts = []
    for i in range(12):
        base = f"41040219900101{i:03d}"
        id_number = base + ric.calc_check_digit(base + "0")
        person = Person.objects.create(name=f"店主{i}", id_number=id_number)
        user = User.objects.create_user(username=f"1390000{i:04d}", password="x", person=person)
        ent = Enterprise.objects.create(
            uscc=_uscc(i),
            name=f"便利店{i}",
            kind="individual",
            legal_representative=f"店主{i}",
            registered_address="高新区",
        )
        app = services.application_start(actor=user, kind="filing", uscc=ent.uscc)
        app = services.application_update(actor=user, application=app, data=FILING_TICKS)
        app = services.application_sign(actor=user, application=app)
        drafts.append((user, app, verified_login(user, enterprise=ent)))
    errors = []
    barrier = threading.Barrier(len(drafts))

    def run(user, app, login):
        try:
            barrier.wait()
            services.application_submit(actor=user, application=app, identity=login)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    numbers = list(Licence.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 12
    seqs = sorted(int(n[9:15]) for n in numbers)
    assert seqs == list(range(1, 13))
