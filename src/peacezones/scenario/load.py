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

from pydantic import AliasChoices, BaseModel, ValidationError
from pydantic_core import ErrorDetails

from . import checks
from .errors import Path, Problem, ScenarioError, alternatives, format_path, show_value
from .inherit import inherit
from .locate import key_lines, locate, placed
from .schema import DECISION_TYPES, OLD_SOURCE, PATTERNS_BY_STATISTIC, Frozen, Scenario

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
    expected = f"a built-in scenario ({', '.join(builtin_names())}) or a path to a TOML file"
    if path.is_dir():
        raise ScenarioError(text_name, [Problem((), "a directory", expected)])
    if not path.is_file():
        raise ScenarioError(text_name, [Problem((), "no such scenario or file", expected)])
    try:
        data = path.read_bytes()
    except OSError as exc:
        problem = Problem((), exc.strerror or str(exc), "a readable file")
        raise ScenarioError(text_name, [problem]) from None
    return str(path), _decode(str(path), data)


def _decode(file: str, data: bytes) -> str:
    """UTF-8 text, or an error that names the line of the first undecodable byte."""
    try:
        return data.decode("utf-8").removeprefix("\ufeff")  # a byte-order mark is no key
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        found = f"the byte {data[exc.start : exc.start + 1]!r}, not UTF-8"
        problem = Problem((), found, "a file saved as UTF-8", line)
        raise ScenarioError(file, [problem]) from None


def load_scenario(name_or_path: str | FsPath) -> Scenario:
    """Load, validate and freeze a scenario; raise ScenarioError listing every problem."""
    file, text = resolve(name_or_path)
    return parse_scenario(text, file)


def parse_scenario(
    text: str, file: str = "<scenario>", _seen: tuple[str, ...] = (), *, files: bool = True
) -> Scenario:
    """Validate scenario TOML ``text``; ``file`` names it in error messages (and is where
    a relative ``[parameters] from`` is found). With ``files`` false it may inherit from
    a built-in scenario only, and reads no file (a scenario sent to the web page)."""
    data = read_toml(text, file)
    data, problems = inherit(data, file, _load_base, builtin_names(), _seen, files)
    return validate_data(data, file, key_lines(text), problems)


