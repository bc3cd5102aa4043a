"""Query-count regression tests of the supervision list pages: pinned at today's count
(the higher of SQLite and PostgreSQL), and as many statements for six operators as for
two (no query per row)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.supervision.conftest import deliver, payload

pytestmark = pytest.mark.django_db

HOME = 13
PLAN = 11


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _operators(start: int, n: int) -> None:
    for i in range(start, start + n):
        deliver(
            "granted",
            payload(licence_number=f"JY2410401{i:07d}", holder_name=f"高新区第{i}餐馆"),
        )


def test_the_supervision_home_takes_no_query_per_operator(sup, login):
    _operators(0, 2)
    client = login(sup.supervisor)
    few = _count(client, "/supervision/"), _count(client, "/supervision/plan/")
    _operators(10, 4)
    many = _count(client, "/supervision/"), _count(client, "/supervision/plan/")
    assert many == few
    assert few[0] <= HOME and few[1] <= PLAN
