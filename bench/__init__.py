"""Benchmarks: ``python -m bench.run`` (or ``nox -s bench``)."""
