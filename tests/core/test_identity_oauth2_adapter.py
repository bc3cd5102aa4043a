"""The configurable OAuth2 authorization-code adapter, against a fake 统一身份认证 platform
served on the loopback interface: the code is exchanged server-side for a token, the
token for the user info, and the configured field map turns it into the verified
identity; refusals and failures say what happened."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from tests.conftest import VALID_ID, VALID_USCC
from zonegov.core.models import IdentityVerification, Person

pytestmark = pytest.mark.django_db

LEVEL = {"value": "L2"}


class FakePlatform(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet
        pass

    def _json(self, status: int, body: dict) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):  # token endpoint (form-encoded, like RFC 6749 §4.1.3)
        length = int(self.headers.get("Content-Length", 0))
        form = parse_qs(self.rfile.read(length).decode())
        ok = (
            urlparse(self.path).path == "/token"
            and form.get("grant_type") == ["authorization_code"]
            and form.get("code") == ["good-code"]
            and form.get("client_id") == ["zonegov"]
            and form.get("client_secret") == ["s3cret"]
            and form.get("redirect_uri", [""])[0].endswith("/identity/tyrz/callback/")
        )
        if not ok:
            return self._json(400, {"error": "invalid_grant"})
        return self._json(200, {"access_token": "tok-123", "expires_in": 600})

    def do_GET(self):  # user info (Guangdong-like nesting)
        if self.headers.get("Authorization") != "Bearer tok-123":
            return self._json(401, {"error": "invalid_token"})
        return self._json(
            200,
            {
                "userobj": {
                    "uid": "gd-0001",
                    "cn": "张三",
                    "idcardnumber": VALID_ID.lower(),
                    "creditable_level_of_account": LEVEL["value"],
                },
                "pareobj": {"idcardnumber": VALID_USCC, "cn": "张三餐馆", "legal_person": "张三"},
                "actor_role": "LEGAL",
            },
        )


@pytest.fixture
def platform():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakePlatform)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def tyrz(settings, platform):
    settings.ZONEGOV_IDENTITY_PROVIDERS = {
        "tyrz": {
            "class": "zonegov.core.identity.oauth2.OAuth2CodeProvider",
            "label": "测试省统一身份认证",
            "authorize_url": "https://tyrz.example/authorize?service=initService",
            "token_url": f"{platform}/token",
            "userinfo_url": f"{platform}/userinfo",
            "client_id": "zonegov",
            "client_secret": "s3cret",
            "fields": {
                "subject": "userobj.uid",
                "name": "userobj.cn",
                "id_number": "userobj.idcardnumber",
                "assurance": "userobj.creditable_level_of_account",
                "enterprise_uscc": "pareobj.idcardnumber",
                "enterprise_name": "pareobj.cn",
                "legal_rep_name": "pareobj.legal_person",
                "role": "actor_role",
            },
            "role_values": {"legal_representative": ["LEGAL"], "agent": ["AGENT"]},
            "accepted_levels": ["L2", "L3"],
        }
    }
    return settings


@pytest.fixture
def applicant(cast):
    cast.applicant.person = Person.objects.create(name="张三（自填）", id_number=None)
    cast.applicant.save()
    return cast.applicant


def _start(client) -> str:
    response = client.post("/identity/tyrz/start/")
    location = urlparse(response["Location"])
    assert location.netloc == "tyrz.example" and location.path == "/authorize"
    query = parse_qs(location.query)
    assert query["client_id"] == ["zonegov"] and query["response_type"] == ["code"]
    assert query["service"] == ["initService"]
    return query["state"][0]


def test_the_code_is_exchanged_and_the_identity_bound(tyrz, applicant, client):
    LEVEL["value"] = "L2"
    client.force_login(applicant)
    state = _start(client)
    response = client.get(f"/identity/tyrz/callback/?code=good-code&state={state}")
    assert response.status_code == 302 and response["Location"] == "/identity/"
    verification = IdentityVerification.objects.get()
    assert (verification.name, verification.id_number) == ("张三", VALID_ID)
    assert verification.provider == "tyrz" and verification.assurance == "L2"
    assert verification.subject == "gd-0001"
    assert verification.enterprise_uscc == VALID_USCC
    assert verification.enterprise_role == "legal_representative"
    applicant.refresh_from_db()
    assert applicant.person.name == "张三" and applicant.full_name == "张三"  # typed replaced
    assert "测试省统一身份认证" in client.get("/identity/").content.decode()


def test_a_level_below_real_name_is_refused(tyrz, applicant, client):
    LEVEL["value"] = "L0"
    client.force_login(applicant)
    state = _start(client)
    response = client.get(f"/identity/tyrz/callback/?code=good-code&state={state}", follow=True)
    assert "未达到实名核验要求" in response.content.decode()
    assert not IdentityVerification.objects.exists()
    LEVEL["value"] = "L2"


def test_a_bad_code_is_refused_by_the_platform(tyrz, applicant, client):
    client.force_login(applicant)
    state = _start(client)
    response = client.get(f"/identity/tyrz/callback/?code=stolen&state={state}", follow=True)
    assert "拒绝了请求（HTTP 400）" in response.content.decode()
    assert not IdentityVerification.objects.exists()


def test_a_forged_state_is_refused_before_any_exchange(tyrz, applicant, client):
    client.force_login(applicant)
    _start(client)
    response = client.get("/identity/tyrz/callback/?code=good-code&state=forged", follow=True)
    assert "不是从本页面发起" in response.content.decode()
    assert not IdentityVerification.objects.exists()


def test_an_unreachable_platform_is_explained(tyrz, applicant, client, settings):
    settings.ZONEGOV_IDENTITY_PROVIDERS["tyrz"]["token_url"] = "http://127.0.0.1:9/token"
    client.force_login(applicant)
    state = _start(client)
    response = client.get(f"/identity/tyrz/callback/?code=good-code&state={state}", follow=True)
    assert "暂时无法访问" in response.content.decode()
