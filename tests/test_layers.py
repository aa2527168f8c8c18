"""The tree reads as the pipeline: every folder imports only the floors below it.

A folder may import itself and any folder of a lower floor; folders of one floor stay
apart. The README's architecture section shows the same floors.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FLOORS = {
    "epn": 0,  # the core: settings, locale, messages, the standard, shapes, errors, principal
    "ingest": 1,  # untrusted bytes -> raw tables: the guard, readers, isolated parsing
    "validation": 2,  # raw tables -> typed, checked tables; the charter rules
    "warehouse": 3,  # the DuckDB file: migrations, storage, marts, audit
    "reporting": 4,  # documents we produce: PDF pages, the annual review, the template
    "registry": 5,  # the labelling procedure
    "services": 6,  # every write: check the principal, one transaction, audit
    "demo": 7,  # demo data, made through the services
    "cli": 8,  # the edges: the epn command
    "dashboards": 8,  # ... and the Streamlit app
}


def imported_folders(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every absolute import of one of our folders in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [(node.lineno, name) for name in names if name.split(".")[0] in FLOORS]
    return found


def upward_imports() -> list[str]:
    wrong = []
    for folder, floor in FLOORS.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            for line, module in imported_folders(path):
                target = module.split(".")[0]
                if target != folder and FLOORS[target] >= floor:
                    where = path.relative_to(ROOT)
                    wrong.append(f"{where}:{line} imports {module} (floor {FLOORS[target]})")
    return wrong


def test_every_import_looks_down():
    assert upward_imports() == []


def test_every_folder_of_code_has_a_floor():
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")}
    assert packages - {"tests", "bench"} == set(FLOORS)


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    # the test above must be able to fail: a core module importing the warehouse
    (tmp_path / "epn").mkdir()
    (tmp_path / "epn" / "bad.py").write_text("from warehouse.db import connect\n")
    monkeypatch.setattr(__import__(__name__), "ROOT", tmp_path)
    assert upward_imports() == ["epn/bad.py:1 imports warehouse.db (floor 3)"]
