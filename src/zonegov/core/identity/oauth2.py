"""A configurable OAuth2 authorization-code adapter for 统一身份认证 platforms.

Several provincial platforms are shaped like OAuth2 with their own endpoints and user
info (Guangdong ``tyrz``: authorize → ``access_token`` → ``tokeninfo``; research/
identity.md §1.2). Nothing is hard-coded: every URL, the client credentials, how the
token is sent and where each attribute sits in the user-info JSON come from the
provider's entry in ``ZONEGOV_IDENTITY_PROVIDERS`` (docs/deployment.md)::

    "tyrz": {
        "class": "zonegov.core.identity.oauth2.OAuth2CodeProvider",
        "label": "河南政务服务网统一身份认证",
        "authorize_url": "https://…/authorize", "token_url": "https://…/token",
        "userinfo_url": "https://…/userinfo",
        "client_id": "…", "client_secret": "…", "scope": "",
        "token_method": "POST",            # or "GET" (parameters in the query string)
        "userinfo_token": "header",        # Bearer header, or "query:access_token"
        "fields": {"subject": "uid", "name": "cn", "id_number": "idcardnumber",
                   "assurance": "creditable_level_of_account",
                   "enterprise_uscc": "pareobj.idcardnumber", ...},
        "role_values": {"legal_representative": ["1"], "agent": ["2"]},
        "accepted_levels": ["L2", "L3"],
    }

Field paths are dotted (``data.user.cn``). Ticket-style platforms (Zhejiang's signed
``ticketValidation``, the national ``tacs-uc``) need an adapter of their own with the same
two methods; the interface is :class:`~zonegov.core.identity.base.IdentityProvider`.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from zonegov.core.identity.base import (
    EnterpriseRole,
    IdentityProvider,
    ProviderError,
    VerifiedIdentity,
    check_state,
    new_state,
)

MAX_RESPONSE_BYTES = 1024 * 1024


def _at(data: Any, path: str) -> Any:
    for part in path.split(".") if path else ():
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


class OAuth2CodeProvider(IdentityProvider):
    label = "统一身份认证"

    def _option(self, key: str) -> str:
        value = self.options.get(key)
        if not value:
            raise ProviderError(
                _("统一身份认证未配置完整（缺少 %(key)s），请联系系统管理员。") % {"key": key}
            )
        return str(value)

    def _redirect_uri(self, callback_url: str) -> str:
        return str(self.options.get("redirect_uri") or callback_url)

    def start(self, request: Any, *, callback_url: str) -> str:
        params = {
            "client_id": self._option("client_id"),
            "response_type": "code",
            "redirect_uri": self._redirect_uri(callback_url),
            "state": new_state(request, self),
        }
        if self.options.get("scope"):
            params["scope"] = self.options["scope"]
        params.update(self.options.get("extra_authorize_params") or {})
        url = self._option("authorize_url")
        return url + ("&" if "?" in url else "?") + urlencode(params)

    def _fetch(self, request: urllib.request.Request) -> Any:
        timeout = float(self.options.get("timeout", 10))
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body = response.read(MAX_RESPONSE_BYTES + 1)
        except urllib.error.HTTPError as exc:
            raise ProviderError(
                _("统一身份认证平台拒绝了请求（HTTP %(status)s），请重新发起实名核验。")
                % {"status": exc.code}
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise ProviderError(_("统一身份认证平台暂时无法访问，请稍后重试。")) from exc
        if len(body) > MAX_RESPONSE_BYTES:
            raise ProviderError(_("统一身份认证平台的应答过大，无法处理。"))
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise ProviderError(_("统一身份认证平台的应答无法识别，请稍后重试。")) from exc

    def _token(self, code: str, callback_url: str) -> str:
        params = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self._redirect_uri(callback_url),
            "client_id": self._option("client_id"),
            "client_secret": self._option("client_secret"),
        }
        url = self._option("token_url")
        if str(self.options.get("token_method", "POST")).upper() == "GET":
            req = urllib.request.Request(url + ("&" if "?" in url else "?") + urlencode(params))
        else:
            req = urllib.request.Request(
                url,
                data=urlencode(params).encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                method="POST",
            )
        req.add_header("Accept", "application/json")
        answer = self._fetch(req)
        token = _text(_at(answer, self.options.get("token_field", "access_token")))
        if not token:
            raise ProviderError(_("统一身份认证平台没有返回访问令牌，请重新发起实名核验。"))
        return token

    def _userinfo(self, token: str) -> dict[str, Any]:
        url = self._option("userinfo_url")
        how = str(self.options.get("userinfo_token", "header"))
        if how.startswith("query:"):
            url += ("&" if "?" in url else "?") + urlencode({how[len("query:") :]: token})
            req = urllib.request.Request(url)
        else:
            req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
        req.add_header("Accept", "application/json")
        answer = self._fetch(req)
        if not isinstance(answer, dict):
            raise ProviderError(_("统一身份认证平台的应答无法识别，请稍后重试。"))
        return answer

    def _role(self, raw: str) -> str:
        for role, values in (self.options.get("role_values") or {}).items():
            if raw in {str(v) for v in values}:
                return role
        return ""

    def map_userinfo(self, info: dict[str, Any]) -> VerifiedIdentity:
        """The user-info JSON as a :class:`VerifiedIdentity` (by the ``fields`` map)."""
        fields = {
            "subject": "sub",
            "name": "name",
            "id_number": "id_number",
            "assurance": "assurance_level",
            **(self.options.get("fields") or {}),
        }

        def get(key: str) -> Any:
            return _at(info, fields[key]) if fields.get(key) else None

        enterprise = None
        uscc = _text(get("enterprise_uscc")).upper()
        if uscc:
            matters = get("matters")
            if isinstance(matters, str):
                matters = [m.strip() for m in matters.split(",") if m.strip()]
            until_raw = _text(get("authorised_until"))
            until: datetime | None = parse_datetime(until_raw) if until_raw else None
            if until is not None and timezone.is_naive(until):
                until = timezone.make_aware(until)
            enterprise = EnterpriseRole(
                uscc=uscc,
                name=_text(get("enterprise_name")),
                role=self._role(_text(get("role"))),
                legal_rep_name=_text(get("legal_rep_name")),
                legal_rep_id_number=_text(get("legal_rep_id_number")).upper(),
                matters=tuple(str(m) for m in (matters or ())),
                authorised_until=until,
            )
        return VerifiedIdentity(
            provider=self.name,
            subject=_text(get("subject")),
            name=_text(get("name")),
            id_number=_text(get("id_number")).upper(),
            assurance=_text(get("assurance")),
            verified_at=timezone.now(),
            enterprise=enterprise,
            raw=info,
        )

    def complete(self, request: Any, *, callback_url: str) -> VerifiedIdentity:
        check_state(request, self)
        if request.GET.get("error"):
            raise ProviderError(_("您在统一身份认证平台取消了登录或认证未通过，请重试。"))
        code = request.GET.get("code", "").strip()
        if not code or len(code) > 2048:
            raise ProviderError(_("统一身份认证平台没有返回授权码，请重新发起实名核验。"))
        token = self._token(code, callback_url)
        return self.map_userinfo(self._userinfo(token))
