"""Benchmark scripts, run together by `make bench` (bench/run.py); see docs/performance.md."""
