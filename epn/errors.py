"""Named exceptions whose messages come from the catalogue and say how to fix the problem."""

from __future__ import annotations

from epn.i18n import t


class EpnError(Exception):
    """A problem the user can fix; ``code`` is stable, the text comes from the catalogue."""

    exit_code = 1

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(t(code, "fr", **params))

    def message(self, lang: str | None = None) -> str:
        return t(self.code, lang, **self.params)


class UsageError(EpnError):
    """Bad command-line usage (exit status 2)."""

    exit_code = 2


class StepRefused(EpnError):
    """A registry step out of order or not allowed; nothing was written."""


class WarehouseBusy(EpnError):
    """The warehouse stayed locked by another process longer than we wait."""
