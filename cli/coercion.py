"""Reading option values without pydantic: the few types our commands declare.

Typer turns every command-line value into its annotated type through a pydantic
``TypeAdapter``: importing pydantic and building the adapters cost a command about 0.7 s
before it did anything. Our options are plain (text, whole numbers, numbers, paths,
choices, lists of those), so they are read here in microseconds; anything else still goes
to Typer's own reader. A refused value is a ``CatalogueBadParameter``: its words come from
the message catalogue, in the language of the command line (``cli.usage``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

import typer.core
from typer import _coercion
from typer._click.exceptions import BadParameter

_WHOLE = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")


class CatalogueBadParameter(BadParameter):
    """A refused value whose message is the catalogue's ``code`` with ``params``."""

    def __init__(self, code: str, ctx=None, param=None, **params: object) -> None:
        super().__init__(code, ctx=ctx, param=param)
        self.code = code
        self.params = params


def _whole(text: str) -> int:
    if not _WHOLE.fullmatch(text.strip()):
        raise ValueError("cli.value_not_whole")
    return int(text.strip())


def _number(text: str) -> float:
    if not _NUMBER.fullmatch(text.strip()):
        raise ValueError("cli.value_not_number")
    return float(text.strip().replace(",", "."))


def _yes_no(text: str) -> bool:
    words = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}
    if text.strip().lower() not in words:
        raise ValueError("cli.value_not_yes_no")
    return words[text.strip().lower()]


_READERS: dict[type, Callable[[str], Any]] = {
    str: str,
    bool: _yes_no,
    int: _whole,
    float: _number,
    Path: Path,
}


@dataclass(frozen=True)
class PlainRuntimeParam(_coercion.RuntimeParam):
    """Coercion of a text, number, path or choice (or a list of them) without pydantic."""

    leaf: type
    many: bool

    def _coerce_value(self, value: Any, param, ctx) -> Any:
        if self.many:
            return [self._one(item, param, ctx) for item in value]
        return self._one(value, param, ctx)

    def _one(self, value: Any, param, ctx) -> Any:
        if self.parameter_info.parser is not None:  # the option reads its own values
            return self.parameter_info.parser(value)
        if isinstance(value, self.leaf):
            if self.leaf in (int, float):
                self._check_range(value, param, ctx)
            return value
        if issubclass(self.leaf, Enum):
            return self._choice(str(value), param, ctx)
        try:
            read = _READERS[self.leaf](str(value))
        except ValueError as error:
            raise CatalogueBadParameter(str(error), ctx, param, value=value) from None
        if self.leaf in (int, float):
            self._check_range(read, param, ctx)
        return read

    def _choice(self, text: str, param, ctx) -> Enum:
        sensitive = self.parameter_info.case_sensitive
        for member in self.leaf:
            if member.value == text or (not sensitive and member.value.lower() == text.lower()):
                return member
        choices = ", ".join(member.value for member in self.leaf)
        raise CatalogueBadParameter("cli.value_not_choice", ctx, param, value=text, choices=choices)

    def _check_range(self, number: float, param, ctx) -> None:
        low, high = self.parameter_info.min, self.parameter_info.max
        if (low is not None and number < low) or (high is not None and number > high):
            raise CatalogueBadParameter(
                "cli.value_out_of_range", ctx, param, value=number, min=low, max=high
            )


def _plain_leaf(annotation: Any) -> type | None:
    if annotation in _READERS:
        return annotation
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return annotation
    return None


def build_runtime_param(descriptor: _coercion.TypeDescriptor) -> _coercion.RuntimeParam:
    """Our plain reader for the types we declare; Typer's own for anything else."""
    info, annotation = descriptor.parameter_info, descriptor.annotation
    many = get_origin(annotation) is list
    leaf = _plain_leaf(get_args(annotation)[0] if many else annotation)
    special = info.exists or info.resolve_path or info.clamp or info.path_type
    if info.parser is not None and leaf in (None, str):
        leaf = str
    if leaf is None or descriptor.is_file or special:
        return _TYPER_BUILD(descriptor)
    return PlainRuntimeParam(parameter_info=info, annotation=annotation, leaf=leaf, many=many)


_TYPER_BUILD = _coercion.build_runtime_param


def install() -> None:
    """Makes Typer's parameters read values with ``build_runtime_param`` above."""
    typer.core.build_runtime_param = build_runtime_param
