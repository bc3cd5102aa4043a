"""Whatever an applicant's client sends as ticks, the API answers with a 2xx or a 4xx in
the platform's error shape, never a server error, and the draft stays readable."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

J = {"content_type": "application/json"}
text = st.one_of(st.text(max_size=40), st.integers(), st.none(), st.booleans())
ticks = st.fixed_dictionaries(
    {},
    optional={
        "holder_kind": text,
        "operator_name": st.text(max_size=300),
        "holder_code": st.text(max_size=30),
        "subject_type": text,
        "subject_qualifiers": st.lists(text, max_size=3),
        "items": st.lists(
            st.one_of(
                st.fixed_dictionaries({"code": text, "qualifiers": st.lists(text, max_size=2)}),
                text,
            ),
            max_size=4,
        ),
        "premises": st.dictionaries(st.text(max_size=15), text, max_size=4),
        "declarations": text,
        "conditions_unchanged": text,
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=ticks)
def test_random_ticks_never_cause_a_server_error(cast, lic, login, data):
    client = login(cast.applicant)
    app = client.post("/api/licensing/applications", {"kind": "licence"}, **J)
    app_id = app.json()["id"]
    response = client.patch(f"/api/licensing/applications/{app_id}", data, **J)
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert "message" in response.json()
    assert client.get(f"/api/licensing/applications/{app_id}").status_code == 200
    assert client.post(f"/api/licensing/applications/{app_id}/sign").status_code < 500
