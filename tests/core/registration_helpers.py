"""Registering through the page as a person does: "获取验证码", read the SMS (the demo
channel shows it on the page in development and tests), then submit with the code."""

import re

from django.test import Client

REGISTER = "/accounts/register/"


def send_code(client: Client, data: dict):
    return client.post(REGISTER, {**data, "send": "1"})


def code_on_page(response) -> str:
    match = re.search(r"验证码是 (\d{6})", response.content.decode())
    return match.group(1) if match else ""


def register(client: Client, data: dict, **kwargs):
    """Ask for the code for ``data["mobile"]`` and submit ``data`` with it (a number that
    was sent no code — it has an account — is tried with a guess, as a squatter would)."""
    code = code_on_page(send_code(client, data)) or "000000"
    return client.post(REGISTER, {**data, "code": code}, **kwargs)
