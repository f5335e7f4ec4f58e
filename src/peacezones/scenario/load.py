"""Loading scenarios: built-in names or TOML files, validated in full before use."""

from __future__ import annotations

import re
import tomllib
import types
import typing
from collections.abc import Mapping
from importlib import resources
from pathlib import Path as FsPath
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from . import checks
from .errors import Path, Problem, ScenarioError, show_value
from .locate import key_lines, locate
from .schema import Scenario

BUILTIN_PACKAGE = "peacezones.scenario.scenarios"


def builtin_names() -> list[str]:
    """Names of the scenarios that ship with the package."""
    folder = resources.files(BUILTIN_PACKAGE)
    return sorted(p.name[: -len(".toml")] for p in folder.iterdir() if p.name.endswith(".toml"))


def resolve(name_or_path: str | FsPath) -> tuple[str, str]:
    """The display name and TOML text of a built-in scenario name or a file path."""
    text_name = str(name_or_path)
    if isinstance(name_or_path, str) and text_name in builtin_names():
        resource = resources.files(BUILTIN_PACKAGE) / f"{text_name}.toml"
        return f"{text_name}.toml", resource.read_text(encoding="utf-8")
    path = FsPath(name_or_path)
    if not path.is_file():
        expected = f"a built-in scenario ({', '.join(builtin_names())}) or a path to a TOML file"
        raise ScenarioError(text_name, [Problem((), "no such scenario or file", expected)])
    try:
        return str(path), path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(str(path), [Problem((), str(exc), "a readable UTF-8 file")]) from None


def load_scenario(name_or_path: str | FsPath) -> Scenario:
    """Load, validate and freeze a scenario; raise ScenarioError listing every problem."""
    file, text = resolve(name_or_path)
    return parse_scenario(text, file)


def parse_scenario(text: str, file: str = "<scenario>") -> Scenario:
    """Validate scenario TOML ``text``; ``file`` names it in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        problem = Problem((), f"invalid TOML: {message}", "a valid TOML document", line)
        raise ScenarioError(file, [problem]) from None
    return validate_data(data, file, key_lines(text))


def validate_data(
    data: Mapping[str, Any], file: str = "<scenario>", lines: dict[Path, int] | None = None
) -> Scenario:
    """Validate already-parsed scenario ``data`` (from TOML or a derived variant)."""
    problems: list[Problem] = []
    scenario = None
    try:
        scenario = Scenario.model_validate(dict(data))
    except ValidationError as exc:
        errors = [e for e in exc.errors(include_url=False) if not _echo(e)]
        problems.extend(_translate(err) for err in errors)
    problems.extend(checks.check(dict(data)))
    if problems:
        lines = lines or {}
        placed = [
            Problem(p.path, p.found, p.expected, p.line or locate(lines, p.path)) for p in problems
        ]
        raise ScenarioError(file, sorted(placed, key=lambda p: (p.line or 0, str(p.path))))
    assert scenario is not None
    return scenario


def derive(scenario: Scenario, changes: Mapping[str, Any], name: str = "<variant>") -> Scenario:
    """A variant of ``scenario`` with top-level sections replaced, checked in full."""
    data = scenario.model_dump(mode="python", round_trip=True)
    data.update(changes)
    return validate_data(data, name)


# --- pydantic errors in the project's terms -------------------------------------------


def _echo(err: ErrorDetails) -> bool:
    """A list reported too short only because its items failed: already reported."""
    if err["type"] != "too_short" or not isinstance(err["input"], list | tuple):
        return False
    return len(err["input"]) >= (err.get("ctx") or {}).get("min_length", 0)


def _translate(err: ErrorDetails) -> Problem:
    """Turn one pydantic error into a Problem with a readable path, found and expected."""
    path, model = _walk(err["loc"])
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "scenario":
        return Problem((*path, ctx["field"]), ctx["found"], ctx["expected"])
    if kind == "missing":
        return Problem(path, "nothing", "a value: this field is required")
    if kind == "extra_forbidden":
        known = ", ".join(model.model_fields) if model else "none"
        return Problem(path, f"unknown key {path[-1]!r}", f"one of the known keys ({known})")
    if kind == "union_tag_invalid":
        return Problem(
            (*path, "action"), show_value(ctx.get("tag")), f"one of {ctx.get('expected_tags')}"
        )
    if kind == "union_tag_not_found":
        return Problem(path, "no 'action' key", "action = the kind of decision")
    if kind == "string_pattern_mismatch":
        expected = "an id: lower-case letters, digits and _, starting with a letter"
        return Problem(path, show_value(err["input"]), expected)
    if kind.startswith("date"):
        return Problem(path, show_value(err["input"]), "a date such as 2013-09-01")
    expected = err["msg"].removeprefix("Input should be ").removeprefix("Value error, ")
    if kind in ("enum", "literal_error"):
        expected = "one of " + expected
    elif kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        expected = "a number " + expected
    return Problem(path, show_value(err["input"]), expected)


def _unwrap(tp: Any) -> Any:
    while get_origin(tp) is typing.Annotated:
        tp = get_args(tp)[0]
    return tp


def _union_member(tp: Any, tag: Any) -> Any:
    for member in get_args(tp):
        member = _unwrap(member)
        if isinstance(member, type) and issubclass(member, BaseModel):
            action = member.model_fields.get("action")
            if action is not None and tag in get_args(action.annotation):
                return member
    return None


def _walk(loc: tuple[int | str, ...]) -> tuple[Path, type[BaseModel] | None]:
    """The display path of ``loc`` (union tags dropped) and the model class at its end.

    For an unknown key the model is the one that the key was found in.
    """
    path: Path = ()
    current: Any = Scenario
    parent: Any = None
    for part in loc:
        current = _unwrap(current)
        origin = get_origin(current)
        if origin in (typing.Union, types.UnionType):
            member = _union_member(current, part)
            if member is not None:
                current = member
                continue
        path += (part,)
        parent = current
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            current = field.annotation if field else None
        elif origin in (tuple, list):
            current = get_args(current)[0]
        elif origin is dict:
            current = get_args(current)[1]
        else:
            current = None
    found = _unwrap(current)
    if isinstance(found, type) and issubclass(found, BaseModel):
        return path, found
    parent = _unwrap(parent)
    return path, parent if isinstance(parent, type) and issubclass(parent, BaseModel) else None
