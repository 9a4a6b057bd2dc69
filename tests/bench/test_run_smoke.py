"""The benchmark itself runs end to end on a 10k-post database (a smoke run so it cannot rot; not timed)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_seed_then_measure(databases, tmp_path):
    url = databases.new()
    env = {**os.environ, "AGORA_DATABASE_URL": url, "AGORA_MEDIA_DIR": str(tmp_path / "media")}
    agora = Path(sys.executable).with_name("agora")
    seeded = subprocess.run(
        [
            str(agora),
            "bench",
            "seed",
            "--posts",
            "10000",
            "--comments",
            "20000",
            "--communities",
            "100",
            "--persons",
            "1000",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    assert "posts=10,000" in seeded.stdout
    again = subprocess.run([str(agora), "bench", "seed", "--size", "small"], env=env, capture_output=True, text=True)
    assert again.returncode == 1 and "already has" in again.stderr
    label = f"smoke-{os.getpid()}"
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--label",
            label,
            "--duration",
            "0.3",
            "--warmup",
            "0.1",
            "--workers",
            "1",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = ROOT / "bench" / "results" / f"{label}.json"
    try:
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        results = json.loads(out.read_text())["results"]
        names = {r["name"] for r in results}
        assert names >= {"front All Hot", "front Subscribed Hot", "GET /site", "GET /site as a member", "vote"}
        assert all(r["errors"] == 0 and r["requests"] > 0 for r in results)
        if url.startswith("postgresql"):  # each listing is also measured as its hand-written query (bench/raw.py)
            listings = [r for r in results if r["name"].startswith(("front", "community", "post with"))]
            assert all(
                r["raw_p50_ms"] > 0 for r in listings if "page 200" not in r["name"] and "refresh" not in r["name"]
            )
    finally:
        out.unlink(missing_ok=True)
