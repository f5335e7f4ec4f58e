"""The scenario format's reference, written from the schema itself.

Every record of a scenario file, every field with its type, its allowed values or bounds,
whether it is required or what it defaults to, and what it means (the field's docstring
in :mod:`.schema`). ``peacezones scenario reference`` prints it and
``docs/scenario-reference.md`` holds it; a test keeps the file equal to what this module
writes, so that the reference cannot drift from what the loader accepts.
"""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import re
import types
from enum import Enum
from typing import Annotated, Literal, Union, get_args, get_origin

import annotated_types
from pydantic import AliasChoices, BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from . import schema
from .schema import DECISION_TYPES, PATTERNS_BY_STATISTIC, Sourced

EVIDENCE = tuple(Sourced.model_fields)
"""The evidence fields every record shares: sources, cite, assumed, notes."""

SECTIONS: tuple[tuple[str, type[BaseModel]], ...] = (
    ("[meta]", schema.Meta),
    ("[[places]]", schema.Place),
    ("[[edges]]", schema.Edge),
    ("[[gangs]]", schema.Gang),
    ("[[gangs]] leader = { ... }", schema.Leader),
    ("[[gangs]] traits = { ... }", schema.Traits),
    ("[[forces.units]]", schema.ForceUnit),
    ("[[forces.facilities]]", schema.Facility),
    ("[[context]]", schema.Series),
    ("[[schedule]] (every action)", schema.Decision),
    *((f'[[schedule]] action = "{tag}"', cls) for tag, cls in DECISION_TYPES.items()),
    ('[[schedule]] action = "declare_zone": terms = { ... }', schema.ZoneTerms),
    ("[[doctrine.rules]]", schema.Rule),
    ("[parameters.GROUP] NAME = { ... }", schema.Parameter),
    ("[[observations]]", schema.Observation),
    ("[[patterns]] (every statistic)", schema.PatternBase),
    *((f'[[patterns]] statistic = "{tag}"', cls) for tag, cls in PATTERNS_BY_STATISTIC.items()),
    ("[[patterns]] measure = { ... }", schema.Measure),
    ("[[patterns]] steps = [{ ... }]", schema.Step),
    ("[[patterns]] replies = [{ ... }]", schema.Reply),
    ("[engine]", schema.Engine),
)
"""Each record of the format, as a file writes it, and the schema class that reads it."""

INTRO = """\
# The scenario format: every field

Written by `peacezones scenario reference` from the schema that loads scenario files
(`src/peacezones/scenario/schema.py`); a test keeps this file equal to what the command
prints. `docs/writing-a-scenario.md` walks through a case; the README's "Writing a
scenario" lists the sections; `peacezones scenario new NAME` writes a skeleton.

A field marked *required* must be written. Any other field may be left out: it then takes
the default shown, which needs no evidence (`peacezones scenario show FILE` lists such
fields as `default:`). Each record of places, edges, gangs, forces, context, schedule and
doctrine also takes its evidence: `sources = [ids]` (the whole record), `cite = { field =
[ids] }` (one field), `assumed = { field = "reason, and a plausible range" }` and `notes`;
a data field written with neither a source nor an assumption is an error. Numbers are
written as numbers, flags as `true` or `false`, dates unquoted (`2013-09-01`), ids in
lower case (`a-z`, digits and `_`, starting with a letter).

Rules that join sections (a gang's home and territory are places of the scenario; its
`members_by_place` names only its home and territory, and sums to `members`; a decision's
places, gangs and zones exist; ...) are checked by `peacezones scenario validate`, which
names the file, line, field, value and what was expected.
"""


def markdown() -> str:
    """The whole reference, as Markdown."""
    docs = _field_docs()
    parts = [INTRO]
    for title, cls in SECTIONS:
        parts.append(_section(title, cls, docs))
    return "\n".join(parts).rstrip() + "\n"


def _section(title: str, cls: type[BaseModel], docs: dict[str, dict[str, str]]) -> str:
    lines = [f"## `{title}`", ""]
    about = _clean(inspect.cleandoc(cls.__doc__ or ""))  # its own, not a base's
    if about:
        lines += [about, ""]
    lines += ["| field | value | if left out | meaning |", "| --- | --- | --- | --- |"]
    for name, info in _fields(cls):
        meaning = _doc(cls, name, docs)
        key = _written(name, info)
        lines.append(
            f"| `{key}` | {_cell(_kind(info.annotation, info.metadata))} "
            f"| {_cell(_default(info))} | {_cell(meaning)} |"
        )
    if issubclass(cls, Sourced):
        lines += ["", "Evidence: `sources`, `cite`, `assumed`, `notes` (see above)."]
    return "\n".join(lines) + "\n"


def _fields(cls: type[BaseModel]) -> list[tuple[str, FieldInfo]]:
    """The fields a file writes: without the evidence fields that every record shares, and
    without those the loader sets itself."""
    skip = set(EVIDENCE) if issubclass(cls, Sourced) else set()
    for common, tag in ((schema.Decision, "action"), (schema.PatternBase, "statistic")):
        if issubclass(cls, common) and cls is not common:  # in the section on them all,
            skip |= {*common.model_fields, tag}  # and the tag is in the section's title
    if cls is schema.Parameter:
        skip.add("inherited")  # set by the loader, not written
    return [(n, f) for n, f in cls.model_fields.items() if n not in skip]


def _written(name: str, info: FieldInfo) -> str:
    """The key a file writes: the field's name, or the first name it is read under."""
    alias = info.validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return alias if isinstance(alias, str) else name