def read_toml(text: str, file: str) -> dict[str, Any]:
    """The TOML document ``text``; a syntax error is a :class:`ScenarioError` naming
    ``file`` and the line (the last, for an error at the end of the document)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        if line is None and "end of document" in str(exc):
            line = max(len(text.splitlines()), 1)
        message = re.sub(r"\s*\((?:at line \d+, column \d+|at end of document)\)", "", str(exc))
        problem = Problem((), f"invalid TOML: {message}", "a valid TOML document", line)
    except RecursionError:  # arrays or tables nested hundreds deep
        problem = Problem((), "values nested too deeply to read", "a valid TOML document")
    raise ScenarioError(file, [problem]) from None


def _load_base(name: str, seen: tuple[str, ...]) -> Scenario:
    """The scenario another inherits from (``seen``: the files that led to it)."""
    file, text = resolve(name)
    return parse_scenario(text, file, seen)


def validate_data(
    data: Mapping[str, Any],
    file: str = "<scenario>",
    lines: dict[Path, int] | None = None,
    found: list[Problem] | None = None,
) -> Scenario:
    """Validate already-parsed scenario ``data`` (from TOML or a derived variant);
    ``found``: problems already found in it (by inheritance)."""
    problems: list[Problem] = list(found or [])
    scenario = None
    try:
        scenario = Scenario.model_validate(dict(data))
    except ValidationError as exc:
        errors = [e for e in exc.errors(include_url=False) if not _echo(e)]
        # a misspelt group or name is reported once, as such, not with its missing fields
        unknown = checks.unknown_parameters(data)
        problems.extend(
            problem
            for problem in alternatives(map(_translate, errors))
            if not any(problem.path[: len(u)] == u for u in unknown)
        )
    found_here = checks.check(dict(data))
    if any(p.path[:2] == ("parameters", "from") for p in problems):
        # the base could not be read: what it would have given is not missing
        found_here = [
            p for p in found_here if not (p.path[:1] == ("parameters",) and p.found == "nothing")
        ]
    problems.extend(found_here)
    if problems or scenario is None:
        found = placed(problems, lines or {})
        raise ScenarioError(file, sorted(found, key=lambda p: (p.line or 0, str(p.path))))
    return scenario


def spelling_notes(name_or_path: str | FsPath) -> list[str]:
    """Notes on a scenario that loads: the old spellings it uses, which are still read
    (``source`` for ``sources`` in parameters, observations and patterns)."""
    file, text = resolve(name_or_path)
    data, lines = tomllib.loads(text), key_lines(text)
    found: list[Path] = []
    for section in ("observations", "patterns"):
        records = data.get(section)
        for i, record in enumerate(records if isinstance(records, list) else []):
            if isinstance(record, dict) and OLD_SOURCE in record:
                found.append((section, i, OLD_SOURCE))
    params = data.get("parameters")
    for group, members in params.items() if isinstance(params, dict) else ():
        for name, param in members.items() if isinstance(members, dict) else ():
            if isinstance(param, dict) and OLD_SOURCE in param:
                found.append(("parameters", group, name, OLD_SOURCE))
    return [
        f"{file}:{locate(lines, path)}: {format_path(path)}: `source` is the old spelling of "
        "`sources`; it is still read, but write `sources`"
        for path in found
    ]


def derive(scenario: Scenario, changes: Mapping[str, Any], name: str = "<variant>") -> Scenario:
    """A variant of ``scenario`` with top-level sections replaced, checked in full.

    Only what was written (or changed) is passed on: a field left at its default stays
    unwritten in the variant, so it needs no evidence there either, as in the file.
    """
    data = scenario.model_dump(mode="python", round_trip=True, exclude_unset=True)
    data.update({key: _plain(value) for key, value in changes.items()})
    return validate_data(data, name)


def _plain(value: Any) -> Any:
    """Records given as models become plain data, as a file would give them, so that the
    cross-record checks read them like any other."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="python", round_trip=True, exclude_unset=True)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def with_parameters(scenario: Scenario, values: Mapping[str, float]) -> Scenario:
    """A variant with parameter values changed: ``{"recruitment.base_rate": 0.02}``.

    Each name must exist; its unit, range and evidence are kept, so a value outside the
    range is an error like any other.
    """
    groups = {g: dict(members) for g, members in scenario.parameters.items()}
    problems = []
    for dotted, value in values.items():
        group, _, name = dotted.partition(".")
        if not name:
            problems.append(
                Problem(
                    ("parameters", dotted), repr(dotted), "group.name, such as 'pax.encounter_rate'"
                )
            )
            continue
        if name not in groups.get(group, {}):
            known = [f"{g}.{n}" for g, members in groups.items() for n in members]
            hint = checks.did_you_mean(dotted, known, n=1)
            problems.append(
                Problem(
                    ("parameters", group, name),
                    repr(dotted),
                    f"a parameter of the scenario, written group.name{hint}",
                )
            )
            continue
        groups[group][name] = groups[group][name].model_copy(update={"value": value})
    if problems:
        raise ScenarioError(scenario.meta.name, problems)
    data = {g: {n: p.model_dump() for n, p in members.items()} for g, members in groups.items()}
    return derive(scenario, {"parameters": data}, scenario.meta.name)


def evolve(value: Frozen, **changes: Any) -> Any:
    """A copy of ``value`` with fields changed, checked again; like ``attrs.evolve``.

    A scenario is checked in full (cross-references too); a part of one, on its own.
    Either way a bad change raises :class:`ScenarioError`, never a bare pydantic error.
    """
    if isinstance(value, Scenario):
        return derive(value, changes)
    data = value.model_dump(mode="python", round_trip=True)
    data.update(changes)
    try:
        return type(value).model_validate(data)
    except ValidationError as exc:
        problems = alternatives([_translate(e, type(value)) for e in exc.errors(include_url=False)])
        raise ScenarioError(f"<{type(value).__name__}>", problems) from None


# --- pydantic errors in the project's terms -------------------------------------------


def _spelt(model: type[BaseModel]) -> list[str]:
    """A model's keys as a file writes them: a field read under other names (``source``
    as ``sources``) is shown by its first."""
    keys = []
    for name, field in model.model_fields.items():
        alias = field.validation_alias
        keys.append(str(alias.choices[0]) if isinstance(alias, AliasChoices) else name)
    return keys


