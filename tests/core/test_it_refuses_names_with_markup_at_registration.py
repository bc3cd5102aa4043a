"""A name with markup, a leading formula character or only invisible characters is
refused at registration, with what was typed kept."""

import pytest

from tests.conftest import VALID_ID
from tests.core.registration_helpers import register
from zonegov.core.models import User

pytestmark = pytest.mark.django_db


def _register(client, name: str):
    return register(
        client,
        {
            "mobile": "13912345678",
            "full_name": name,
            "id_number": VALID_ID,
            "password": "Shipin-2026-ok",
            "password2": "Shipin-2026-ok",
            "privacy_consent": "on",
        },
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("<script>alert(1)</script>", "尖括号"),
        ("张<b>三</b>", "尖括号"),
        ("王五>", "尖括号"),
        ('=HYPERLINK("http://x")', "开头"),
        ("+86张三", "开头"),
        ("-张三", "开头"),
        ("@张三", "开头"),
        ("\u200b=1+1", "开头"),
        ("\u200b\u200c\u200d", "不可见字符"),
        ("\u2060\ufeff", "不可见字符"),
        ("\u200b \u200b", "不可见字符"),
    ],
)
def test_it_refuses_the_name(cast, client, name, message):
    response = _register(client, name)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "13912345678" in page  # what was typed is kept
    assert not User.objects.filter(username="13912345678").exists()


@pytest.mark.parametrize("name", ["张三", "欧阳娜娜", "阿卜杜拉·买买提", "李-四"])
def test_it_accepts_ordinary_names(cast, client, name):
    response = _register(client, name)
    assert response.status_code == 302
    assert User.objects.get(username="13912345678").full_name == name
