"""An anonymous scan of an unchanged document gets the page its worker rendered before,
with its own CSRF token; anything the page shows changing (status, language, a signed-in
user) renders anew (core/views/verify.py)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.core import documents_fixtures
from tests.core.documents_fixtures import issue
from zonegov.core.models.documents import DocumentStatus
from zonegov.core.services.documents import document_set_status
from zonegov.core.views import verify

pytestmark = pytest.mark.django_db

pki_dir = documents_fixtures.pki_dir


@pytest.fixture
def doc(pki_dir, cast):
    verify._pages.clear()
    return issue(actor=cast.officer)


@pytest.fixture
def renders(monkeypatch):
    calls = []
    real = verify.render_to_string

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(verify, "render_to_string", counting)
    return calls


def scan(client, doc) -> str:
    response = client.get(reverse("verify_document", args=[doc.number]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    return response.content.decode()


def token_in(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_a_second_anonymous_scan_reuses_the_rendered_page(doc, renders):
    first = scan(Client(), doc)
    second = scan(Client(), doc)
    assert len(renders) == 1
    assert "真实有效" in second and doc.number in second
    assert first.replace(token_in(first), "") == second.replace(token_in(second), "")


def test_each_scan_gets_a_token_that_works_with_its_own_cookie(doc, renders):
    scan(Client(), doc)
    phone = Client(enforce_csrf_checks=True)
    page = scan(phone, doc)
    assert len(renders) == 1
    assert verify._CSRF_HOLE not in page
    response = phone.post(
        reverse("set_language"),
        {"language": "en", "next": "/verify/", "csrfmiddlewaretoken": token_in(page)},
    )
    assert response.status_code == 302  # not 403: the token matches this phone's cookie


def test_a_revocation_changes_the_page_at_once(doc, cast, renders):
    scan(Client(), doc)
    document_set_status(
        actor=cast.officer, document=doc, status=DocumentStatus.REVOKED, reason="违法经营"
    )
    page = scan(Client(), doc)
    assert "已吊销" in page
    assert len(renders) == 2


def test_a_replacement_changes_the_page_at_once(doc, cast, renders):
    scan(Client(), doc)
    new = issue(actor=cast.officer, replaces=doc)
    page = scan(Client(), doc)
    assert "已变更" in page and new.number in page
    assert len(renders) == 2


def test_a_signed_in_user_gets_a_page_of_their_own(doc, cast, renders, login):
    scan(Client(), doc)
    client = login(cast.officer)
    page = scan(client, doc)
    assert "退出" in page  # the navigation bar of a signed-in user
    assert len(renders) == 1  # rendered through render(), never kept
    assert "退出" not in scan(Client(), doc)


def test_the_english_page_is_kept_apart(doc, renders, settings):
    scan(Client(), doc)
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = scan(english, doc)
    assert "真实有效" not in page
    assert len(renders) == 2
    assert "真实有效" in scan(Client(), doc)
