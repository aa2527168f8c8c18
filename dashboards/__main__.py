"""``python -m dashboards``: runs the app on this machine only (127.0.0.1).

Extra arguments go to ``streamlit run``, e.g. ``python -m dashboards --server.port 8600``.

It serves what ``make demo`` serves: ``server.py``, the app with the routes that keep a user
signed in across a reload (the session cookie), not the bare ``app.py``.

Works the same from the checkout and from an installed package, whatever the working
directory: the app is this package's own server.py, and the app's Streamlit settings (theme,
upload cap, XSRF, error details) come from the project's ``.streamlit/config.toml``, which the
wheel puts next to app.py. They are handed to Streamlit as flags, since Streamlit itself only
reads ``.streamlit/`` of the working directory (and, in recent versions, of the script's
folder); extra arguments come after them and so win.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from streamlit.web import cli

PACKAGE = Path(__file__).resolve().parent
APP = PACKAGE / "server.py"  # app.py wrapped with the session cookie's routes
# installed: the copy inside the package (see pyproject.toml); checkout: the project's own
CONFIG_FILES = (
    PACKAGE / ".streamlit" / "config.toml",
    PACKAGE.parent / ".streamlit" / "config.toml",
)


def config_file() -> Path | None:
    return next((path for path in CONFIG_FILES if path.is_file()), None)


def config_flags(path: Path | None) -> list[str]:
    """``--section.option=value`` for every option of a Streamlit config.toml."""
    if path is None:
        return []
    with path.open("rb") as handle:
        return _flags(tomllib.load(handle), "")


def _flags(table: dict, prefix: str) -> list[str]:
    flags = []
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flags += _flags(value, f"{name}.")
        else:
            values = value if isinstance(value, list) else [value]
            flags += [f"--{name}={_text(item)}" for item in values]
    return flags


def _text(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def streamlit_argv(extra: list[str]) -> list[str]:
    return [
        "streamlit",
        "run",
        str(APP),
        *config_flags(config_file()),
        "--server.address",
        "127.0.0.1",
        *extra,
    ]


def main() -> int:
    sys.argv = streamlit_argv(sys.argv[1:])
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
