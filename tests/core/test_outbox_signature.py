"""Receivers can tell a genuine, fresh push from a tampered, forged or replayed one."""

import time

from zonegov.core.services.outbox import canonical_json, sign, verify_signature

SECRET = "s3cret"
BODY = canonical_json({"id": "k", "payload": {"名称": "张记面馆"}, "topic": "t"})


def test_a_valid_signature_verifies():
    assert verify_signature(SECRET, sign(SECRET, BODY), BODY)


def test_a_tampered_body_is_refused():
    header = sign(SECRET, BODY)
    assert not verify_signature(SECRET, header, BODY.replace("张记".encode(), "李记".encode()))


def test_a_wrong_secret_is_refused():
    assert not verify_signature("other", sign(SECRET, BODY), BODY)


def test_a_stale_timestamp_is_refused_as_a_replay():
    old = int(time.time()) - 301
    assert not verify_signature(SECRET, sign(SECRET, BODY, timestamp=old), BODY)
    assert verify_signature(SECRET, sign(SECRET, BODY, timestamp=old), BODY, tolerance=600)


def test_a_future_timestamp_beyond_tolerance_is_refused():
    assert not verify_signature(SECRET, sign(SECRET, BODY, timestamp=int(time.time()) + 400), BODY)


def test_malformed_headers_are_refused_not_crashed():
    for header in ["", "garbage", "t=abc,v1=00", "t=1", "v1=abcd", ",,,", "t=,v1="]:
        assert not verify_signature(SECRET, header, BODY)
    assert not verify_signature("", sign(SECRET, BODY), BODY)


def test_the_body_is_canonical_sorted_utf8_without_spaces():
    assert canonical_json({"b": 1, "a": "中"}) == '{"a":"中","b":1}'.encode()


def test_the_header_has_the_documented_form():
    header = sign(SECRET, BODY, timestamp=1700000000)
    t, v1 = header.split(",")
    assert t == "t=1700000000"
    assert v1.startswith("v1=") and len(v1) == 3 + 64
