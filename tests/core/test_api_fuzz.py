"""Schemathesis fuzzes every API operation from the OpenAPI document, as an anonymous
client, as a licensing officer and as an org admin: whatever a client sends, the answer is
never a server error (5xx), and every answer matches the schema the document declares."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from zonegov.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calling the WSGI app directly fires request_started/finished, whose handler closes
    the database connection - and with it the test's transaction on PostgreSQL. Django's
    own test client disconnects that handler in the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=["anonymous", "officer", "admin"])
def headers(request, cast):
    """The credentials a call is made with: none, a licensing officer's or an org admin's
    API token."""
    from zonegov.core.services.users import api_token_create

    if request.param == "anonymous":
        return {}
    user = getattr(cast, request.param)
    return {"Authorization": f"Bearer {api_token_create(user=user, name='fuzz')[1]}"}


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_operation_answers_with_a_server_error_or_off_its_schema(case, headers):
    response = case.call(headers=headers)
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
