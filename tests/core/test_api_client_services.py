"""The API client services refuse on their own, whatever page or endpoint calls them:
only a zone-level org admin issues or revokes, only registered scopes are granted."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.conftest import make_user
from tests.core.api_client_fixtures import issue
from zonegov.core.errors import ApplicationError, PermissionRefused
from zonegov.core.models import ApiClient, AuditRecord
from zonegov.core.roles import ORG_ADMIN
from zonegov.core.services.api_clients import (
    api_client_issue,
    api_client_key_issue,
    api_client_key_revoke,
    api_client_revoke,
)

pytestmark = pytest.mark.django_db

REFUSED = (PermissionDenied, PermissionRefused)


def test_only_a_zone_level_org_admin_issues_and_revokes(cast):
    park_admin = make_user("park_admin", cast.park, ORG_ADMIN)
    issued, record, _key = issue(cast)
    for user in (cast.officer, cast.leader, cast.applicant, park_admin):
        with pytest.raises(REFUSED):
            api_client_issue(actor=user, name="x", organisation="y", scopes=["documents:status"])
        for act in (
            lambda u=user: api_client_key_issue(actor=u, client=issued),
            lambda u=user: api_client_key_revoke(actor=u, key=record),
            lambda u=user: api_client_revoke(actor=u, client=issued),
        ):
            with pytest.raises(REFUSED):
                act()
    assert ApiClient.objects.count() == 1
    record.refresh_from_db()
    issued.refresh_from_db()
    assert record.revoked_at is None and issued.revoked_at is None
    assert issued.keys.count() == 1


def test_it_grants_only_registered_scopes_and_reports_every_bad_field(cast):
    with pytest.raises(ApplicationError) as refused:
        api_client_issue(
            actor=cast.admin,
            name="",
            organisation="x" * 101,
            scopes=["documents:status", "root:all"],
            expires_at=timezone.now() - timedelta(minutes=1),
        )
    errors = refused.value.field_errors
    assert set(errors) == {"name", "organisation", "scopes", "expires_at"}
    assert "root:all" in errors["scopes"][0]
    assert not ApiClient.objects.exists()
    assert not AuditRecord.objects.filter(action__startswith="api_client").exists()


def test_revoking_twice_records_one_revocation(cast):
    issued, record, _key = issue(cast)
    api_client_key_revoke(actor=cast.admin, key=record)
    api_client_key_revoke(actor=cast.admin, key=record)
    api_client_revoke(actor=cast.admin, client=issued)
    api_client_revoke(actor=cast.admin, client=issued)
    actions = list(
        AuditRecord.objects.filter(action__startswith="api_client").values_list("action", flat=True)
    )
    assert sorted(actions) == ["api_client.issue", "api_client.key_revoke", "api_client.revoke"]
