"""Registering and editing through the pages: bad input is explained field by field and
nothing the user typed is lost."""

from tests.core.enterprise_fixtures import fields, make_uscc, register, wrong_check_character
from zonegov.core.models import Enterprise


def form_data(n: int = 1, **overrides) -> dict:
    data = {**fields(n), "park": "", "industry": "38", "size": "small", "established_on": ""}
    data.update(overrides)
    return data


def test_an_editor_registers_an_enterprise(cast, login):
    client = login(cast.officer)
    assert client.get("/enterprises/new/").status_code == 200
    response = client.post("/enterprises/new/", form_data(established_on="2021-03-04"))
    enterprise = Enterprise.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/enterprises/{enterprise.pk}/"
    assert enterprise.industry_id == "38"
    assert str(enterprise.established_on) == "2021-03-04"


def test_a_wrong_check_character_is_explained_and_the_input_kept(cast, login):
    bad = wrong_check_character(make_uscc(1))
    response = login(cast.officer).post(
        "/enterprises/new/", form_data(uscc=bad, name="保留我输入的名称")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "校验位不正确" in html
    assert f'value="{bad}"' in html
    assert 'value="保留我输入的名称"' in html
    assert not Enterprise.objects.exists()


def test_a_control_character_is_refused_and_the_input_kept(cast, login):
    """Every form of the platform refuses control characters (core.validation)."""
    response = login(cast.officer).post(
        "/enterprises/new/", form_data(registered_address="高新区\x0b测试路1号")
    )
    assert response.status_code == 200
    assert "不能包含控制字符" in response.content.decode()
    assert not Enterprise.objects.exists()


def test_a_bad_date_is_explained_in_chinese(cast, login):
    response = login(cast.officer).post("/enterprises/new/", form_data(established_on="去年"))
    assert "日期无法识别，请写成 2020-01-31 的格式。" in response.content.decode()


def test_a_park_officer_only_sees_their_park_in_the_form(cast, login):
    html = login(cast.park_officer).get("/enterprises/new/").content.decode()
    assert "电气装备产业园区" in html
    assert "皇台街道" not in html


def test_an_editor_edits_and_the_change_appears_in_the_history(cast, login):
    enterprise = register(cast.admin, park=cast.park)
    client = login(cast.park_officer)
    page = client.get(f"/enterprises/{enterprise.pk}/edit/").content.decode()
    assert f'value="{enterprise.uscc}"' in page
    response = client.post(
        f"/enterprises/{enterprise.pk}/edit/",
        form_data(park=cast.park.pk, legal_representative="新法人"),
    )
    assert response.status_code == 302
    detail = client.get(f"/enterprises/{enterprise.pk}/").content.decode()
    assert "新法人" in detail and "王测试" in detail and "园区专员" in detail


def test_a_duplicate_code_on_edit_is_explained(cast, login):
    register(cast.admin, 1)
    second = register(cast.admin, 2)
    response = login(cast.admin).post(
        f"/enterprises/{second.pk}/edit/", form_data(2, uscc=make_uscc(1))
    )
    assert response.status_code == 200
    assert "已登记为“平顶山测试电气有限公司1”" in response.content.decode()
    second.refresh_from_db()
    assert second.uscc == make_uscc(2)


def test_an_empty_form_names_each_missing_field(cast, login):
    response = login(cast.officer).post("/enterprises/new/", {"name": "只填了名称"})
    html = response.content.decode()
    for message in (
        "请填写统一社会信用代码。",
        "请选择类型。",
        "请填写法定代表人/负责人。",
        "请填写住所。",
    ):
        assert message in html
    assert 'value="只填了名称"' in html
