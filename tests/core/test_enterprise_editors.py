from tests.core.enterprise_fixtures import fields
from zonegov.core.models import User
from zonegov.core.services.enterprises import enterprise_create


def test_a_licensing_officer_of_the_service_centre_edits_a_park_enterprise(cast):
    enterprise = enterprise_create(actor=cast.admin, **fields(1, park=cast.park))
    assert cast.officer.has_perm("core.change_enterprise", enterprise)


def test_a_park_officer_edits_only_enterprises_of_their_park(cast):
    own = enterprise_create(actor=cast.admin, **fields(2, park=cast.park))
    other = enterprise_create(actor=cast.admin, **fields(3, park=cast.street))
    assert cast.park_officer.has_perm("core.change_enterprise", own)
    assert not cast.park_officer.has_perm("core.change_enterprise", other)


def test_an_editor_role_without_a_unit_edits_nothing(cast):
    enterprise = enterprise_create(actor=cast.admin, **fields(4, park=cast.park))
    loose = User.objects.create_user(username="loose", password="x")
    loose.roles.set(["park_officer"])
    assert not loose.has_perm("core.change_enterprise", enterprise)
