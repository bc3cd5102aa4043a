"""Query-count regression tests: the instant-approval request and the main list pages are
pinned at the statements they take today (the higher of SQLite and PostgreSQL), and a
list page takes as many statements for five rows as for two (no query per row). A change
that adds a query fails here and has to say why by raising the pin."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.identity_helpers import session_login, verified_login
from tests.licensing.conftest import (
    FILING_TICKS,
    filing_of,
    inspecting,
    signed,
)
from zonegov.licensing import services
from zonegov.licensing.models import PublicNotice

pytestmark = pytest.mark.django_db

#: Statements of one instant approval (即申即审) through the API from a verified browser
#: session: the submission, the number, the certificate, the 公示 row, the message to
#: supervision, the audit records and the response. docs/performance.md's 42 is the
#: token-authenticated bench request; a session adds its own reads and write. The 准予
#: notice to the applicant (issue 12: notify() — its dedupe read, the row, its channel log
#: and their savepoints) adds 9.
INSTANT_APPROVAL = 52
WORKBENCH = 14
APPLICATIONS_API = 9
LIBRARY = 11
MINE = 5
GONGSHI = 2
# +1 (issue 12): the case's formal documents (受理通知书, …), one query for the list.
CASE_PAGE = 20


def _count(client, url: str, **extra) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _more_submitted(cast, n: int) -> None:
    """``n`` more filings waiting for 受理 (a token login is no verified login)."""
    for _ in range(n):
        app = signed(cast, kind="filing", ticks=FILING_TICKS)
        services.application_submit(actor=cast.applicant, application=app)


def test_the_instant_approval_request_is_pinned(cast, lic, client, login):
    client = login(cast.applicant)
    session_login(client, verified_login(cast.applicant, enterprise=lic.enterprise))
    # A first approval creates the number series and fills the content-type cache, as
    # on a running server; the second one is measured.
    first = signed(cast, kind="filing", ticks=FILING_TICKS)
    assert client.post(f"/api/licensing/applications/{first.pk}/submit").status_code == 200
    app = signed(cast, kind="filing", ticks=FILING_TICKS)
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(f"/api/licensing/applications/{app.pk}/submit")
    assert response.status_code == 200 and response.json()["state"] == "issued"
    assert len(ctx.captured_queries) <= INSTANT_APPROVAL


def test_the_officers_queue_takes_no_query_per_application(cast, lic, login):
    _more_submitted(cast, 2)
    client = login(cast.officer)
    page, api = "/licensing/workbench/?queue=accept", "/api/licensing/applications?queue=accept"
    few = (_count(client, page), _count(client, api))
    _more_submitted(cast, 3)
    many = (_count(client, page), _count(client, api))
    assert many == few
    assert few[0] <= WORKBENCH and few[1] <= APPLICATIONS_API


def test_the_licence_lists_take_no_query_per_licence(cast, lic, login):
    filing_of(cast.applicant)
    filing_of(cast.applicant)
    officer = login(cast.officer)
    few_library = _count(officer, "/licensing/library/")
    applicant = login(cast.applicant)
    few_mine = _count(applicant, "/licensing/mine/")
    for _ in range(3):
        filing_of(cast.applicant)
    officer = login(cast.officer)
    many_library = _count(officer, "/licensing/library/")
    applicant = login(cast.applicant)
    many_mine = _count(applicant, "/licensing/mine/")
    assert (many_library, many_mine) == (few_library, few_mine)
    assert few_library <= LIBRARY and few_mine <= MINE


def test_the_public_announcement_takes_no_query_per_notice(cast, lic, client):
    licence = filing_of(cast.applicant)
    few = _count(client, "/gongshi/")
    notice = PublicNotice.objects.get(licence=licence)
    fields = {
        f.attname: getattr(notice, f.attname)
        for f in PublicNotice._meta.concrete_fields
        if not f.primary_key
    }
    PublicNotice.objects.bulk_create(
        PublicNotice(**{**fields, "operator_name": f"高新区第{i}号店"}) for i in range(10)
    )
    many = _count(client, "/gongshi/")
    assert "高新区第9号店" in client.get("/gongshi/").content.decode()
    assert many == few
    assert few <= GONGSHI


def test_the_case_page_of_a_case_under_inspection_is_pinned(cast, lic, login):
    app = inspecting(cast)
    for user in (cast.officer, lic.inspector):
        n = _count(login(user), app.get_absolute_url())
        assert n <= CASE_PAGE
