"""Checks that span records: references, dates, overlapping zones, sources.

They read the raw TOML data rather than the validated model, so that they still run, and
report, when some records failed their own checks: a user sees every problem at once.
Values of the wrong type are skipped here; the schema reports them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .errors import Path, Problem, show_value
from .schema import (
    DecisionUnion,
    Edge,
    Facility,
    ForceUnit,
    Gang,
    Place,
    Rule,
    Sourced,
)

RECORDS: dict[Path, type[Sourced]] = {
    ("places",): Place,
    ("edges",): Edge,
    ("gangs",): Gang,
    ("forces", "units"): ForceUnit,
    ("forces", "facilities"): Facility,
    ("doctrine", "rules"): Rule,
}


def _decision_classes() -> dict[str, type[Sourced]]:
    union = DecisionUnion.__origin__  # type: ignore[attr-defined]
    return {cls.model_fields["action"].annotation.__args__[0]: cls for cls in union.__args__}


DECISIONS = _decision_classes()


@dataclass
class _Checker:
    data: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)

    def add(self, path: Path, found: Any, expected: str) -> None:
        self.problems.append(Problem(path, show_value(found), expected))

    def table(self, path: Path) -> Any:
        node: Any = self.data
        for part in path:
            node = node.get(part) if isinstance(node, dict) else None
        return node

    def records(self, path: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
        items = self.table(path)
        if isinstance(items, list):
            for i, item in enumerate(items):
                if isinstance(item, dict):
                    yield (*path, i), item

    def ids(self, path: Path) -> set[str]:
        return {r["id"] for _, r in self.records(path) if isinstance(r.get("id"), str)}

    def refs(self, path: Path, value: Any, known: set[str], what: str) -> None:
        """Each id in ``value`` (one or a list) must name a known ``what``."""
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            if isinstance(item, str) and item not in known:
                where = (*path, i) if isinstance(value, list) else path
                self.add(where, item, f"the id of a {what} ({_listing(known)})")


def _strs(value: Any) -> list[str]:
    """The strings in a list value; anything else is the schema's to report."""
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _listing(names: set[str], most: int = 8) -> str:
    shown = sorted(names)[:most]
    more = f", ... {len(names) - most} more" if len(names) > most else ""
    return "known: " + ", ".join(shown) + more if shown else "none defined"


def check(data: dict[str, Any]) -> list[Problem]:
    """Every cross-record problem in raw scenario ``data``."""
    checker = _Checker(data)
    for step in (_unique_ids, _edges, _gangs, _forces, _schedule, _zones, _sources):
        step(checker)
    return checker.problems


def _unique_ids(c: _Checker) -> None:
    for path in RECORDS:
        seen: dict[str, Path] = {}
        for where, record in c.records(path):
            rid = record.get("id")
            if isinstance(rid, str) and rid in seen:
                c.add((*where, "id"), rid, f"an id not already used (see {_fmt(seen[rid])})")
            elif isinstance(rid, str):
                seen[rid] = where


def _fmt(path: Path) -> str:
    from .errors import format_path

    return format_path(path)


def _edges(c: _Checker) -> None:
    places = c.ids(("places",))
    seen: set[frozenset[str]] = set()
    for where, edge in c.records(("edges",)):
        a, b = edge.get("a"), edge.get("b")
        c.refs((*where, "a"), a, places, "place")
        c.refs((*where, "b"), b, places, "place")
        if isinstance(a, str) and a == b:
            c.add((*where, "b"), b, f"a place other than a ({a!r}): an edge joins two places")
        pair = frozenset((str(a), str(b)))
        if pair in seen and a != b:
            c.add(where, f"{a}-{b}", "one edge per pair of places")
        seen.add(pair)


def _gangs(c: _Checker) -> None:
    places, gangs = c.ids(("places",)), c.ids(("gangs",))
    for where, gang in c.records(("gangs",)):
        c.refs((*where, "home"), gang.get("home"), places, "place")
        c.refs((*where, "territory"), gang.get("territory", []), places, "place")
        for key in ("allies", "rivals"):
            c.refs((*where, key), gang.get(key, []), gangs, "gang")
            if gang.get("id") in _strs(gang.get(key)):
                c.add((*where, key), gang.get("id"), f"other gangs: a gang is not in its own {key}")
        both = set(_strs(gang.get("allies"))) & set(_strs(gang.get("rivals")))
        for other in sorted(both, key=str):
            c.add((*where, "rivals"), other, "a gang that is not also an ally")


