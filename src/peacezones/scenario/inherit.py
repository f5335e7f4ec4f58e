"""Inheritance: a scenario can take its parameters (and doctrine) from another.

``[parameters] from = "venezuela"`` (a built-in scenario, or a path relative to the
scenario's own file) gives the scenario every parameter of that one, with its unit,
range and evidence, and the sources that evidence cites. A parameter written in the file
overrides the inherited one: its unit, range and description are kept unless given
again, but its evidence is its own (``source`` or ``assumed``), since the inherited
evidence was for the other value. An override may widen the range with a reason
(``range_reason``). ``scenario show`` says which parameters were inherited, and from where.
``[doctrine] from = ...`` likewise takes the other scenario's doctrine rules; a rule the
file writes replaces the inherited rule with its id, and the others are added.

This works on the file's data before it is validated, so that every problem is still
reported with the file and line where it was written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path as FsPath
from typing import Any

from .errors import Problem, ScenarioError, show_value

KEY = "from"
EXPECTED_BASE = "a built-in scenario name or a path to a scenario file, relative to this one"


def inherit(
    data: dict[str, Any], file: str, load: Callable[[str, tuple[str, ...]], Any],
    builtins: list[str], seen: tuple[str, ...] = (), files: bool = True,
) -> tuple[dict[str, Any], list[Problem]]:  # fmt: skip
    """``data`` with its parameters (and doctrine) completed from the scenario that its
    ``[parameters]`` (``[doctrine]``) names with ``from``, and the problems found doing
    so. ``load(name, seen)`` loads the base scenario (``seen``: the files already on the
    way, to refuse a cycle). With ``files`` false, only a built-in scenario may be named:
    a scenario sent to the web page reads no file of the machine."""
    problems: list[Problem] = []
    params = data.get("parameters")
    for group, members in params.items() if isinstance(params, dict) else ():
        for name, param in members.items() if isinstance(members, dict) else ():
            if isinstance(param, dict) and "inherited" in param:  # set by inheritance only
                expected = "no 'inherited' key: inheritance writes it (use [parameters] from)"
                problems.append(Problem(("parameters", group, name, "inherited"),
                                        repr(param["inherited"]), expected))  # fmt: skip
    cited: dict[str, str] = {}
    out = dict(data)
    for section, merge in (("parameters", _parameters), ("doctrine", _doctrine)):
        table = data.get(section)
        if not isinstance(table, dict) or KEY not in table:
            continue
        own = {k: v for k, v in table.items() if k != KEY}
        base, found = _base(table[KEY], (section, KEY), file, load, builtins, seen, files)
        problems += found
        if base is None:
            out[section] = {} if section == "parameters" else {"rules": []}
            continue
        out[section], found, ids = merge(own, base)
        problems += found
        cited |= {key: base.sources[key] for key in ids if key in base.sources}
    sources = dict(data.get("sources", {})) if isinstance(data.get("sources"), dict) else {}
    added = {key: text for key, text in sorted(cited.items()) if key not in sources}
    if added:
        out["sources"] = {**sources, **added}
    return out, problems


def _base(
    name: Any, where: tuple[str, str], file: str, load: Callable[[str, tuple[str, ...]], Any],
    builtins: list[str], seen: tuple[str, ...], files: bool = True,
) -> tuple[Any, list[Problem]]:  # fmt: skip
    """The scenario ``from`` names, loaded, or None and the problem."""
    if not isinstance(name, str) or not name.strip():
        return None, [Problem(where, show_value(name), EXPECTED_BASE)]
    if not files and name not in builtins:
        known = ", ".join(builtins)
        expected = f"a built-in scenario ({known}): a scenario sent to the page reads no other file"
        return None, [Problem(where, repr(name), expected)]
    target = name if name in builtins else _relative(file, name)
    if name not in builtins and not FsPath(target).is_file():
        near = [b for b in builtins if b.lower() == name.lower().removesuffix(".toml")]
        hint = f"; did you mean {near[0]!r}?" if near else f" ({target} is not a file)"
        expected = f"a built-in scenario ({', '.join(builtins)}) or a scenario file{hint}"
        return None, [Problem(where, repr(name), expected)]
    target_file = f"{target}.toml" if target in builtins else target
    if target_file in seen or target_file == file:
        chain = " -> ".join([*seen, file, target])
        expected = f"a scenario that does not inherit from this one ({chain})"
        return None, [Problem(where, repr(name), expected)]
    try:
        return load(target, (*seen, file)), []
    except ScenarioError as exc:
        first = exc.problems[0].render(exc.file)
        found = f"{name!r}, which has {len(exc.problems)} problem(s), the first: {first}"
        expected = f"a valid scenario (see `peacezones scenario validate {target}`)"
        return None, [Problem(where, found, expected)]


def _parameters(own: dict[str, Any], base: Any) -> tuple[dict[str, Any], list[Problem], set]:
    """The base's parameters, each marked inherited, with the file's over them."""
    origin = base.meta.name
    merged: dict[str, Any] = {}
    for group, members in base.parameters.items():
        merged[group] = {}
        for key, p in members.items():
            dumped = p.model_dump(mode="python", exclude_unset=True)
            merged[group][key] = {**dumped, "inherited": p.inherited or origin}
    problems: list[Problem] = []
    for group, members in own.items():
        if not isinstance(members, dict) or group not in merged:
            merged[group] = members  # a group of its own: checked like any other
            continue
        for key, value in members.items():
            inherited = merged[group].get(key)
            if inherited is None or not isinstance(value, dict):
                merged[group][key] = value
                continue
            merged[group][key], found = _override(inherited, value, (group, key), origin)
            problems += found
    cited: set[str] = set()
    for members in merged.values():
        for p in members.values() if isinstance(members, dict) else ():
            if isinstance(p, dict) and p.get("inherited"):
                cited.update(p.get("source", ()) or p.get("sources", ()))
    return merged, problems, cited


def _doctrine(own: dict[str, Any], base: Any) -> tuple[dict[str, Any], list[Problem], set]:
    """The base's doctrine rules, a rule of the file replacing the one with its id."""
    rules = own.get("rules", [])
    mine = {r.get("id") for r in rules if isinstance(r, dict)} if isinstance(rules, list) else set()
    taken = [r for r in base.doctrine.rules if r.id not in mine]
    cited = {key for r in taken for key in (*r.sources, *(i for v in r.cite.values() for i in v))}
    dumped = [r.model_dump(mode="python", exclude_unset=True) for r in taken]
    return {**own, "rules": [*dumped, *(rules if isinstance(rules, list) else [])]}, [], cited


