"""Pandera's compilation of the charter's checks to DuckDB SQL, kept between processes.

Compiling the statistics rules' checks through Pandera's Ibis backend needs Ibis and
``pandera.ibis`` (about a second of imports) and a third of a second of compilation: more
than the evaluation itself for a command that evaluates once. What they compile to depends
only on the installed Pandera, Ibis and sqlglot and on the code that builds the checks, so,
as Python keeps bytecode, the SQL is kept in this package's ``__pycache__`` under a name
holding a digest of all of them: any change to one is compiled anew. A process that cannot
write there (a read-only installation) compiles in memory, as before.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

CACHE_DIR = Path(__file__).with_name("__pycache__")
COMPILERS = ("pandera", "ibis-framework", "sqlglot")  # the packages the SQL depends on


def digest(sources: tuple[Path, ...], definition: str) -> str:
    """What the compiled SQL depends on: the compilers' versions, the source files that build
    the checks and ``definition`` (what else shapes them, e.g. each rule's tolerance flag)."""
    hashed = hashlib.sha256(definition.encode())
    for package in COMPILERS:
        hashed.update(f"{package}=={_version(package)};".encode())
    for source in sources:
        hashed.update(source.read_bytes())
    return hashed.hexdigest()[:24]


def kept_sql(name: str, key: str, compile_sql: Callable[[], str]) -> str:
    """The SQL kept under ``name`` and ``key``, else ``compile_sql()``, kept for the next
    process when the cache directory is writable."""
    kept = CACHE_DIR / f"{name}.{key}.sql"
    try:
        return kept.read_text(encoding="utf-8")
    except OSError:
        pass
    sql = compile_sql()
    try:
        CACHE_DIR.mkdir(exist_ok=True)
        handle, scratch = tempfile.mkstemp(dir=CACHE_DIR, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(sql)
        os.replace(scratch, kept)  # whole or not at all, even with two writers at once
    except OSError:
        pass  # not writable: the next process compiles again
    return sql


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"
