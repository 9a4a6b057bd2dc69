"""HTTP signatures: what we sign verifies, and every kind of tampering is refused with its reason."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from agora.federation import signatures
from agora.federation.signatures import SignatureError

PRIVATE, PUBLIC = signatures.generate_key_pair()
OTHER_PRIVATE, OTHER_PUBLIC = signatures.generate_key_pair()
URL = "https://agora.example/inbox"
KEY_ID = "https://remote.example/u/alice#main-key"
BODY = b'{"type":"Create","actor":"https://remote.example/u/alice"}'


def _signed(body=BODY, private=PRIVATE, method="POST", url=URL):
    return signatures.sign_headers(method, url, body, KEY_ID, private)


def test_signed_post_verifies_and_names_its_key():
    headers = _signed()
    signatures.verify("POST", "/inbox", headers, BODY, PUBLIC)
    assert signatures.key_id_of(headers) == KEY_ID
    assert headers["Digest"].startswith("SHA-256=")


def test_signed_get_with_query_verifies():
    headers = _signed(body=None, method="GET", url="https://agora.example/u/bob?page=2")
    assert "Digest" not in headers
    signatures.verify("GET", "/u/bob?page=2", headers, None, PUBLIC)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda h, b: (h, b + b" "), "Digest does not match"),
        (lambda h, b: ({**h, "Digest": signatures.digest(b + b"x")}, b + b"x"), "does not verify"),
        (lambda h, b: ({**h, "Host": "evil.example"}, b), "does not verify"),
        (lambda h, b: ({k: v for k, v in h.items() if k != "Date"}, b), "date is missing"),
        (lambda h, b: ({k: v for k, v in h.items() if k != "Signature"}, b), "no keyid"),
        (lambda h, b: ({**h, "Signature": h["Signature"].replace("rsa-sha256", "hmac-sha1")}, b), "unsupported"),
        (
            lambda h, b: (
                {
                    **h,
                    "Signature": h["Signature"].replace(
                        'headers="(request-target) host date digest"', 'headers="date"'
                    ),
                },
                b,
            ),
            "does not cover",
        ),
    ],
)
def test_tampering_is_refused_with_its_reason(change, reason):
    headers, body = change(_signed(), BODY)
    with pytest.raises(SignatureError, match=reason):
        signatures.verify("POST", "/inbox", headers, body, PUBLIC)


def test_wrong_key_and_wrong_path_are_refused():
    with pytest.raises(SignatureError, match="does not verify"):
        signatures.verify("POST", "/inbox", _signed(), BODY, OTHER_PUBLIC)
    with pytest.raises(SignatureError, match="does not verify"):
        signatures.verify("POST", "/u/bob/inbox", _signed(), BODY, PUBLIC)


def test_stale_and_future_dates_are_refused():
    for delta in (timedelta(hours=-2), timedelta(hours=2)):
        headers = _signed()
        headers["Date"] = format_datetime(datetime.now(UTC) + delta, usegmt=True)
        with pytest.raises(SignatureError, match="away from now"):
            signatures.verify("POST", "/inbox", headers, BODY, PUBLIC)


def test_header_names_are_case_insensitive_and_hs2019_is_accepted():
    headers = {k.upper(): v for k, v in _signed().items()}
    headers["SIGNATURE"] = headers["SIGNATURE"].replace("rsa-sha256", "hs2019")
    signatures.verify("POST", "/inbox", headers, BODY, PUBLIC)