def _echo(err: ErrorDetails) -> bool:
    """A list reported too short only because its items failed, or ``source`` given
    beside ``sources``: already reported (by the checks, for the latter)."""
    if err["type"] == "extra_forbidden" and err["loc"] and err["loc"][-1] == OLD_SOURCE:
        return True
    if err["type"] != "too_short" or not isinstance(err["input"], list | tuple):
        return False
    return len(err["input"]) >= (err.get("ctx") or {}).get("min_length", 0)


def _translate(err: ErrorDetails, root: type[BaseModel] = Scenario) -> Problem:
    """Turn one pydantic error into a Problem with a readable path, found and expected."""
    path, model = _walk(err["loc"], root)
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "scenario":
        return Problem((*path, ctx["field"]), ctx["found"], ctx["expected"])
    if kind == "missing":
        return Problem(path, "nothing", "a value: this field is required")
    if kind == "extra_forbidden":
        known = ", ".join(_spelt(model)) if model else "none"
        return Problem(path, f"unknown key {path[-1]!r}", f"one of the known keys ({known})")
    if kind == "union_tag_invalid":
        tag = str(ctx.get("discriminator", "'action'")).strip("'")
        return Problem(
            (*path, tag), show_value(ctx.get("tag")), f"one of {ctx.get('expected_tags')}"
        )
    if kind == "union_tag_not_found":
        tag = str(ctx.get("discriminator", "'action'")).strip("'")
        what = "the kind of decision" if tag == "action" else "the kind of statistic"
        return Problem(path, f"no {tag!r} key", f"{tag} = {what}")
    if kind == "string_pattern_mismatch":
        expected = "an id: lower-case letters, digits and _, starting with a letter"
        return Problem(path, show_value(err["input"]), expected)
    if kind.startswith("date"):
        return Problem(path, show_value(err["input"]), "a date, unquoted, such as 2013-09-01")
    if kind in ("too_short", "too_long"):
        bound = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        many = "at least" if kind == "too_short" else "at most"
        item = "item" if bound == 1 else "items"
        return Problem(path, show_value(err["input"]), f"a list of {many} {bound} {item}")
    if kind in EXPECTED:
        return Problem(path, show_value(err["input"]), EXPECTED[kind])
    expected = err["msg"].removeprefix("Input should be ").removeprefix("Value error, ")
    if kind in ("enum", "literal_error"):
        expected = "one of " + expected
    elif kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        expected = "a number " + expected
    return Problem(path, show_value(err["input"]), expected)


EXPECTED = {
    "tuple_type": "a list, in brackets: [...]",
    "list_type": "a list, in brackets: [...]",
    "dict_type": "a table: [name] or { key = value }",
    "model_type": "a table: [name] or { key = value }",
    "model_attributes_type": "a table: [name] or { key = value }",
    "int_type": "a whole number, such as 60 (no decimal point, no quotes)",
    "int_from_float": "a whole number, such as 60 (no decimal point)",
    "float_type": "a number, such as 0.5 (no quotes)",
    "bool_type": "true or false (no quotes)",
    "string_type": "text in quotes",
    "finite_number": "a finite number",
}
"""What each kind of pydantic type error expects, in words a scenario author uses."""


UNION_TAGS: dict[str, type[BaseModel]] = {**DECISION_TYPES, **PATTERNS_BY_STATISTIC}
"""The model class behind each tag of a tagged union (decisions, patterns)."""


def _unwrap(tp: Any) -> Any:
    while get_origin(tp) is typing.Annotated:
        tp = get_args(tp)[0]
    return tp


def _walk(loc: tuple[int | str, ...], root: type[BaseModel]) -> tuple[Path, type[BaseModel] | None]:
    """The display path of ``loc`` (union tags dropped) and the model class at its end.

    For an unknown key the model is the one that the key was found in.
    """
    path: Path = ()
    current: Any = root
    parent: Any = None
    for part in loc:
        current = _unwrap(current)
        origin = get_origin(current)
        if origin in (typing.Union, types.UnionType) and part in UNION_TAGS:
            current = UNION_TAGS[part]
            continue
        if origin in (typing.Union, types.UnionType):  # an optional part: X | None
            members = [a for a in get_args(current) if a is not type(None)]
            if len(members) == 1:
                current = _unwrap(members[0])
                origin = get_origin(current)
            elif isinstance(part, str):  # the branch of a union the value failed: not a key
                current = None  # (each branch's problem is merged into one: alternatives)
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
