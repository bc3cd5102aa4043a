"""A recording SMS gateway for the phone-login tests: keeps every SMS it is handed."""

import re

from zonegov.core.services.notifications import SmsChannel

SENT: list[dict] = []


class RecordingSms(SmsChannel):
    def deliver_sms(self, *, mobile: str, text: str, idempotency_key: str) -> None:
        SENT.append({"mobile": mobile, "text": text, "key": idempotency_key})


class BrokenSms(SmsChannel):
    def deliver_sms(self, *, mobile: str, text: str, idempotency_key: str) -> None:
        raise ConnectionError("gateway down")


def last_code(mobile: str) -> str:
    texts = [s["text"] for s in SENT if s["mobile"] == mobile]
    match = re.search(r"验证码是 (\d{6})", texts[-1]) if texts else None
    assert match, f"no code was sent to {mobile}: {texts}"
    return match.group(1)
