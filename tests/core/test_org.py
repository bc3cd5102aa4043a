import pytest

from zonegov.core.errors import ApplicationError
from zonegov.core.models import Unit, User
from zonegov.core.services.org import unit_create, unit_update


def test_an_org_admin_adds_a_grid_under_a_community(cast, login):
    response = login(cast.admin).post(
        "/org/units/new/",
        {
            "name": "高阳社区第九网格",
            "code": "gy-9",
            "kind": "grid",
            "parent": cast.community.pk,
            "sort_order": 0,
        },
    )
    assert response.status_code == 302
    grid = Unit.objects.get(code="gy-9")
    assert grid.path == f"{cast.community.path}{grid.pk}/"


def test_a_park_cannot_sit_under_a_community(cast):
    with pytest.raises(ApplicationError, match="不能设立"):
        unit_create(actor=cast.admin, name="x", code="x", kind="park", parent=cast.community)


def test_moving_a_unit_moves_its_subtree(cast):
    grid = unit_create(actor=cast.admin, name="网格", code="g1", kind="grid", parent=cast.community)
    town = unit_create(actor=cast.admin, name="镇", code="t1", kind="town", parent=cast.zone)
    unit_update(
        actor=cast.admin,
        unit=cast.community,
        name="高阳社区",
        parent=town,
        sort_order=0,
        is_active=True,
    )
    grid.refresh_from_db()
    assert grid.path.startswith(town.path)


def test_a_unit_cannot_move_under_itself(cast):
    with pytest.raises(ApplicationError):
        unit_update(
            actor=cast.admin,
            unit=cast.street,
            name="皇台街道",
            parent=cast.community,
            sort_order=0,
            is_active=True,
        )


def test_an_org_admin_adds_a_staff_member_and_gets_an_initial_password(cast, login):
    response = login(cast.admin).post(
        "/org/people/new/",
        {
            "username": "newgrid",
            "full_name": "新网格员",
            "unit": cast.community.pk,
            "roles": ["grid_worker"],
            "is_active": "on",
        },
        follow=True,
    )
    assert "初始密码" in response.content.decode()
    user = User.objects.get(username="newgrid")
    assert user.is_staff_member and user.unit == cast.community


def test_a_staff_member_without_a_role_is_refused_and_the_form_kept(cast, login):
    response = login(cast.admin).post(
        "/org/people/new/", {"username": "norole", "full_name": "无角色", "unit": cast.community.pk}
    )
    assert response.status_code == 200 and 'value="无角色"' in response.content.decode()
    assert not User.objects.filter(username="norole").exists()


def test_only_org_admins_manage_and_leaders_only_read(cast, login):
    assert login(cast.leader).get("/org/").status_code == 200
    assert login(cast.leader).get("/org/units/new/").status_code == 403
    assert login(cast.officer).get("/org/").status_code == 403
    assert login(cast.applicant).get("/org/").status_code == 403


def test_a_lower_unit_admin_sees_only_their_subtree(cast, login):
    street_admin = User.objects.create_user(username="streetadmin", password="x", unit=cast.street)
    street_admin.roles.set(["org_admin"])
    page = login(street_admin).get("/org/").content.decode()
    assert "高阳社区" in page and "行政服务中心" not in page
    assert login(street_admin).get(f"/org/units/{cast.dept.pk}/").status_code == 404
    units = {u["name"] for u in login(street_admin).get("/api/units").json()}
    assert units == {"皇台街道", "高阳社区"}
