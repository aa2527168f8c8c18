"""Every command of the CLI and every setting is documented in the README."""

from __future__ import annotations

from pathlib import Path

import typer

from cli import app

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def command_names(typer_app: typer.Typer, prefix: str = "epn") -> list[str]:
    names = []
    for command in typer_app.registered_commands:
        names.append(f"{prefix} {command.name or command.callback.__name__.replace('_', '-')}")
    for group in typer_app.registered_groups:
        names += command_names(group.typer_instance, f"{prefix} {group.name}")
    return names


def test_every_command_is_in_the_readme():
    names = command_names(app)
    assert "epn registry import" in names and "epn ingest" in names
    missing = [name for name in names if f"`{name}" not in README]
    assert missing == []


def test_every_setting_is_in_the_readme():
    from dataclasses import fields

    from epn.settings import ENV_PREFIX, Settings

    names = [f.name for f in fields(Settings)]
    assert "db" in names and "max_rows" in names
    missing = [n for n in names if f"`{ENV_PREFIX}{n.upper()}`" not in README]
    assert missing == []
