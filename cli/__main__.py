"""python -m cli: the same as the epn command."""

from cli import run

run()