def _forces(c: _Checker) -> None:
    places = c.ids(("places",))
    for path in (("forces", "units"), ("forces", "facilities")):
        for where, record in c.records(path):
            c.refs((*where, "place"), record.get("place"), places, "place")


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _schedule(c: _Checker) -> None:
    places, gangs = c.ids(("places",)), c.ids(("gangs",))
    start, end = _as_date(c.table(("meta", "start"))), _as_date(c.table(("meta", "end")))
    zones = {
        d["zone"]
        for _, d in c.records(("schedule",))
        if d.get("action") == "declare_zone" and isinstance(d.get("zone"), str)
    }
    declared = "zone declared in the schedule"
    for where, decision in c.records(("schedule",)):
        date = _as_date(decision.get("date"))
        if date and start and end and not start <= date <= end:
            expected = f"a date within the scenario ({start} to {end})"
            c.add((*where, "date"), date.isoformat(), expected)
        until = _as_date(decision.get("until"))
        if until and date and until <= date:
            expected = f"a date after the decision's date ({date})"
            c.add((*where, "until"), until.isoformat(), expected)
        c.refs((*where, "places"), decision.get("places", []), places, "place")
        c.refs((*where, "gangs"), decision.get("gangs", []), gangs, "gang")
        if "gang" in decision:
            c.refs((*where, "gang"), decision["gang"], gangs, "gang")
        if decision.get("action") == "end_zone":
            c.refs((*where, "zone"), decision.get("zone"), zones, declared)
        if decision.get("action") == "hot_pursuit":
            c.refs((*where, "zones"), decision.get("zones", []), zones, declared)


@dataclass(frozen=True)
class _Span:
    zone: str
    start: dt.date
    end: dt.date
    where: Path


def _zone_spans(c: _Checker) -> list[_Span]:
    """When each declared zone is in force: from its date to its first end."""
    scenario_end = _as_date(c.table(("meta", "end"))) or dt.date.max
    ends: dict[str, list[dt.date]] = {}
    for _, d in c.records(("schedule",)):
        date = _as_date(d.get("date"))
        if d.get("action") == "end_zone" and isinstance(d.get("zone"), str) and date:
            ends.setdefault(d["zone"], []).append(date)
    spans = []
    for where, d in c.records(("schedule",)):
        date, zone = _as_date(d.get("date")), d.get("zone")
        if d.get("action") != "declare_zone" or not date or not isinstance(zone, str):
            continue
        stop = min([e for e in ends.get(zone, []) if e > date], default=scenario_end)
        until = _as_date(d.get("until"))
        spans.append(_Span(zone, date, min(stop, until) if until else stop, where))
    return sorted(spans, key=lambda s: s.start)


def _zones(c: _Checker) -> None:
    """No place may be in two zones' terms at once, nor a zone declared twice while in force."""
    active: dict[str, _Span] = {}
    for span in _zone_spans(c):
        decision = c.table(span.where[:1])[span.where[1]]
        places = decision.get("places") if isinstance(decision.get("places"), list) else []
        for i, place in enumerate(places):
            if not isinstance(place, str):
                continue
            held = active.get(place)
            if held and held.start <= span.start < held.end:
                c.add(
                    (*span.where, "places", i),
                    place,
                    f"a place not under other zone terms on {span.start} "
                    f"(zone {held.zone!r} holds it from {held.start} to {held.end})",
                )
            else:
                active[place] = span


def _sources(c: _Checker) -> None:
    known = set(c.table(("sources",)) or {}) if isinstance(c.table(("sources",)), dict) else set()
    for path, cls in RECORDS.items():
        for where, record in c.records(path):
            _provenance(c, where, record, cls, known)
    for where, record in c.records(("schedule",)):
        action = record.get("action")
        cls = DECISIONS.get(action) if isinstance(action, str) else None
        if cls:
            _provenance(c, where, record, cls, known)
    for where, record in c.records(("observations",)):
        c.refs((*where, "source"), record.get("source", []), known, "source in [sources]")
    params = c.table(("parameters",))
    for group, members in (params or {}).items() if isinstance(params, dict) else ():
        for name, param in (members or {}).items() if isinstance(members, dict) else ():
            if isinstance(param, dict):
                where = ("parameters", group, name, "source")
                c.refs(where, param.get("source", []), known, "source in [sources]")


def _provenance(
    c: _Checker, where: Path, record: dict[str, Any], cls: type[Sourced], known: set[str]
) -> None:
    """Sources must exist, and each data field needs a source or an assumption."""
    c.refs((*where, "sources"), record.get("sources", []), known, "source in [sources]")
    cite = record.get("cite") if isinstance(record.get("cite"), dict) else {}
    assumed = record.get("assumed") if isinstance(record.get("assumed"), dict) else {}
    for key, ids in cite.items():
        c.refs((*where, "cite", key), ids, known, "source in [sources]")
    for table, keys in (("cite", cite), ("assumed", assumed)):
        for key in keys:
            if key not in cls.DATA_FIELDS:
                c.add((*where, table, key), key, f"a data field ({', '.join(cls.DATA_FIELDS)})")
    if record.get("sources"):
        return
    for key in cls.DATA_FIELDS:
        if key in record and key not in cite and key not in assumed:
            c.add(
                (*where, key),
                f"no source for {key}",
                f"sources = [...], cite.{key} = [...] or assumed.{key} = 'reason'",
            )
