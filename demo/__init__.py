"""A realistic demo warehouse, built the way real data arrives.

The demo writes the files the Region would receive (a registry CSV, statistics as CSV and
xlsx, annual reports filled in the Region's template) into a folder and feeds them
through the real registry and ingest code, so what the app shows is exactly what the
pipeline makes of such files.
"""

from demo.generate import DemoResult, run_demo

__all__ = ["DemoResult", "run_demo"]
