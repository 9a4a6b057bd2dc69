"""A bounded schemathesis run in CI: every operation, anonymous and logged in, no 5xx, responses true to schema.
The long run is `python -m tests.hostile.fuzz --examples 200` (README.md)."""

import pytest

from tests.hostile import fuzz


@pytest.mark.slow
@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_every_operation_survives_generated_requests(server, who):
    token = fuzz.member_token(server.base_url) if who == "member" else None
    result = fuzz.run(server.base_url, examples=4, token=token, seed=20261125)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "passed" in result.stdout