def _default(info: FieldInfo) -> str:
    if info.is_required():
        return "*required*"
    extra = info.json_schema_extra
    if isinstance(extra, dict) and isinstance(extra.get("left_out"), str):
        return str(extra["left_out"])  # a default that other fields decide
    factory = info.default_factory
    value = factory() if factory is not None else info.default  # type: ignore[call-arg]
    if value is PydanticUndefined:
        return "*required*"
    return _literal(value)


def _literal(value: object) -> str:
    """A default as the file would write it."""
    if isinstance(value, Enum):
        return f'`"{value.value}"`'
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if value is None:
        return "none"
    if isinstance(value, str):
        return f'`"{value}"`' if value else '`""`'
    if isinstance(value, tuple | list):
        return "`[]`" if not value else "`[" + ", ".join(_plain(v) for v in value) + "]`"
    if isinstance(value, dict):
        return "`{}`" if not value else f"`{value}`"
    if isinstance(value, BaseModel):
        return "its fields' defaults"
    return f"`{value}`"


def _plain(value: object) -> str:
    return f'"{value.value}"' if isinstance(value, Enum) else repr(value)


def _kind(annotation: object, metadata: list[object] | None = None) -> str:
    """A type as a scenario writer reads it: a number, an id, one of some values..."""
    bounds = _bounds(metadata or [])
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *extra = get_args(annotation)
        return _kind(base, [*extra, *(metadata or [])])
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(annotation) if a is not type(None)]
        text = " or ".join(_kind(a) for a in options)
        return f"{text} (or left out)" if len(options) < len(get_args(annotation)) else text
    if origin is Literal:
        return "one of " + ", ".join(f'`"{v}"`' for v in get_args(annotation))
    if origin is tuple:
        args = get_args(annotation)
        if len(args) == 2 and args[1] is Ellipsis:
            return f"a list of {_plural(_kind(args[0]))}{bounds}"
        return "a pair: " + ", ".join(_kind(a) for a in args)
    if origin is dict:
        key, value = get_args(annotation)
        return f"a table of {_kind(key)} = {_kind(value)}"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "one of " + ", ".join(f'`"{m.value}"`' for m in annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"a table (`{annotation.__name__}`, below)"
    if annotation is bool:
        return "`true` or `false`"
    if annotation is int:
        return f"a whole number{bounds}"
    if annotation is float:
        return f"a number{bounds}"
    if annotation is dt.date:
        return "a date"
    if annotation is str:
        if any(getattr(m, "pattern", None) == _ID_PATTERN for m in metadata or []):
            return "an id"
        return f"text{bounds}"
    return str(annotation)


_ID_PATTERN = get_args(schema.Id)[1].pattern


def _bounds(metadata: list[object]) -> str:
    words = list(dict.fromkeys(_bound_words(metadata)))
    return f" ({', '.join(words)})" if words else ""


_SIGNS = {annotated_types.Ge: ("ge", ">="), annotated_types.Gt: ("gt", ">"),
          annotated_types.Le: ("le", "<="), annotated_types.Lt: ("lt", "<")}  # fmt: skip


def _bound_words(metadata: list[object]) -> list[str]:
    """Bounds as pydantic keeps them: annotated_types objects, or inside a nested Field."""
    words = []
    for m in metadata:
        if isinstance(m, FieldInfo):
            words += _bound_words(list(m.metadata))
        elif type(m) in _SIGNS:
            attr, sign = _SIGNS[type(m)]
            words.append(f"{sign} {_number(getattr(m, attr))}")
        elif isinstance(m, annotated_types.MinLen) and m.min_length:
            words.append(f"at least {m.min_length}")
    return words


def _number(value: float) -> str:
    """A bound as a reader writes it: 0.5, 2100, 10^10."""
    digits = str(int(value)) if float(value).is_integer() else ""
    if value >= 1e6 and digits.rstrip("0") == "1":  # the sanity caps: 10^8, 10^10, 10^15
        return f"10^{len(digits) - 1}"
    return f"{value:g}"


_PLURALS = (
    ("an id", "ids"),
    ("a number", "numbers"),
    ("a whole number", "whole numbers"),
    ("text", "texts"),
    ("a date", "dates"),
    ("a table", "tables"),
    ("a pair", "pairs"),
)


def _plural(kind: str) -> str:
    for one, many in _PLURALS:
        if kind.startswith(one):
            return many + kind[len(one) :]
    return kind


def _doc(cls: type[BaseModel], name: str, docs: dict[str, dict[str, str]]) -> str:
    """The field's docstring, from the class that declares it or the nearest base."""
    for base in cls.__mro__:
        text = docs.get(base.__name__, {}).get(name)
        if text:
            return text
    return ""


def _field_docs() -> dict[str, dict[str, str]]:
    """Per schema class, each field's docstring (the string just after its annotation).
    Read here rather than by pydantic's ``use_attribute_docstrings``, which would read the
    source of every model each time the schema is imported (some 0.1 s a command)."""
    tree = ast.parse(inspect.getsource(schema))
    found: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        fields = found.setdefault(node.name, {})
        body = node.body
        for stmt, after in zip(body, [*body[1:], None], strict=True):
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                fields[stmt.target.id] = _clean(inspect.cleandoc(after.value.value))
    return found


def _clean(text: str) -> str:
    """One paragraph: reST literals as Markdown code, lines joined."""
    text = re.sub(r"``([^`]+)``", r"`\1`", text)
    return " ".join(text.split())


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


__all__ = ["SECTIONS", "markdown"]
