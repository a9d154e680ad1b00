"""Benchmarks of szei at province/country scale (`make bench`, `python -m benchmarks.run`)."""