def _relative(file: str, name: str) -> str:
    path = FsPath(name)
    if path.is_absolute() or not FsPath(file).exists():
        return str(path)
    return str(FsPath(file).parent / path)


def _override(
    inherited: dict[str, Any], value: dict[str, Any], at: tuple[str, str], origin: str
) -> tuple[dict[str, Any], list[Problem]]:
    """The inherited parameter with the file's fields over it; its evidence its own."""
    group, key = at
    where = ("parameters", group, key)
    kept = {k: inherited[k] for k in ("unit", "range", "description") if k in inherited}
    out = {**kept, **value}
    problems = []
    cites = value.get("sources") or value.get("source")
    if not cites and not str(value.get("assumed", "")).strip():
        problems.append(
            Problem(
                where,
                "an override without evidence",
                f"sources = [ids] or assumed = 'reason' for this value (the evidence of "
                f"{origin}'s value stays with {origin})",
            )
        )
        out["assumed"] = f"(no evidence given; {origin}'s value overridden)"
    low, high = inherited.get("range", (None, None))
    new = value.get("range")
    if (
        isinstance(new, list | tuple) and len(new) == 2
        and all(isinstance(x, int | float) for x in (*new, low, high))
        and (new[0] < low or new[1] > high)
        and not str(value.get("range_reason", "")).strip()
    ):  # fmt: skip
        problems.append(
            Problem(
                (*where, "range"),
                show_value(list(new)),
                f"the range inherited from {origin} ([{low:g}, {high:g}]) or within it, "
                "or range_reason = 'why it is widened'",
            )
        )
    return out, problems
