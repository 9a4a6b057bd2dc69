"""lemmy-js-client 0.19 (the TypeScript client Lemmy's own apps use), unchanged, against a live Agora server."""

import shutil
import subprocess
from pathlib import Path

import pytest

JS = Path(__file__).with_name("js")


@pytest.fixture(scope="module")
def node_client():
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("node and npm are needed to run lemmy-js-client")
    if not (JS / "node_modules" / "lemmy-js-client").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=JS, check=True, capture_output=True, timeout=300)
    return node


def test_lemmy_js_client_story(node_client, server):
    run = subprocess.run(
        [node_client, "story.mjs", server.base_url], cwd=JS, capture_output=True, text=True, timeout=180
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "story passed" in run.stdout
