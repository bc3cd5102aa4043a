"""Roles are declared by the module that uses them (core.roles is a registry): a role a
module declares can be granted on the people page at once, its properties (zone-wide,
registry editor) are what the rules read, and two modules that declare one role must
agree on it."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from zonegov.core.models import Role, User
from zonegov.core.roles import (
    REGISTRY_EDITOR_ROLES,
    STAFF_ROLES,
    ZONE_WIDE_ROLES,
    register_role,
    registered_roles,
    sync_role_rows,
    unregister_role,
)


@pytest.fixture
def declared_role(db):
    """A role of a module installed after the database was set up (says 'post_migrate')."""
    code = register_role("flood_officer", "防汛专员", order=75, declared_by="tests")
    sync_role_rows()
    yield code
    unregister_role(code)


def test_every_declared_role_has_a_row_after_migrate(db):
    rows = dict(Role.objects.values_list("code", "name"))
    for role in registered_roles():
        assert rows[role.code] == str(role.label)
    # Declared by the apps, not listed in core.
    assert {"licensing_officer", "inspector", "supervisor"} <= set(rows)


def test_a_declared_role_appears_in_the_grant_form_and_can_be_granted(cast, login, declared_role):
    client = login(cast.admin)
    page = client.get("/org/people/new/").content.decode()
    assert "防汛专员" in page and 'value="flood_officer"' in page

    response = client.post(
        "/org/people/new/",
        {
            "username": "fangxun",
            "full_name": "防汛甲",
            "unit": cast.street.pk,
            "roles": ["flood_officer"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="fangxun")
    assert user.role_codes() == {"flood_officer"}
    assert user.is_staff_member
    assert "flood_officer" in STAFF_ROLES


def test_the_rules_read_the_properties_the_modules_declared(db):
    assert {"licensing_officer", "inspector", "supervisor"} <= set(ZONE_WIDE_ROLES)
    assert "org_admin" not in ZONE_WIDE_ROLES and "leader" not in ZONE_WIDE_ROLES
    assert set(REGISTRY_EDITOR_ROLES) == {"org_admin", "park_officer", "licensing_officer"}


def test_a_second_declaration_must_agree_with_the_first(db):
    # Supervision declares 核查员 as licensing does: the same declaration is accepted.
    assert register_role("inspector", "核查员", zone_wide=True) == "inspector"
    with pytest.raises(ImproperlyConfigured, match="inspector"):
        register_role("inspector", "核查员", zone_wide=False, declared_by="tests")


def test_it_refuses_a_role_code_that_is_no_identifier(db):
    with pytest.raises(ImproperlyConfigured):
        register_role("bad code!", "坏角色")
