"""The core disclosure service serves any registered category the way it serves 行政许可:
a second category (registered here over the licensing table, as a later module would
register its own) gets its tab on /gongshi/, its page with search, its feeds and its JSON;
``publish`` masks what must be masked; the old JSON address answers as the new one."""

import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.conftest import VALID_ID
from tests.licensing.conftest import instant_filing
from zonegov.core.disclosure import (
    Category,
    ChoiceFilter,
    PublicField,
    TextSearch,
    publish,
    register_category,
    unregister_category,
)
from zonegov.licensing import kinds
from zonegov.licensing.models import Licence, PublicNotice

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _withdrawals() -> Category:
    """Cancellations and revocations only, with fields of its own choosing."""
    return Category(
        key="withdrawals",
        label="注销吊销",
        title="注销和吊销公示",
        model=PublicNotice,
        queryset=lambda: PublicNotice.objects.filter(event__in=["cancelled", "revoked"]),
        fields=(
            PublicField("event", "事项", page=False),
            PublicField("occurred_at", "公示时间", page=False),
            PublicField("number", "编号", source="licence_number", mono=True),
            PublicField("name", "名称", source="operator_name", page=False),
            PublicField("code", "代码", source="holder_code", testid="holder-code"),
            PublicField("address", "地址", source="premises_address", wide=True),
            PublicField("issuer_name", "机关"),
        ),
        filters=(
            ChoiceFilter("event", "事项", [("cancelled", "注销"), ("revoked", "吊销")]),
            ChoiceFilter("kind", "种类", kinds.KIND_CHOICES),
        ),
        number_field="licence_number",
        name_field="operator_name",
        code_field="holder_code",
        text_search=(TextSearch("operator_name", "name"),),
        order=50,
    )


@pytest.fixture
def withdrawals():
    category = register_category(_withdrawals())
    yield category
    unregister_category(category.key)


def _notice(licence: Licence, event: str, **fields) -> PublicNotice:
    values = {
        "licence": licence,
        "event": event,
        "kind": licence.kind,
        "licence_number": licence.number,
        "operator_name": licence.operator_name,
        "holder_code": licence.holder_code,
        "subject_type_name": "食品销售经营者",
        "premises_address": licence.premises_address,
        "issuer_name": "平顶山高新技术产业开发区管理委员会",
    }
    return publish("permits", **(values | fields))


def test_the_second_category_has_its_tab_its_page_and_its_search(cast, lic, withdrawals):
    instant_filing(cast)
    licence = Licence.objects.get()
    _notice(licence, "cancelled", operator_name="老街便利店")
    client = Client()
    html = client.get("/gongshi/").content.decode()
    assert 'data-testid="category-permits"' in html
    assert 'href="/gongshi/withdrawals/"' in html and "注销吊销" in html
    assert html.count('data-testid="notice"') == 2  # /gongshi/ is still 行政许可: both lines

    page = client.get("/gongshi/withdrawals/").content.decode()
    assert "注销和吊销公示" in page and page.count('data-testid="notice"') == 1
    assert 'data-event="cancelled"' in page and "老街便利店" in page
    assert 'href="/gongshi/withdrawals/rss/"' in page
    for query, hits in (("老街", 1), (licence.number[:8].lower(), 1), ("查无此店", 0)):
        found = client.get("/gongshi/withdrawals/", {"q": query}).content.decode()
        assert found.count('data-testid="notice"') == hits, query
    refused = client.get("/gongshi/withdrawals/", {"event": "granted"}).content.decode()
    assert "没有“granted”这一项" in refused


