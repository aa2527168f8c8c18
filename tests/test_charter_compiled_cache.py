"""The statistics rules' checks, compiled to SQL by Pandera's Ibis backend, are kept between
processes exactly as Pandera compiles them, under a key that changes with what shapes them;
where the cache cannot be written, they are compiled all the same."""

from __future__ import annotations

import os
from pathlib import Path

from validation.charter import compiled_cache, week_checks


def test_the_kept_sql_is_what_pandera_compiles_now():
    assert week_checks.compiled_checks() == week_checks.compile_checks()
    if os.access(compiled_cache.CACHE_DIR, os.W_OK):  # a read-only checkout keeps nothing
        kept = compiled_cache.CACHE_DIR.glob("week_checks.*.sql")
        assert week_checks.compile_checks() in {path.read_text(encoding="utf-8") for path in kept}


def test_another_definition_or_source_is_another_key(tmp_path):
    source = tmp_path / "checks.py"
    source.write_text("first", encoding="utf-8")
    key = compiled_cache.digest((source,), "[('opening_hours_min', True)]")
    assert key != compiled_cache.digest((source,), "[('opening_hours_min', False)]")
    source.write_text("second", encoding="utf-8")
    assert key != compiled_cache.digest((source,), "[('opening_hours_min', True)]")


def test_kept_once_then_read_and_compiled_where_nothing_can_be_written(tmp_path, monkeypatch):
    compiled: list[str] = []

    def compile_sql() -> str:
        compiled.append("once")
        return "SELECT 1"

    monkeypatch.setattr(compiled_cache, "CACHE_DIR", tmp_path / "cache")
    assert compiled_cache.kept_sql("checks", "k1", compile_sql) == "SELECT 1"
    assert compiled_cache.kept_sql("checks", "k1", compile_sql) == "SELECT 1"
    assert compiled == ["once"]
    assert (tmp_path / "cache" / "checks.k1.sql").read_text(encoding="utf-8") == "SELECT 1"

    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setattr(compiled_cache, "CACHE_DIR", Path(blocked) / "cache")  # not a directory
    assert compiled_cache.kept_sql("checks", "k2", compile_sql) == "SELECT 1"
    assert compiled == ["once", "once"]
