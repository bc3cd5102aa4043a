"""Issue 12 defect 2: on /licensing/apply/ the radios carried the text-box style (the
choice was invisible), and the ticks page's text boxes had no style (names and addresses
cut at the browser's default width)."""

import re

import pytest

from tests.licensing.conftest import draft

pytestmark = pytest.mark.django_db

INPUT = re.compile(r"<input [^>]*>")


def _inputs(page: str, type_: str) -> list[str]:
    return [tag for tag in INPUT.findall(page) if f'type="{type_}"' in tag]


def test_the_start_page_draws_radios_as_radios(cast, lic, login):
    page = login(cast.applicant).get("/licensing/apply/").content.decode()
    radios = _inputs(page, "radio")
    assert len(radios) >= 4  # kinds and applicant types
    for tag in radios:
        assert "form-check-input" in tag, tag
        assert "form-control" not in tag, tag
    (uscc,) = [t for t in _inputs(page, "text") if 'name="uscc"' in t]
    assert "form-control" in uscc


def test_the_ticks_page_styles_every_box(cast, lic, login):
    app = draft(cast)
    page = login(cast.applicant).get(app.get_absolute_url()).content.decode()
    form = page[page.index('data-testid="ticks-form"') :]
    form = form[: form.index("</form>")]
    texts = _inputs(form, "text")
    assert {re.search(r'name="(\w+)"', t).group(1) for t in texts} >= {
        "operator_name",
        "premises_address",
        "address",
    }
    for tag in texts:
        assert "form-control" in tag, tag
    for tag in _inputs(form, "radio") + _inputs(form, "checkbox"):
        assert "form-check-input" in tag, tag
        assert "form-control" not in tag, tag
