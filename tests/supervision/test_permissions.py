"""Supervision officers see only their unit's operators: another branch's supervisor gets
404 everywhere; applicants and other staff are refused; anonymous users must log in."""

import pytest
from django.utils import timezone

from zonegov.supervision import services
from zonegov.supervision.models import SampleResult

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(sup, operator):
    inspection = services.inspection_create(
        actor=sup.supervisor, operator=operator, planned_date=timezone.localdate()
    )
    sampling = services.sampling_record(
        actor=sup.supervisor,
        operator=operator,
        sample_name="凉拌菜",
        batch_number="B1",
        sampled_on=timezone.localdate(),
        laboratory="检验中心",
        items=[services.SampleItemInput(item_tested="大肠菌群", result=SampleResult.FAIL)],
    )
    plan = services.plan_generate(actor=sup.supervisor, unit=sup.scjg, year=2026)
    return {
        "op": operator.pk,
        "insp": inspection.pk,
        "samp": sampling.pk,
        "fu": sampling.followup.pk,
        "plan": plan.pk,
    }


PAGES = [
    "/supervision/operators/{op}/",
    "/supervision/operators/{op}/inspections/new/",
    "/supervision/operators/{op}/samplings/new/",
    "/supervision/inspections/{insp}/",
    "/supervision/inspections/{insp}/record/",
    "/supervision/samplings/{samp}/",
    "/supervision/followups/{fu}/",
    "/supervision/plan/?plan={plan}",
]
API_GETS = [
    "/api/supervision/operators/{op}",
    "/api/supervision/operators/{op}/timeline",
    "/api/supervision/inspections/{insp}",
    "/api/supervision/samplings/{samp}",
    "/api/supervision/followups/{fu}",
    "/api/supervision/plans/{plan}",
]
API_POSTS = [
    ("/api/supervision/operators/{op}/risk-level", {"risk_level": "A"}),
    ("/api/supervision/operators/{op}/inspections", {"planned_date": "2026-12-01"}),
    ("/api/supervision/inspections/{insp}/verify", {"note": "x"}),
    ("/api/supervision/followups/{fu}/act", {"action": "investigate"}),
]
PAGE_POSTS = [
    "/supervision/operators/{op}/risk/",
    "/supervision/inspections/{insp}/verify/",
    "/supervision/followups/{fu}/act/",
]


def test_a_supervisor_of_another_unit_gets_404(sup, records, login):
    client = login(sup.other_supervisor)
    for url in PAGES + API_GETS:
        assert client.get(url.format(**records)).status_code == 404, url
    for url, body in API_POSTS:
        r = client.post(url.format(**records), body, content_type="application/json")
        assert r.status_code == 404, url
    for url in PAGE_POSTS:
        assert client.post(url.format(**records), {"risk_level": "A"}).status_code == 404, url
    assert client.get("/api/supervision/operators").json() == []
    assert client.get("/api/supervision/plans").json() == []
    assert "平顶山某某餐饮" not in client.get("/supervision/").content.decode()


@pytest.mark.parametrize("who", ["applicant", "officer", "park_officer"])
def test_applicants_and_other_staff_are_refused(cast, sup, records, login, who):
    client = login(getattr(cast, who))
    assert client.get("/supervision/").status_code == 403
    for url in PAGES:
        assert client.get(url.format(**records)).status_code in (403, 404), url
    for url in [*API_GETS, "/api/supervision/operators", "/api/supervision/inbox"]:
        assert client.get(url.format(**records)).status_code in (403, 404), url
    r = client.post("/api/supervision/plans", {"year": 2026}, content_type="application/json")
    assert r.status_code == 403


def test_anonymous_users_must_log_in(client, records):
    r = client.get("/supervision/")
    assert r.status_code == 302 and "login" in r["Location"]
    assert client.get("/api/supervision/operators").status_code == 401


def test_a_zone_leader_sees_but_does_not_record(cast, sup, records, login):
    client = login(cast.leader)
    assert client.get("/supervision/operators/{op}/".format(**records)).status_code == 200
    assert (
        client.get("/supervision/inspections/{insp}/record/".format(**records)).status_code == 403
    )
    r = client.post(
        "/api/supervision/inspections/{insp}/verify".format(**records),
        {"note": "x"},
        content_type="application/json",
    )
    assert r.status_code == 403
