"""Write bench/results/README.md: one table of the kept runs (the latest per size and mode).

    python bench/summary.py

`bench/suite.py NAME` overwrites `bench/results/NAME.json`, so the folder holds the latest run of each size; this
script turns those files into the table a reader looks at first.
"""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
RUNS = ["small-pg", "medium-pg", "medium-pg-uncached", "medium-sqlite", "large-pg", "large-pg-uncached"]


def load(name: str) -> dict | None:
    """The saved run called NAME, or None when it has not been run yet."""
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def cell(row: dict | None) -> str:
    """req/s, p50 and the ratio to the raw query of one test, or a dash."""
    if row is None:
        return "–"
    ratio = row.get("ratio")
    shown = f"{row['rps']:,.0f} /s, p50 {row['p50_ms']:.2f} ms"
    return shown + (f", ×{ratio:.2f}" if ratio is not None else "")


def table() -> str:
    """The markdown page: one row per test, one column per kept run."""
    runs = {name: run for name in RUNS if (run := load(name)) is not None}
    names: list[str] = []
    for run in runs.values():
        names += [r["name"] for r in run["results"] if r["name"] not in names]
    lines = [
        "# Latest benchmark runs",
        "",
        "Written by `python bench/summary.py` from the files beside it; `bench/README.md` explains the method.",
        "Each cell: requests per second, median latency, and the ratio of that median to the hand-written raw",
        "query's (below 1 is faster than the raw query, thanks to caches; `–`: not measured in that run).",
        "",
        "| run | database | when | anonymous cache |",
        "|---|---|---|---|",
    ]
    for name, run in runs.items():
        meta = run["meta"]
        cache = meta.get("anonymous_cache_s")
        shown = "default" if cache is None else f"{cache} s"
        lines.append(f"| {name} | {meta['database']} | {meta['when']} | {shown} |")
    lines += ["", "| test | " + " | ".join(runs) + " |", "|---" * (len(runs) + 1) + "|"]
    for test in names:
        rows = [next((r for r in run["results"] if r["name"] == test), None) for run in runs.values()]
        lines.append(f"| {test} | " + " | ".join(cell(r) for r in rows) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    (RESULTS / "README.md").write_text(table())
    print(f"wrote {RESULTS / 'README.md'}")
