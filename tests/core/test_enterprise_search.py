"""Staff search the registry by name (contains) or code (prefix), 属地, industry, type."""

from tests.conftest import make_unit
from tests.core.enterprise_fixtures import make_uscc, register
from zonegov.core.models import IndustryCode
from zonegov.core.models.org import UnitKind
from zonegov.core.selectors.enterprises import enterprise_search


def names(qs) -> list[str]:
    return [e.name for e in qs]


def setup_registry(cast):
    logistics = make_unit("临港物流产业园区", "lgwl", UnitKind.PARK, cast.zone)
    register(
        cast.admin,
        1,
        name="平顶山华辰电气设备有限公司",
        park=cast.park,
        industry=IndustryCode.objects.get(code="38"),
    )
    register(
        cast.admin,
        2,
        name="平顶山通衢多式联运有限公司",
        park=logistics,
        industry=IndustryCode.objects.get(code="58"),
    )
    register(
        cast.admin,
        3,
        name="高新区张记烩面馆",
        kind="individual",
        uscc=make_uscc(3, entity="2"),
        park=cast.street,
        industry=IndustryCode.objects.get(code="62"),
    )
    return logistics


def test_it_finds_by_part_of_the_name(cast):
    setup_registry(cast)
    assert names(enterprise_search(user=cast.officer, query="电气")) == [
        "平顶山华辰电气设备有限公司"
    ]
    assert names(enterprise_search(user=cast.officer, query="烩面")) == ["高新区张记烩面馆"]


def test_it_finds_by_the_start_of_the_code_in_any_case(cast):
    setup_registry(cast)
    code = make_uscc(2)
    assert names(enterprise_search(user=cast.officer, query=code)) == ["平顶山通衢多式联运有限公司"]
    assert len(enterprise_search(user=cast.officer, query="91410400ma5t")) == 2
    assert names(enterprise_search(user=cast.officer, query="92")) == ["高新区张记烩面馆"]


def test_it_filters_by_park_industry_section_and_type(cast):
    logistics = setup_registry(cast)
    assert names(enterprise_search(user=cast.officer, park_id=logistics.pk)) == [
        "平顶山通衢多式联运有限公司"
    ]
    assert names(enterprise_search(user=cast.officer, industry="38")) == [
        "平顶山华辰电气设备有限公司"
    ]
    assert names(enterprise_search(user=cast.officer, industry="H")) == ["高新区张记烩面馆"]
    assert len(enterprise_search(user=cast.officer, industry="C")) == 1
    assert names(enterprise_search(user=cast.officer, kind="individual")) == ["高新区张记烩面馆"]


def test_applicants_find_nothing(cast):
    setup_registry(cast)
    assert not enterprise_search(user=cast.applicant).exists()


def test_the_list_page_searches_and_keeps_the_filters(cast, login):
    setup_registry(cast)
    response = login(cast.grid_worker).get("/enterprises/", {"q": "电气", "kind": "llc"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "平顶山华辰电气设备有限公司" in html
    assert "平顶山通衢多式联运有限公司" not in html
    assert 'value="电气"' in html
    assert "/enterprises/export.xlsx?q=" in html


def test_the_list_page_ignores_nonsense_filters(cast, login):
    setup_registry(cast)
    response = login(cast.officer).get(
        "/enterprises/", {"park": "abc", "industry": "ZZ", "kind": "x", "page": "999"}
    )
    assert response.status_code == 200
