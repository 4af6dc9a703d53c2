"""Benchmarks for `briefing` (not part of the installed package): run `python bench/run.py`."""
