"""公示: the public announcement of licensing decisions at /gongshi/, as RSS/Atom feeds
and as JSON (/api/public/notices) — no login, public fields only, personal ID numbers
masked, bad filters explained and kept."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.test import Client

from tests.conftest import VALID_ID
from tests.identity_helpers import submit_verified
from tests.licensing.conftest import instant_filing, today
from zonegov.core.identifiers import mask_id_number
from zonegov.licensing import services
from zonegov.licensing.models import Licence, PublicNotice

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
STALL_TICKS = {
    "subject_type": "2",
    "items": [{"code": "hot"}],
    "premises": {"pest_control": "yes"},
    "premises_address": "高阳社区夜市3号摊位",
    "declarations": True,
}


def stall_of_a_person(cast) -> Licence:
    """A 食品小摊点备案卡 held by a natural person (张三, ID number VALID_ID)."""
    app = services.application_start(actor=cast.applicant, kind="small_stall", holder_kind="person")
    app = services.application_update(actor=cast.applicant, application=app, data=STALL_TICKS)
    app = services.application_sign(actor=cast.applicant, application=app)
    app = submit_verified(cast.applicant, app)
    assert app.state == "issued"
    return app.licence


def cancel(cast, licence: Licence) -> None:
    app = services.application_start(
        actor=cast.applicant, kind=licence.kind, app_type="cancel", licence=licence
    )
    app = services.application_update(
        actor=cast.applicant, application=app, data={"declarations": True, "reason": "停止经营"}
    )
    app = services.application_sign(actor=cast.applicant, application=app)
    submit_verified(cast.applicant, app)


def page(client, **params) -> str:
    response = client.get("/gongshi/", params)
    assert response.status_code == 200
    return response.content.decode()


def rss_items(client, **params) -> list[ET.Element]:
    response = client.get("/gongshi/rss/", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss"
    return root.findall("./channel/item")


def atom_entries(client, **params) -> list[ET.Element]:
    response = client.get("/gongshi/atom/", params)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def api(client, **params):
    return client.get("/api/public/notices", params)


def test_an_instant_approval_is_announced_at_once_without_login(cast, lic):
    instant_filing(cast)
    licence = Licence.objects.get()
    cert = licence.current_document.number
    html = page(Client())
    assert "新办" in html
    assert licence.operator_name in html
    assert licence.number in html
    assert f'href="/verify/{cert}/"' in html
    assert licence.premises_address in html
    assert "仅销售预包装食品" in html  # 经营项目
    assert "平顶山高新技术产业开发区管理委员会" in html
    assert "共 1 条" in html


def test_the_public_header_links_to_the_announcement(cast, lic):
    html = Client().get("/verify/").content.decode()
    assert 'href="/gongshi/"' in html and "许可公示" in html


def test_the_page_head_offers_the_feeds(cast, lic):
    html = page(Client(), event="granted")
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert 'href="/gongshi/rss/?event=granted"' in html
    assert 'type="application/atom+xml"' in html and 'href="/gongshi/atom/?event=granted"' in html


def test_a_persons_id_number_is_masked_everywhere(cast, lic):
    licence = stall_of_a_person(cast)
    masked = mask_id_number(VALID_ID)
    assert licence.holder_code == VALID_ID and masked != VALID_ID
    client = Client()
    html = page(client)
    rss = client.get("/gongshi/rss/").content.decode()
    atom = client.get("/gongshi/atom/").content.decode()
    body = api(client).content.decode()
    for text in (html, rss, atom, body):
        assert VALID_ID not in text
        assert masked in text
    assert api(client).json()["items"][0]["holder_code"] == masked


def test_the_json_has_public_fields_only(cast, lic):
    instant_filing(cast)
    response = api(Client())
    assert response.status_code == 200
    data = response.json()
    assert {k: data[k] for k in ("count", "count_capped", "page", "pages", "per_page")} == {
        "count": 1,
        "count_capped": False,
        "page": 1,
        "pages": 1,
        "per_page": 20,
    }
    item = data["items"][0]
    assert set(item) == {
        "event",
        "event_label",
        "occurred_at",
        "kind",
        "kind_label",
        "licence_number",
        "certificate_number",
        "verify_url",
        "operator_name",
        "holder_code",
        "subject_type_name",
        "item_names",
        "premises_address",
        "valid_from",
        "valid_until",
        "issuer_name",
        "note",
    }
    licence = Licence.objects.get()
    assert item["event"] == "granted" and item["event_label"] == "新办"
    assert item["licence_number"] == licence.number
    assert item["verify_url"].endswith(f"/verify/{licence.current_document.number}/")
    assert licence.legal_rep not in response.content.decode()
    assert cast.applicant.username not in response.content.decode()


def test_a_cancelled_licence_shows_a_cancellation_line(cast, lic):
    instant_filing(cast)
    licence = Licence.objects.get()
    cancel(cast, licence)
    html = page(Client(), event="cancelled")
    assert html.count('data-testid="notice"') == 1
    assert 'data-event="cancelled"' in html and "注销" in html and licence.number in html
    events = [i["event"] for i in api(Client()).json()["items"]]
    assert events == ["cancelled", "granted"]  # newest first


def test_search_by_number_prefix_and_by_name(cast, lic):
    instant_filing(cast)
    filing = Licence.objects.get()
    stall = stall_of_a_person(cast)
    client = Client()
    html = page(client, q=filing.number[:-3].lower())
    assert filing.number in html and stall.number not in html
    html = page(client, q="夜市")  # two characters of the stall's address
    assert stall.number in html and filing.number not in html
    html = page(client, q="夜市3号")
    assert stall.number in html and filing.number not in html
    two = filing.operator_name[2:4]
    assert filing.number in page(client, q=two)
    assert filing.number in page(client, q=filing.operator_name[1:5])
    assert "没有符合条件的公示信息" in page(client, q="查无此店")
    assert [i["licence_number"] for i in api(client, q="夜市").json()["items"]] == [stall.number]


def test_filters_by_event_kind_and_date(cast, lic):
    instant_filing(cast)
    stall = stall_of_a_person(cast)
    client = Client()
    html = page(client, kind="small_stall")
    assert html.count('data-testid="notice"') == 1 and stall.number in html
    day = today()
    assert (
        page(client, date_from=day.isoformat(), date_to=day.isoformat()).count(
            'data-testid="notice"'
        )
        == 2
    )
    assert "没有符合条件" in page(client, date_from=(day + timedelta(days=1)).isoformat())
    assert "没有符合条件" in page(client, event="revoked")
    assert len(rss_items(client, kind="small_stall")) == 1
    assert api(client, kind="filing").json()["count"] == 1


def _many_notices(n: int) -> Licence:
    licence = Licence.objects.get()
    for _ in range(n):
        services.notice_publish(licence, event="replaced", document=None)
    return licence


def test_pages_keep_the_filters(cast, lic):
    instant_filing(cast)
    _many_notices(44)  # 45 notices: 3 pages of 20
    client = Client()
    html = page(client, event="replaced")
    assert "共 44 条" in html and 'data-testid="page-position">1 / 3<' in html
    assert 'href="?event=replaced&amp;page=2"' in html
    html = page(client, event="replaced", page="3")
    assert html.count('data-testid="notice"') == 4
    data = api(client, page=2, per_page=40).json()
    assert (data["page"], data["pages"], len(data["items"])) == (2, 2, 5)


def test_bad_page_numbers_are_explained(cast, lic):
    instant_filing(cast)
    client = Client()
    html = page(client, page="abc")
    assert "页码“abc”无效" in html and 'data-testid="notice"' in html
    html = page(client, page="99999999999999999999")
    assert "页码" in html and 'data-testid="notice"' in html
    html = page(client, page="7")
    assert "共 1 页，没有第 7 页" in html and 'data-testid="notice"' in html


def test_bad_filters_are_explained_and_kept(cast, lic):
    instant_filing(cast)
    client = Client()
    html = page(client, date_from="2026-13-45", q="夜")
    assert "日期无法识别，请写成 2026-01-31 的格式。" in html
    assert 'value="2026-13-45"' in html and 'value="夜"' in html
    assert "请至少输入" not in html  # one character searches the name's first character
    html = page(client, event="nonsense", date_from="2026-02-01", date_to="2026-01-01")
    assert "没有“nonsense”这种事项" in html and "结束日期早于开始日期" in html
    assert client.get("/gongshi/", {"q": "x" * 300}).status_code == 200


def test_feeds_parse_and_honour_filters(cast, lic):
    instant_filing(cast)
    licence = Licence.objects.get()
    cancel(cast, licence)
    client = Client()
    items = rss_items(client)
    assert len(items) == 2
    assert items[0].findtext("title").startswith("注销：")
    assert licence.number in items[1].findtext("title")
    assert items[1].findtext("link").endswith(f"/verify/{licence.versions.get().document.number}/")
    assert "经营场所：" in items[1].findtext("description")
    cancelled = rss_items(client, event="cancelled")
    assert [i.findtext("title")[:2] for i in cancelled] == ["注销"]
    entries = atom_entries(client)
    assert len(entries) == 2 and entries[0].findtext(f"{ATOM}title").startswith("注销：")
    assert len(atom_entries(client, event="granted")) == 1


def test_a_feed_with_bad_filters_says_what_is_wrong(cast, lic):
    response = Client().get("/gongshi/rss/", {"date_from": "yesterday"})
    assert response.status_code == 400
    assert "日期无法识别" in response.content.decode()


def test_the_api_explains_bad_input(cast, lic):
    client = Client()
    response = api(client, date_to="2026-02-30")
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["field"] == "date_to"
    assert "日期无法识别" in body["errors"][0]["message"]
    assert api(client, page=0).status_code == 400
    assert api(client, per_page=1000).status_code == 400
    assert api(client, page="abc").status_code == 400
    assert api(client, page=10**12).status_code == 200


def test_announcement_lines_are_written_by_the_decisions_not_the_page(cast, lic):
    instant_filing(cast)
    before = PublicNotice.objects.count()
    page(Client())
    api(Client())
    assert PublicNotice.objects.count() == before == 1
