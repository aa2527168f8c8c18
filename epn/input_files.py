"""A path given as a file to read, checked before reading: what it is when it is not one.

A folder or a pipe named where a file is expected is a slip of the hand, not a missing file:
the message says which, and a pipe is never opened (reading one would wait forever).
"""

from __future__ import annotations

from pathlib import Path

from epn.errors import EpnError


def check_input_file(path: Path, *, folder_code: str = "cli.path_is_directory") -> Path:
    """``path`` when it is a regular file we may read, else the reason in words.

    ``folder_code`` names the message for a folder (what to give instead depends on what
    was asked for: data files, or one document)."""
    if path.is_dir():
        raise EpnError(folder_code, path=path)
    if path.exists() and not path.is_file():
        raise EpnError("cli.path_not_regular", path=path)
    if not path.exists():
        raise EpnError("file_not_found", path=path)
    try:
        with path.open("rb"):
            pass
    except PermissionError:
        raise EpnError("cli.path_unreadable", path=path) from None
    return path