def test_the_second_category_has_feeds_and_json(cast, lic, withdrawals):
    instant_filing(cast)
    licence = Licence.objects.get()
    notice = _notice(licence, "revoked", note="平高市监罚〔2026〕1号")
    client = Client()
    rss = ET.fromstring(client.get("/gongshi/withdrawals/rss/").content)
    items = rss.findall("./channel/item")
    assert [i.findtext("title") for i in items] == [
        f"吊销：{licence.operator_name}（{licence.number}）"
    ]
    assert items[0].findtext("guid") == f"urn:zonegov:gongshi:withdrawals:{notice.pk}"
    assert "地址：" in items[0].findtext("description")
    atom = ET.fromstring(client.get("/gongshi/withdrawals/atom/", {"event": "revoked"}).content)
    assert len(atom.findall(f"{ATOM}entry")) == 1

    data = client.get("/api/public/disclosures/withdrawals").json()
    assert data["category"] == "withdrawals" and data["count"] == 1
    assert data["items"] == [
        {
            "event": "revoked",
            "event_label": "吊销",
            "occurred_at": data["items"][0]["occurred_at"],
            "number": licence.number,
            "name": licence.operator_name,
            "code": licence.holder_code,
            "address": licence.premises_address,
            "issuer_name": "平顶山高新技术产业开发区管理委员会",
            "url": "",
        }
    ]
    listed = client.get("/api/public/disclosures").json()
    assert [c["key"] for c in listed] == ["permits", "withdrawals"]
    assert listed[1]["filters"][0]["choices"][1] == {"value": "revoked", "label": "吊销"}


def test_an_unknown_category_is_not_found_everywhere(cast, lic):
    client = Client()
    for path in ("/gongshi/penalties/", "/gongshi/penalties/rss/", "/gongshi/penalties/atom/"):
        assert client.get(path).status_code == 404, path
    assert client.get("/api/public/disclosures/penalties").status_code == 404


def test_the_old_json_address_answers_as_the_permits_category(cast, lic):
    instant_filing(cast)
    client = Client()
    old = client.get("/api/public/notices", {"event": "granted"}).json()
    new = client.get("/api/public/disclosures/permits", {"event": "granted"}).json()
    assert new.pop("category") == "permits" and new.pop("label") == "行政许可"
    assert old == new and old["count"] == 1
    number = Licence.objects.get().number
    for path in ("/gongshi/permits/", "/gongshi/"):
        html = client.get(path).content.decode()
        assert "食品经营许可公示" in html and number in html, path
        assert html.count('data-testid="notice"') == 1, path


def test_publish_masks_a_persons_id_number_whatever_the_caller_passed(cast, lic):
    instant_filing(cast)
    licence = Licence.objects.get()
    notice = _notice(licence, "replaced", holder_code=VALID_ID)
    notice.refresh_from_db()
    assert notice.holder_code == "1101051949****002X"
    kept = _notice(licence, "replaced")  # an enterprise's 统一社会信用代码 stays
    assert kept.holder_code == licence.holder_code
    html = Client().get("/gongshi/").content.decode()
    assert VALID_ID not in html and "1101051949****002X" in html


def test_publish_masks_names_where_the_category_asks(cast, lic):
    instant_filing(cast)
    licence = Licence.objects.get()
    category = _withdrawals()
    register_category(
        Category(**{**category.__dict__, "key": "persons", "mask_person_names": True})
    )
    try:
        notice = publish(
            "persons",
            natural_person=True,
            **{
                "licence": licence,
                "event": "revoked",
                "kind": licence.kind,
                "licence_number": licence.number,
                "operator_name": "王小明",
                "holder_code": VALID_ID,
                "subject_type_name": "食品摊贩",
                "premises_address": "",
                "issuer_name": "平顶山高新技术产业开发区管理委员会",
            },
        )
    finally:
        unregister_category("persons")
    assert (notice.operator_name, notice.holder_code) == ("王*明", "1101051949****002X")


def test_publish_refuses_what_the_table_cannot_hold(cast, lic):
    instant_filing(cast)
    licence = Licence.objects.get()
    before = PublicNotice.objects.count()
    with pytest.raises(ValidationError):
        _notice(licence, "granted", kind="spaceship")
    with pytest.raises(ValidationError):
        _notice(licence, "granted", note="长" * 301)
    with pytest.raises(TypeError):
        _notice(licence, "granted", legal_rep="不公开")
    with pytest.raises(LookupError):
        publish("penalties", licence=licence)
    assert PublicNotice.objects.count() == before


def test_a_category_naming_a_missing_column_is_refused_at_registration():
    from django.core.exceptions import ImproperlyConfigured

    category = _withdrawals()
    broken = Category(**{**category.__dict__, "key": "broken", "name_field": "owner_name"})
    with pytest.raises(ImproperlyConfigured, match="owner_name"):
        register_category(broken)
    with pytest.raises(ValueError):
        Category(**{**category.__dict__, "key": "rss"})
