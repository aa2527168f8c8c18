"""Printable reports built from the warehouse: the Region's annual review (``epn report``)."""
