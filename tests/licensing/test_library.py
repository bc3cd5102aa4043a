"""The e-licence library (电子证照库): officers search every licence ever issued in their
scope by number, holder, code, address, 经营项目, park, status, kind and expiry window, and
export the result as .xlsx; the licence page lists every version with its certificate's
status and the chain of identifiers."""

from datetime import timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.identity_helpers import submit_verified
from tests.licensing.conftest import filing_of, issued_licence, today
from zonegov.core.models import Enterprise
from zonegov.licensing import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(cast, lic):
    """A 食品经营许可证 of 张三's company and a 备案 of 李四's shop in the park."""
    licence = issued_licence(cast, lic)
    filing = filing_of(cast.other_applicant)
    Enterprise.objects.filter(pk=lic.other_enterprise.pk).update(park=cast.park)
    return licence, filing


def _numbers(client, **params):
    response = client.get("/licensing/library/", params)
    assert response.status_code == 200
    return {row.licence.number for row in response.context["rows"]}


def test_it_finds_licences_by_each_filter(cast, lic, login, two):
    licence, filing = two
    client = login(cast.officer)
    both = {licence.number, filing.number}
    assert _numbers(client) == both
    assert _numbers(client, number=licence.number[:4].lower()) == {licence.number}
    assert _numbers(client, holder="李四便利") == {filing.number}
    assert _numbers(client, holder_code=lic.enterprise.uscc) == {licence.number}
    assert _numbers(client, address="长安大道") == {filing.number}
    assert _numbers(client, item="热食类") == {licence.number}  # by name
    assert _numbers(client, item="prepack") == {filing.number}  # by code
    assert _numbers(client, item="没有这个项目") == set()
    assert _numbers(client, park=cast.park.pk) == {filing.number}
    assert _numbers(client, kind="filing") == {filing.number}
    assert _numbers(client, status="valid") == both
    assert _numbers(client, status="revoked") == set()
    until = licence.valid_until
    window = {"expiry_from": until - timedelta(days=1), "expiry_to": until + timedelta(days=1)}
    assert _numbers(client, **window) == {licence.number}  # a 备案 has no expiry date
    assert _numbers(client, expiry_to=today()) == set()


def test_the_status_filter_uses_the_status_shown_today(cast, lic, login, two):
    licence, filing = two
    services.licence_revoke(
        actor=cast.officer,
        licence=filing,
        reason="违法经营",
        decision_number="平高市监罚〔2026〕1号",
    )
    client = login(cast.officer)
    assert _numbers(client, status="revoked") == {filing.number}
    assert _numbers(client, status="valid") == {licence.number}
    # Past its last valid day but the daily job has not run yet: shown as 已过期.
    type(licence).objects.filter(pk=licence.pk).update(valid_until=today() - timedelta(days=1))
    assert _numbers(client, status="expired") == {licence.number}
    assert _numbers(client, status="valid") == set()
    page = client.get("/licensing/library/", {"status": "expired"}).content.decode()
    assert "已过期" in page


def test_a_malformed_date_is_explained_and_the_rest_still_applies(cast, lic, login, two):
    _licence, filing = two
    client = login(cast.officer)
    response = client.get("/licensing/library/", {"expiry_from": "2026-13-45", "kind": "filing"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "日期无法识别" in page and "2026-13-45" in page
    assert {r.licence.number for r in response.context["rows"]} == {filing.number}


def test_the_export_holds_the_filtered_rows(cast, lic, login, two):
    licence, filing = two
    client = login(cast.officer)
    response = client.get("/licensing/library/", {"kind": "licence", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header, data = rows[0], rows[1:]
    assert header[:5] == [
        "证照编号",
        "证照种类",
        "状态",
        "经营者名称",
        "统一社会信用代码（身份证号码）",
    ]
    assert len(data) == 1
    row = dict(zip(header, data[0], strict=True))
    assert row["证照编号"] == licence.number
    assert row["状态"] == "有效"
    assert row["经营者名称"] == licence.operator_name
    assert row["统一社会信用代码（身份证号码）"] == licence.holder_code
    assert "热食类食品制售" in row["经营项目"]
    assert row["有效期至"] == licence.valid_until.isoformat()
    assert row["当前证书编号"] == licence.number
    everything = client.get("/licensing/library/", {"format": "xlsx"})
    sheet = load_workbook(BytesIO(everything.content)).active
    parks = {r[0]: r[10] or "" for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert parks == {licence.number: "", filing.number: cast.park.name}


def test_the_api_searches_with_the_same_filters_and_pages(cast, lic, login, two):
    licence, filing = two
    client = login(cast.officer)
    body = client.get("/api/licensing/library", {"page_size": 1}).json()
    assert body["count"] == 2 and body["pages"] == 2 and len(body["results"]) == 1
    second = client.get("/api/licensing/library", {"page_size": 1, "page": 2}).json()
    assert {body["results"][0]["number"], second["results"][0]["number"]} == {
        licence.number,
        filing.number,
    }
    body = client.get("/api/licensing/library", {"park": cast.park.pk}).json()
    assert [r["number"] for r in body["results"]] == [filing.number]
    assert body["results"][0]["park_name"] == cast.park.name
    body = client.get("/api/licensing/library", {"item": "热食"}).json()
    assert [r["number"] for r in body["results"]] == [licence.number]
    bad = client.get("/api/licensing/library", {"status": "lost", "expiry_from": "x"})
    assert bad.status_code == 400
    export = client.get("/api/licensing/library/export", {"holder": "李四"})
    sheet = load_workbook(BytesIO(export.content)).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == [filing.number]


def test_the_licence_page_shows_every_version_and_the_identifier_chain(cast, lic, login):
    licence = issued_licence(cast, lic)
    app = services.application_start(
        actor=cast.applicant, kind="licence", app_type="replace", licence=licence
    )
    app = services.application_update(
        actor=cast.applicant, application=app, data={"reason": "遗失", "declarations": True}
    )
    app = services.application_sign(actor=cast.applicant, application=app)
    submit_verified(cast.applicant, app)
    client = login(cast.officer)
    response = client.get(f"/licensing/licences/{licence.pk}/")
    data = response.context["data"]
    v2, v1 = data["versions"]
    assert (v1["document_status_label"], v2["document_status_label"]) == ("已变更", "有效")
    assert v2["reason_label"] == "补证"
    assert v2["previous_identifier"] == v1["identifier"] and v1["previous_identifier"] == ""
    page = response.content.decode()
    assert f'href="/verify/{licence.number}/"' in page
    assert f'href="/verify/{licence.number}-002/"' in page
    assert "已变更" in page and v1["identifier"] in page
    api = client.get(f"/api/licensing/licences/{licence.pk}").json()
    assert [v["document_status"] for v in api["versions"]] == ["valid", "changed"]
    assert api["versions"][0]["previous_identifier"] == v1["identifier"]


def test_the_menu_offers_the_library_to_officers_only(cast, lic, login):
    assert "/licensing/library/" in login(cast.officer).get("/").content.decode()
    assert "/licensing/library/" not in login(cast.applicant).get("/").content.decode()
