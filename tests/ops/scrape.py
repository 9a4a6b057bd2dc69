"""Reading /metrics as Prometheus would: samples by name and labels."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families


def scrape(base_url: str, **headers: str) -> dict[tuple[str, frozenset], float]:
    """(sample name, its labels) → value, from one GET /metrics."""
    response = httpx.get(f"{base_url}/metrics", headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def requests_of(samples: dict, route: str, method: str = "GET", status: str = "2xx") -> float:
    labels = frozenset({"route": route, "method": method, "status": status}.items())
    return samples.get(("agora_http_requests_total", labels), 0.0)


def value(samples: dict, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))
