"""lemmy-js-client 1.0.0-beta.2 (Lemmy 1.0, API v4), unchanged, against a live Agora server; and beside 0.19 (v3)."""

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.admin import make_admin

JS = Path(__file__).with_name("js")
JS4 = Path(__file__).with_name("js4")


def _installed(npm: str, folder: Path) -> None:
    if not (folder / "node_modules" / "lemmy-js-client").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=folder, check=True, capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def node_client():
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("node and npm are needed to run lemmy-js-client")
    _installed(npm, JS4)
    _installed(npm, JS)  # the mixed story drives the 0.19 client too
    return node


def _run(node: str, script: str, base_url: str, *args: str) -> str:
    run = subprocess.run([node, script, base_url, *args], cwd=JS4, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout


def test_lemmy_js_client_1_0_story(node_client, server):
    admin = make_admin(server)
    assert "story passed" in _run(node_client, "story.mjs", server.base_url, admin.api.token)


def test_0_19_and_1_0_clients_see_each_others_writes(node_client, server):
    assert "mixed story passed" in _run(node_client, "mixed.mjs", server.base_url)
