"""python -m epn: the same as the epn command."""

from epn.cli import run

run()
