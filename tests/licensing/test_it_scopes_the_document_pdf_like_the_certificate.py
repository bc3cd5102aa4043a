"""Issue 10 item 14: ``/api/documents/{number}/pdf`` answers exactly those who may open
the licence's certificate page (the holder, licensing staff and supervisors in scope),
and nobody else — a staff role alone is not enough."""

from tests.licensing.conftest import instant_filing


def urls(licence):
    return (
        f"/licensing/licences/{licence.pk}/certificate/",
        f"/api/documents/{licence.current_document.number}/pdf",
    )


def test_those_who_may_open_the_certificate_may_download_the_pdf(cast, lic, login):
    licence = instant_filing(cast).licence
    for user in (cast.applicant, cast.officer, cast.leader, lic.inspector):
        client = login(user)
        for url in urls(licence):
            response = client.get(url)
            assert response.status_code == 200, (user.username, url)
            assert response["Content-Type"] == "application/pdf"


def test_staff_outside_the_certificate_rule_get_404_from_both(cast, lic, login):
    licence = instant_filing(cast).licence
    for user in (cast.park_officer, cast.grid_worker, lic.stranger_officer, cast.other_applicant):
        client = login(user)
        for url in urls(licence):
            assert client.get(url).status_code == 404, (user.username, url)
