"""The 公示 feeds carry applicants' names and addresses. A feed reader renders an RSS
<description> and an Atom summary of type "html" as HTML after XML unescaping, so a name
like ``<svg onload=…>`` must arrive as text, never as markup (a penetration test ran it)."""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.conftest import VALID_USCC
from tests.identity_helpers import submit_verified
from tests.licensing.conftest import FILING_TICKS
from zonegov.core.models import Enterprise
from zonegov.licensing import services

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
PAYLOAD = "<svg onload=alert(1)>"


class Rendered(HTMLParser):
    """What a feed reader's HTML renderer makes of a text: elements and visible text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text = ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "br":
            self.text += "\n"

    def handle_data(self, data):
        self.text += data


@pytest.fixture
def hostile_notice(cast, lic):
    Enterprise.objects.filter(uscc=VALID_USCC).update(name=f"{PAYLOAD}餐饮")
    app = services.application_start(actor=cast.applicant, kind="filing")
    ticks = {**FILING_TICKS, "premises_address": f"高新区{PAYLOAD}大道1号"}
    app = services.application_update(actor=cast.applicant, application=app, data=ticks)
    app = services.application_sign(actor=cast.applicant, application=app)
    app = submit_verified(cast.applicant, app)
    assert app.licence.operator_name == f"{PAYLOAD}餐饮"


def test_it_sends_the_rss_description_as_escaped_html(hostile_notice):
    response = Client().get("/gongshi/rss/")
    assert response.status_code == 200
    (item,) = ET.fromstring(response.content).findall("./channel/item")
    shown = Rendered(item.findtext("description"))
    assert set(shown.tags) <= {"br"}, shown.tags
    assert f"经营者名称：{PAYLOAD}餐饮" in shown.text.splitlines()
    assert f"经营场所：高新区{PAYLOAD}大道1号" in shown.text.splitlines()


def test_it_sends_the_atom_summary_as_plain_text(hostile_notice):
    response = Client().get("/gongshi/atom/")
    assert response.status_code == 200
    (entry,) = ET.fromstring(response.content).findall(f"{ATOM}entry")
    summary = entry.find(f"{ATOM}summary")
    text = summary.text
    if summary.get("type", "text") == "html":
        shown = Rendered(text)
        assert set(shown.tags) <= {"br"}, shown.tags
        text = shown.text
    assert summary.get("type", "text") == "text"
    assert f"经营者名称：{PAYLOAD}餐饮" in text.splitlines()
    assert f"经营场所：高新区{PAYLOAD}大道1号" in text.splitlines()
    assert PAYLOAD in entry.findtext(f"{ATOM}title")  # Atom titles default to text
