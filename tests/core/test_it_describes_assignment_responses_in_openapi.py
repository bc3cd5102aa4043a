"""Issue 10 item 14: every schema in /api/openapi.json has its own name, so that
``GET /api/assignments/{id}`` answers what its own schema says (two ``TimelineOut``
schemas used to overwrite each other)."""

import schemathesis
from django.core import signals
from django.db import close_old_connections
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from zonegov.api import api
from zonegov.core.services.assignments import assignment_act, assignment_create
from zonegov.core.services.users import api_token_create
from zonegov.wsgi import application


def test_the_timeline_schema_of_an_assignment_is_its_own():
    schemas = api.get_openapi_schema()["components"]["schemas"]
    ref = schemas["AssignmentDetailOut"]["properties"]["timeline"]["items"]["$ref"]
    timeline = schemas[ref.rsplit("/", 1)[-1]]
    assert {"actor_name", "action_label", "from_state", "to_state"} <= set(timeline["properties"])


def test_the_assignment_detail_validates_against_its_schema(cast):
    assignment = assignment_create(
        actor=cast.admin,
        title="核查消防通道",
        description="本周内完成",
        unit=cast.park,
        assignee=None,
        time_limit=5,
    )
    assignment_act(actor=cast.park_officer, assignment=assignment, action="accept", note="")
    key = api_token_create(user=cast.admin, name="schema")[1]
    # Calling the WSGI app directly fires request_started/finished, whose handler would
    # close the test's database connection (as in test_api_fuzz).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
        operation = schema["/api/assignments/{assignment_id}"]["GET"]
        case = operation.Case(path_parameters={"assignment_id": assignment.pk})
        response = case.call(headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 200 and response.json()["timeline"]
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
