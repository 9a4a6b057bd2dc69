"""Benchmark tooling that ships with Agora: `agora bench seed` fills a database the way a large instance looks."""
