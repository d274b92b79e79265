"""Benchmarks: a large deterministic collection, reference queries, a runner."""
