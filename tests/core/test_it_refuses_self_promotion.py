"""Role assignment (issue 10 item 4): nobody changes their own roles; an org admin grants
only roles within its own unit subtree and level; zone-wide roles (审批员, 核查员,
监管/抽检员) only by a zone-level org admin; every grant is audited and notified to the
zone-level org admins. The registry edit rule is scoped like every other rule."""

import pytest

from tests.conftest import make_user
from tests.core.enterprise_fixtures import fields
from zonegov.core.errors import ApplicationError
from zonegov.core.models import AuditRecord, Notification
from zonegov.core.roles import ORG_ADMIN, PARK_OFFICER
from zonegov.core.services.enterprises import enterprise_create
from zonegov.core.services.users import staff_user_create, staff_user_update
from zonegov.licensing.roles import INSPECTOR, LICENSING_OFFICER, SUPERVISOR


@pytest.fixture
def park_admin(cast):
    return make_user("parkadmin", cast.park, ORG_ADMIN, full_name="园区管理员")


def person_form(user, **changes):
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "title": user.title,
        "unit": user.unit_id,
        "roles": sorted(user.role_codes()),
        "is_active": "on",
    }
    data.update(changes)
    return data


def roles_of(user) -> set[str]:
    user.refresh_from_db()
    user._role_codes = None
    return set(user.role_codes())


def test_it_refuses_a_park_admin_making_itself_a_licensing_officer(cast, park_admin, login):
    client = login(park_admin)
    response = client.post(
        f"/org/people/{park_admin.pk}/",
        person_form(park_admin, roles=["org_admin", "licensing_officer"]),
    )
    assert response.status_code == 200
    assert "不能修改自己的角色" in response.content.decode()
    assert roles_of(park_admin) == {"org_admin"}


def test_it_refuses_anyone_changing_their_own_roles_even_a_zone_admin(cast):
    with pytest.raises(ApplicationError, match="不能修改自己的角色"):
        staff_user_update(
            actor=cast.admin,
            user=cast.admin,
            full_name=cast.admin.full_name,
            unit=cast.zone,
            roles=["org_admin", "leader"],
            title="",
            is_active=True,
        )
    assert roles_of(cast.admin) == {"org_admin"}


def test_a_user_may_still_edit_their_own_name_without_touching_roles(cast):
    staff_user_update(
        actor=cast.admin,
        user=cast.admin,
        full_name="新名字",
        unit=cast.zone,
        roles=["org_admin"],
        title="主任",
        is_active=True,
    )
    cast.admin.refresh_from_db()
    assert cast.admin.full_name == "新名字"


def test_it_refuses_a_park_admin_granting_a_zone_wide_role_to_someone_else(cast, park_admin, login):
    response = login(park_admin).post(
        f"/org/people/{cast.park_officer.pk}/",
        person_form(cast.park_officer, roles=["park_officer", "licensing_officer"]),
    )
    assert "只有高新区一级的组织管理员" in response.content.decode()
    assert roles_of(cast.park_officer) == {"park_officer"}


def test_it_refuses_a_park_admin_creating_an_account_with_a_zone_wide_role(cast, park_admin):
    for role in (LICENSING_OFFICER, INSPECTOR, SUPERVISOR):
        with pytest.raises(ApplicationError, match="只有高新区一级的组织管理员"):
            staff_user_create(
                actor=park_admin,
                username=f"sneaky-{role}",
                full_name="x",
                unit=cast.park,
                roles=[role],
            )


def test_it_refuses_a_grant_outside_the_admins_subtree(cast, park_admin):
    with pytest.raises(ApplicationError, match="您的管辖范围"):
        staff_user_update(
            actor=park_admin,
            user=cast.grid_worker,
            full_name=cast.grid_worker.full_name,
            unit=cast.community,
            roles=["grid_worker", "leader"],
            title="",
            is_active=True,
        )
    with pytest.raises(ApplicationError, match="您的管辖范围"):
        staff_user_create(
            actor=park_admin, username="x1", full_name="x", unit=cast.street, roles=["leader"]
        )
    assert roles_of(cast.grid_worker) == {"grid_worker"}


def test_a_park_admin_grants_park_roles_and_the_zone_admins_hear_of_it(cast, park_admin):
    other_zone_admin = make_user("admin2", cast.zone, ORG_ADMIN)
    staff_user_update(
        actor=park_admin,
        user=cast.park_officer,
        full_name=cast.park_officer.full_name,
        unit=cast.park,
        roles=["park_officer", "org_admin"],
        title="",
        is_active=True,
    )
    assert roles_of(cast.park_officer) == {"park_officer", "org_admin"}
    record = AuditRecord.objects.filter(action="user.roles_change").latest("id")
    assert record.actor_id == park_admin.pk
    assert record.changes["granted"] == ["org_admin"] and record.changes["revoked"] == []
    for admin in (cast.admin, other_zone_admin):
        note = Notification.objects.get(recipient=admin)
        assert "园区管理员" in note.body and "组织管理员" in note.body
    assert not Notification.objects.filter(recipient=park_admin).exists()


def test_a_zone_admin_grants_a_licensing_officer_and_it_is_audited(cast):
    user, _password = staff_user_create(
        actor=cast.admin,
        username="newofficer",
        full_name="新审批员",
        unit=cast.dept,
        roles=["licensing_officer"],
    )
    assert roles_of(user) == {"licensing_officer"}
    record = AuditRecord.objects.filter(action="user.roles_change", object_id=str(user.pk)).get()
    assert record.changes["granted"] == ["licensing_officer"]


def test_a_park_admin_cannot_revoke_a_zone_wide_role_either(cast, park_admin):
    inspector = make_user("insp", cast.park, INSPECTOR, PARK_OFFICER)
    with pytest.raises(ApplicationError, match="只有高新区一级的组织管理员"):
        staff_user_update(
            actor=park_admin,
            user=inspector,
            full_name="x",
            unit=cast.park,
            roles=["park_officer"],
            title="",
            is_active=True,
        )


def test_a_licensing_officer_held_in_a_park_edits_only_that_park(cast):
    """A zone-wide role counts zone-wide only where it is held legitimately: in a
    zone-level unit (the zone or one of its departments). One placed in a park (for
    example granted before the grant rule existed) is scoped to that park."""
    in_park = make_user("parkofficer2", cast.park, LICENSING_OFFICER)
    park_enterprise = enterprise_create(actor=cast.admin, **fields(5, park=cast.park))
    street_enterprise = enterprise_create(actor=cast.admin, **fields(6, park=cast.street))
    assert in_park.has_perm("core.change_enterprise", park_enterprise)
    assert not in_park.has_perm("core.change_enterprise", street_enterprise)
    # The service centre's officer (a zone department) still serves the whole zone.
    assert cast.officer.has_perm("core.change_enterprise", street_enterprise)
