"""Benchmarks of the pipeline against a naive baseline measured in the same run.

``python -m bench.run --help``; see bench/README.md.
"""
