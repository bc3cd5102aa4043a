"""The /dashboard/ page and its .xlsx export: who may open them, what they show, and
clear messages (never a 500) for a bad period or dimension."""

import json
import re
from io import BytesIO

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

PERIOD = "date_from=2025-01-01&date_to=2025-06-30"


def chart_data(html: str, key: str) -> dict:
    match = re.search(
        rf'<script id="chart-data-{key}" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, f"no chart data for {key}"
    return json.loads(match.group(1))


def test_a_leader_sees_both_sections_with_cards_chart_data_and_table(cast, known, login):
    response = login(cast.leader).get(f"/dashboard/?{PERIOD}&dimension=month")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="section-licensing"' in html
    assert 'data-testid="section-supervision"' in html
    assert "食品经营许可" in html and "全区" in html
    figure = re.search(
        r'data-testid="figure-licensing-instant_share">.*?fs-4[^>]*>([^<]+)<', html, re.S
    )
    assert figure and figure.group(1).strip() == "40.0%"
    data = chart_data(html, "licensing")
    assert data["categories"] == [f"2025年{m}月" for m in range(1, 7)]
    series = {s["name"]: s for s in data["series"]}
    assert series["申请件数"]["data"] == [0, 0, 1, 2, 1, 1]
    assert series["即申即审占比"]["kind"] == "share"
    assert series["即申即审占比"]["data"][4] == 100.0  # May, in percent
    assert "vendor/echarts/echarts.min.js" in html and "dashboard/dashboard.js" in html
    assert "<script>" not in html  # no inline script (CSP)


def test_the_dimension_switch_groups_by_kind_and_by_park(cast, known, login):
    client = login(cast.leader)
    html = client.get(f"/dashboard/?{PERIOD}&dimension=kind").content.decode()
    assert chart_data(html, "licensing")["categories"][:2] == [
        "食品经营许可证",
        "仅销售预包装食品备案",
    ]
    html = client.get(f"/dashboard/?{PERIOD}&dimension=park").content.decode()
    categories = chart_data(html, "licensing")["categories"]
    assert cast.park.name in categories and categories[-1] == "未归属园区"


def test_the_default_period_is_this_year(cast, login):
    from django.utils import timezone

    today = timezone.localdate()
    html = login(cast.leader).get("/dashboard/").content.decode()
    assert f'value="{today.year}-01-01"' in html
    assert f'value="{today.isoformat()}"' in html


def test_the_nav_shows_the_dashboard_to_staff_who_may_see_it(cast, login, client):
    assert "统计分析" in login(cast.officer).get("/").content.decode()
    client.logout()
    assert "统计分析" not in login(cast.grid_worker).get("/").content.decode()
    client.logout()
    assert "统计分析" not in login(cast.applicant).get("/").content.decode()


@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/export.xlsx"])
def test_anonymous_visitors_are_sent_to_log_in(client, cast, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/export.xlsx"])
def test_applicants_and_roles_without_figures_are_refused(cast, login, client, url):
    assert login(cast.applicant).get(url).status_code == 403
    client.logout()
    assert login(cast.grid_worker).get(url).status_code == 403


def test_a_licensing_officer_sees_the_licensing_section_only(cast, known, login):
    html = login(cast.officer).get(f"/dashboard/?{PERIOD}").content.decode()
    assert 'data-testid="section-licensing"' in html
    assert 'data-testid="section-supervision"' not in html
    assert "行政服务中心及下级单位" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date_from=2025-13-01", "开始日期“2025-13-01”不是有效日期"),
        (
            "date_from=2025-06-01&date_to=2025-01-01",
            "开始日期（2025-06-01）不能晚于结束日期（2025-01-01）",
        ),
        ("date_to=昨天", "结束日期“昨天”不是有效日期"),
        ("dimension=region", "没有“region”这个统计维度"),
        ("date_from=1900-01-01&date_to=2025-01-01", "统计期间不能超过十年"),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(cast, login, query, message):
    response = login(cast.leader).get(f"/dashboard/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'data-testid="section-licensing"' not in html
    typed = dict(p.split("=") for p in query.split("&"))
    for name in ("date_from", "date_to"):
        if name in typed:
            assert f'value="{typed[name]}"' in html


def test_the_export_has_one_sheet_per_dimension_with_the_same_figures(cast, known, login):
    response = login(cast.leader).get(f"/dashboard/export.xlsx?{PERIOD}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(BytesIO(response.content))
    assert wb.sheetnames == [
        "说明",
        "许可-按种类",
        "许可-按园区",
        "许可-按月份",
        "监管抽检-按种类",
        "监管抽检-按园区",
        "监管抽检-按月份",
        "好差评-按种类",
        "好差评-按单位",
        "好差评-按月份",
    ]
    ws = wb["许可-按月份"]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[2]
    assert header[0] == "月份" and "申请件数" in header and "即申即审占比" in header
    col = {name: i for i, name in enumerate(header)}
    by_label = {r[0]: r for r in rows[3:]}
    assert by_label["2025年4月"][col["申请件数"]] == 2
    total = by_label["合计"]
    assert total[col["申请件数"]] == 5
    assert total[col["不予许可"]] == 1
    assert total[col["即申即审占比"]] == pytest.approx(0.4)
    assert total[col["办结用时中位数（工作日）"]] == 1
    assert total[col["办结用时中位数（小时）"]] == 120
    assert total[col["电子证照签发率"]] == 1
    assert ws.cell(row=len(rows), column=col["即申即审占比"] + 1).number_format == "0.0%"
    parks = {r[0]: r for r in list(wb["许可-按园区"].iter_rows(values_only=True))[3:]}
    assert parks["未归属园区"][col["申请件数"]] == 1
    about = [r for r in wb["说明"].iter_rows(values_only=True)]
    assert about[1] == ("统计期间", "2025-01-01", "2025-06-30", None)


def test_an_officers_export_holds_their_section_only(cast, known, login):
    response = login(cast.officer).get(f"/dashboard/export.xlsx?{PERIOD}")
    wb = load_workbook(BytesIO(response.content))
    assert wb.sheetnames == ["说明", "许可-按种类", "许可-按园区", "许可-按月份"]


def test_a_bad_export_period_is_explained_not_a_500(cast, login):
    response = login(cast.leader).get("/dashboard/export.xlsx?date_from=2025-02-30")
    assert response.status_code == 400
    assert "不是有效日期" in response.content.decode()


def test_the_dimension_choice_offers_only_what_the_visible_sections_group_by(cast, login):
    officer_page = login(cast.officer).get("/dashboard/").content.decode()
    leader_page = login(cast.leader).get("/dashboard/").content.decode()
    assert 'value="month"' in officer_page
    assert 'value="unit"' not in officer_page  # only 好差评 groups by unit; leaders see it
    assert 'value="unit"' in leader_page
