"""bench/reads.py runs end to end on a small seeded PostgreSQL database: the hand-written baseline answers each read
with Agora's bytes (the script refuses to measure otherwise), and both are measured (a smoke run; not timed)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ENGINE

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.skipif(ENGINE != "postgres", reason="the baseline is written for PostgreSQL")
def test_baseline_answers_agoras_bytes(databases, tmp_path):
    url = databases.new()
    env = {**os.environ, "AGORA_DATABASE_URL": url, "AGORA_MEDIA_DIR": str(tmp_path / "media")}
    agora = Path(sys.executable).with_name("agora")
    sizes = ["--posts", "2000", "--comments", "20000", "--communities", "50", "--persons", "1000"]
    seeded = subprocess.run([str(agora), "bench", "seed", *sizes], env=env, capture_output=True, text=True, timeout=600)
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    server, database = url.replace("postgresql+asyncpg://", "postgresql://").rsplit("/", 1)
    out = tmp_path / "reads.json"
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "reads.py"),
            *("--server", server, "--database", database, "--rounds", "2", "--duration", "1"),
            *("--output", str(out)),
        ],
        env={**env, "AGORA_MEDIA_DIR": str(tmp_path / "media")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert run.stdout.count(": the same ") == 3, run.stdout[-3000:]
    reads = json.loads(out.read_text())["reads"]
    assert len(reads) == 3
    for figures in reads.values():
        assert figures["agora"]["errors"] == 0 and figures["baseline"]["errors"] == 0
        assert figures["agora"]["req_s"] > 0 and figures["baseline"]["req_s"] > 0
