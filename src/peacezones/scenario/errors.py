"""Validation problems that name the file, line, field, value found and what was expected."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

Path = tuple[str | int, ...]


def format_path(path: Path) -> str:
    """``('places', 3, 'lat')`` -> ``places[3].lat``."""
    text = ""
    for part in path:
        if part == "[key]":  # the library's mark of a table's key: the key is named already
            continue
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


SHOWN_LENGTH = 60  # longer values are cut in messages


class Said(str):
    """What was found, told in words rather than quoted as a value found in the file
    ("both replies and a variable")."""

    __slots__ = ()


def show_value(value: Any, limit: int = SHOWN_LENGTH) -> str:
    """A short rendering of a value found in a file, written as TOML would write it (or,
    for :class:`Said`, the words as they are)."""
    if isinstance(value, Said):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        value = value.value
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a scenario file."""

    path: Path
    found: str
    expected: str
    line: int | None = None

    def render(self, file: str) -> str:
        where = f"{file}:{self.line}" if self.line else file
        return f"{where}: {format_path(self.path)}: found {self.found}; expected {self.expected}"


class ScenarioError(Exception):
    """A scenario could not be loaded; carries every problem found, not just the first."""

    def __init__(self, file: str, problems: Sequence[Problem]) -> None:
        self.file = file
        self.problems = tuple(problems)
        super().__init__(self.render())

    def __reduce__(self) -> tuple[type[ScenarioError], tuple[str, tuple[Problem, ...]]]:
        """Pickled with its file and problems, so that one raised in a worker process
        reaches the parent whole (the default passes only the message, and unpickling it
        failed inside the pool, which then hung)."""
        return (type(self), (self.file, self.problems))

    def render(self) -> str:
        head = f"{self.file}: {len(self.problems)} problem(s)"
        return "\n".join([head, *(f"  {p.render(self.file)}" for p in self.problems)])


def alternatives(problems: Iterable[Problem]) -> list[Problem]:
    """Problems at one path with one value found, told once: the value may take any of
    several forms (a date or a keyword), and each form it failed is one thing expected."""
    merged: dict[tuple[Path, str], Problem] = {}
    for problem in problems:
        key = (problem.path, problem.found)
        if key in merged:
            first = merged[key]
            if problem.expected not in first.expected.split("; or "):
                merged[key] = replace(first, expected=f"{first.expected}; or {problem.expected}")
        else:
            merged[key] = problem
    return list(merged.values())
