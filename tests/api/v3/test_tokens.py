"""Login tokens: only ours, only while their session row exists."""

import time

import jwt


def claims_of(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def test_forged_signature_is_anonymous(server, api):
    member = api.register()
    forged = jwt.encode(claims_of(member.token), "not the instance secret", algorithm="HS256")
    assert api.as_(forged).error("GET", "/user/validate_auth")[1] == "not_logged_in"
    assert api.as_(forged).error("POST", "/community", {"name": "forged", "title": "F"}) == (401, "incorrect_login")


def test_token_of_another_instance_is_refused(server, api):
    member = api.register()
    secret = server.state.here.jwt_secret
    other = jwt.encode({**claims_of(member.token), "iss": "other.example"}, secret, algorithm="HS256")
    assert api.as_(other).error("GET", "/user/validate_auth")[1] == "not_logged_in"


def test_expired_token_is_refused(server, api):
    member = api.register()
    secret = server.state.here.jwt_secret
    expired = jwt.encode({**claims_of(member.token), "exp": int(time.time()) - 60}, secret, algorithm="HS256")
    assert api.as_(expired).error("GET", "/user/validate_auth")[1] == "not_logged_in"


def test_none_algorithm_is_refused(server, api):
    member = api.register()
    unsigned = jwt.encode(claims_of(member.token), None, algorithm="none")
    assert api.as_(unsigned).error("GET", "/user/validate_auth")[1] == "not_logged_in"


def test_valid_claims_without_a_session_row_are_refused(server, api):
    member = api.register()
    secret = server.state.here.jwt_secret
    minted = jwt.encode({**claims_of(member.token), "jti": "never-issued"}, secret, algorithm="HS256")
    assert api.as_(minted).error("GET", "/user/validate_auth")[1] == "not_logged_in"
