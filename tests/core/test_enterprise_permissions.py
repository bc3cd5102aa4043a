"""Who may see and change the registry: staff see it; registry editors change it, an editor
below zone level only for enterprises of their own park; applicants and the public never."""

import pytest

from tests.conftest import make_unit
from tests.core.enterprise_fixtures import fields, register
from zonegov.core.errors import PermissionRefused
from zonegov.core.models import Enterprise
from zonegov.core.models.org import UnitKind
from zonegov.core.services.enterprises import enterprise_create, enterprise_update


@pytest.fixture
def other_park(cast):
    return make_unit("临港物流产业园区", "lgwl", UnitKind.PARK, cast.zone)


def test_anonymous_visitors_are_sent_to_the_login_page(cast, client):
    enterprise = register(cast.admin)
    for url in (
        "/enterprises/",
        f"/enterprises/{enterprise.pk}/",
        "/enterprises/new/",
        "/enterprises/import/",
        "/enterprises/export.xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login" in response["Location"]


def test_an_applicant_cannot_see_the_list_or_an_enterprise(cast, login):
    enterprise = register(cast.admin)
    client = login(cast.applicant)
    assert client.get("/enterprises/").status_code == 403
    assert client.get(f"/enterprises/{enterprise.pk}/").status_code == 403
    assert client.get("/enterprises/export.xlsx").status_code == 403
    assert client.get("/enterprises/import/").status_code == 403


def test_any_staff_member_can_read_but_only_editors_can_write(cast, login):
    enterprise = register(cast.admin)
    client = login(cast.grid_worker)
    assert client.get("/enterprises/").status_code == 200
    assert client.get(f"/enterprises/{enterprise.pk}/").status_code == 200
    assert client.get("/enterprises/new/").status_code == 403
    assert client.get(f"/enterprises/{enterprise.pk}/edit/").status_code == 403
    assert client.get("/enterprises/import/").status_code == 403
    with pytest.raises(PermissionRefused):
        enterprise_create(actor=cast.grid_worker, **fields(2))


def test_a_park_officer_cannot_edit_another_parks_enterprise(cast, login, other_park):
    enterprise = register(cast.admin, park=other_park)
    client = login(cast.park_officer)
    assert client.get(f"/enterprises/{enterprise.pk}/").status_code == 200
    assert client.get(f"/enterprises/{enterprise.pk}/edit/").status_code == 403
    response = client.post(f"/enterprises/{enterprise.pk}/edit/", fields(1, name="改名"))
    assert response.status_code == 403
    with pytest.raises(PermissionRefused):
        enterprise_update(actor=cast.park_officer, enterprise=enterprise, name="改名")
    enterprise.refresh_from_db()
    assert enterprise.name == "平顶山测试电气有限公司1"


def test_a_park_officer_edits_enterprises_of_their_own_park(cast, login):
    enterprise = register(cast.admin, park=cast.park)
    updated = enterprise_update(actor=cast.park_officer, enterprise=enterprise, name="新名称")
    assert updated.name == "新名称"
    assert login(cast.park_officer).get(f"/enterprises/{enterprise.pk}/edit/").status_code == 200


def test_a_park_officer_cannot_register_or_move_an_enterprise_into_another_park(cast, other_park):
    with pytest.raises(PermissionRefused) as exc:
        enterprise_create(actor=cast.park_officer, **fields(1, park=other_park))
    assert exc.value.field_errors == {"park": ["您只能登记或修改本园区（属地）的市场主体。"]}
    assert not Enterprise.objects.exists()
    enterprise = register(cast.park_officer, 2, park=cast.park)
    with pytest.raises(PermissionRefused):
        enterprise_update(actor=cast.park_officer, enterprise=enterprise, park=other_park)
    enterprise.refresh_from_db()
    assert enterprise.park == cast.park


def test_zone_level_editors_change_every_enterprise(cast, other_park):
    enterprise = register(cast.park_officer, park=cast.park)
    moved = enterprise_update(actor=cast.admin, enterprise=enterprise, park=other_park)
    assert moved.park == other_park


def test_a_missing_enterprise_is_a_404(cast, login):
    assert login(cast.officer).get("/enterprises/999999/").status_code == 404
