"""Find the line of a field in TOML text, since ``tomllib`` reports none for valid files.

A light scan, not a parser: it follows table headers (``[a.b]``, ``[[a]]``) and keys at the
start of a line, which is how scenario files are written. A path that it cannot place is
reported at its nearest ancestor that it can.
"""

from __future__ import annotations

import re

from .errors import Path, Problem

_BARE = r"[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'"
_DOTTED = rf"(?:{_BARE})(?:\s*\.\s*(?:{_BARE}))*"
_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED})\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(rf"^\s*({_DOTTED})\s*=(.*)$")
_PART = re.compile(_BARE)


def _split(dotted: str) -> tuple[str, ...]:
    return tuple(p.strip("\"'") for p in _PART.findall(dotted))


def _resolve(parts: tuple[str, ...], arrays: dict[Path, int], new_array: bool) -> Path:
    """Insert the current index after each array-of-tables on the way down."""
    path: Path = ()
    for i, part in enumerate(parts):
        path += (part,)
        last = i == len(parts) - 1
        if last and new_array:
            arrays[path] = arrays.get(path, -1) + 1
            path += (arrays[path],)
        elif path in arrays:
            path += (arrays[path],)
    return path


def key_lines(text: str) -> dict[Path, int]:
    """Map each table and key path in ``text`` to the 1-based line where it starts."""
    lines: dict[Path, int] = {}
    arrays: dict[Path, int] = {}
    table: Path = ()
    open_string: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if open_string:
            if line.count(open_string) % 2 == 1:
                open_string = None
            continue
        header = _HEADER.match(line)
        if header:
            new_array = header.group(1) == "[["
            table = _resolve(_split(header.group(2)), arrays, new_array)
            lines.setdefault(table, number)
            if new_array:  # the array itself starts at its first table
                lines.setdefault(table[:-1], number)
            continue
        key = _KEY.match(line)
        if key:
            lines.setdefault(table + _split(key.group(1)), number)
            for quote in ('"""', "'''"):
                if key.group(2).count(quote) % 2 == 1:
                    open_string = quote
    return lines


def locate(lines: dict[Path, int], path: Path) -> int | None:
    """The line of ``path``, or of its nearest ancestor found in ``lines``."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def placed(problems: list[Problem] | tuple[Problem, ...], lines: dict[Path, int]) -> list[Problem]:
    """``problems`` with the line of each in the text ``lines`` maps (one already given
    is kept)."""
    return [Problem(p.path, p.found, p.expected, p.line or locate(lines, p.path)) for p in problems]
