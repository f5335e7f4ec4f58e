"""Checks that span records: references, dates, zones in force, sources.

They read the raw TOML data rather than the validated model, so that they still run, and
report, when some records failed their own checks: a user sees every problem at once.
Values of the wrong type are skipped here; the schema reports them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .errors import Path, Problem, Said, format_path, show_value
from .schema import (
    ALL_PLACES,
    DECISION_TYPES,
    ENDLESS,
    FACTION,
    IDENTITY,
    MAX_PEOPLE,
    NEW_GANG,
    Edge,
    Facility,
    ForceUnit,
    Gang,
    Place,
    Rule,
    Series,
    Sourced,
)

RECORDS: dict[Path, type[Sourced]] = {
    ("places",): Place,
    ("edges",): Edge,
    ("gangs",): Gang,
    ("forces", "units"): ForceUnit,
    ("forces", "facilities"): Facility,
    ("doctrine", "rules"): Rule,
    ("context",): Series,
}
LISTED_IDS = 8  # how many known ids an error message shows


@dataclass
class _Checker:
    """The raw data under check, and the problems found so far."""

    data: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)

    def add(self, path: Path, found: Any, expected: str) -> None:
        self.problems.append(Problem(path, show_value(found), expected))

    def table(self, path: Path) -> Any:
        """The value at ``path``, or None where the data has no such table."""
        node: Any = self.data
        for part in path:
            if isinstance(node, dict):
                node = node.get(part)
            elif isinstance(node, list | tuple) and isinstance(part, int) and part < len(node):
                node = node[part]
            else:
                return None
        return node

    def records(self, path: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
        """Each record (a table) of the array at ``path``, with its own path."""
        items = self.table(path)
        if isinstance(items, list | tuple):
            for i, item in enumerate(items):
                if isinstance(item, dict):
                    yield (*path, i), item

    def ids(self, path: Path) -> set[str]:
        return {r["id"] for _, r in self.records(path) if isinstance(r.get("id"), str)}

    def refs(self, path: Path, value: Any, known: set[str], what: str) -> None:
        """Each id in ``value`` (one, or a list) must name a known ``what``."""
        items = value if isinstance(value, list | tuple) else [value]
        for i, item in enumerate(items):
            if isinstance(item, str) and item not in known:
                where = (*path, i) if isinstance(value, list | tuple) else path
                self.add(where, item, f"the id of a {what} ({_listing(known)})")


def _whole(value: Any) -> bool:
    """Whether ``value`` is a whole number as TOML gives one (not a boolean)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _strs(value: Any) -> list[str]:
    """The strings in a list value; anything else is the schema's to report."""
    return [v for v in value if isinstance(v, str)] if isinstance(value, list | tuple) else []


def _listing(names: set[str]) -> str:
    shown = sorted(names)[:LISTED_IDS]
    more = f", ... {len(names) - LISTED_IDS} more" if len(names) > LISTED_IDS else ""
    return "known: " + ", ".join(shown) + more if shown else "none defined"


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def check(data: dict[str, Any]) -> list[Problem]:
    """Every cross-record problem in raw scenario ``data``."""
    checker = _Checker(data)
    for step in (
        _era,
        _texts,
        _repeats,
        _people,
        _unique_ids,
        _edges,
        _gangs,
        _forces,
        _context,
        _schedule_dates,
        _twice,
        _schedule_refs,
        _decision_ends,
        _zone_history,
        _zone_overlaps,
        _sources,
        _parameter_names,
        _observations,
        _patterns,
    ):
        step(checker)
    return checker.problems


ID = re.compile(r"^[a-z][a-z0-9_]*$")
"""What the schema takes for an id (``schema.Id``)."""

ERA = (1900, 2100)
"""Years a scenario may start and end in: its data are recent history or a near future;
a date outside is a typo (1013 for 2013) that would run for a thousand years."""

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Control characters (tabs and line breaks aside) and the bidirectional overrides, which
would reach tables and the report unseen, or turn a name around."""


def _era(c: _Checker) -> None:
    for key in ("start", "end"):
        value = _as_date(c.table(("meta", key)))
        if value is not None and not ERA[0] <= value.year <= ERA[1]:
            c.add(("meta", key), value, f"a date from {ERA[0]} to {ERA[1]}")


SINGLE_LINE = frozenset({"id", "name", "alias", "title", "region", "country", "currency", "label"})
"""Fields shown on one line (table cells, headings): no line break or tab either."""
BREAKS = re.compile(r"[\t\n\r]")


def _texts(c: _Checker) -> None:
    c.problems.extend(control_characters(c.data))


def control_characters(node: Any, where: Path = ()) -> list[Problem]:
    """Every text in ``node`` (a scenario's or a policy's data) with a control character
    or a direction override; in a one-line field (a name, a title), a line break or tab."""
    out: list[Problem] = []
    if isinstance(node, str):
        found = CONTROL.search(node)
        if not found and where and where[-1] in SINGLE_LINE:
            found = BREAKS.search(node)
        if found:
            code = f"U+{ord(found.group()):04X}"
            out.append(
                Problem(
                    where,
                    show_value(node),
                    f"text without control characters (found {code} at position {found.start()})",
                )
            )
    elif isinstance(node, dict):
        for key, value in node.items():
            out.extend(control_characters(value, (*where, key)))
    elif isinstance(node, list | tuple):
        for i, value in enumerate(node):
            out.extend(control_characters(value, (*where, i)))
    return out


DISTINCT = frozenset(
    {"territory", "revenue", "allies", "rivals", "gangs", "places", "mechanisms", "arms",
     "conditions", "events", "types"}
)  # fmt: skip
"""Lists of ids in which an id twice is a slip (a truce between a gang and itself)."""


def _repeats(c: _Checker, node: Any = None, where: Path = ()) -> None:
    node = c.data if not where else node
    if isinstance(node, dict):
        for key, value in node.items():
            _repeats(c, value, (*where, key))
    elif isinstance(node, list | tuple):
        if where and where[-1] in DISTINCT and all(isinstance(x, str) for x in node):
            seen: set[str] = set()
            for i, item in enumerate(node):
                if item in seen:
                    c.add((*where, i), item, "each id once in the list")
                seen.add(item)
        else:
            for i, value in enumerate(node):
                _repeats(c, value, (*where, i))


def _people(c: _Checker) -> None:
    """Residents enough for a rate, and for the gangs' members: members are taken from
    their places' residents, so a gang larger than them would be cut silently (and the
    next gang there left with none)."""
    from ..engine.world import spread

    places = {p["id"]: p for _, p in c.records(("places",)) if isinstance(p.get("id"), str)}
    people = {k: p.get("population") for k, p in places.items()}
    people = {k: v for k, v in people.items() if _whole(v) and 0 <= v <= MAX_PEOPLE}
    if places and len(people) == len(places) and sum(people.values()) == 0:
        c.problems.append(
            Problem(
                ("places",),
                "no residents in any place",
                "a population above 0 somewhere (rates are per 100,000 residents)",
            )
        )
    standing: dict[str, int] = {}
    last: dict[str, Path] = {}
    for where, gang in c.records(("gangs",)):
        members = gang.get("members")
        territory = gang.get("territory") or []
        ids = [gang.get("home"), *(territory if isinstance(territory, list | tuple) else [])]
        if (
            not isinstance(members, int)
            or isinstance(members, bool)
            or not 0 <= members <= MAX_PEOPLE
        ):
            continue  # the schema reports a wrong type or an absurd number
        if not all(isinstance(i, str) and i in people for i in ids):
            continue
        by_place = gang.get("members_by_place")
        if isinstance(by_place, dict) and by_place:
            counts = {k: v for k, v in by_place.items() if _whole(v)}
        else:
            counts = dict(zip(ids, spread(members, [people[i] for i in ids]).tolist(), strict=True))
        room = sum(people[i] for i in set(ids))
        if members > room:
            c.add(
                (*where, "members"),
                members,
                f"at most the residents of its home and territory ({room:,})",
            )
            continue
        explicit = isinstance(by_place, dict) and bool(by_place)
        for place, n in counts.items():
            standing[place] = standing.get(place, 0) + n
            # told at the last gang that puts members there: where it says how many
            last[place] = (*where, "members_by_place", place) if explicit else (*where, "members")
    for place, n in standing.items():
        if place in people and n > people[place]:
            c.add(
                last[place],
                Said(f"{n:,} members of gangs at {place}"),
                f"at most its residents ({people[place]:,})",
            )


def _unique_ids(c: _Checker) -> None:
    for path in RECORDS:
        seen: dict[str, Path] = {}
        for where, record in c.records(path):
            rid = record.get("id")
            if isinstance(rid, str) and rid in seen:
                c.add((*where, "id"), rid, f"an id not already used (see {format_path(seen[rid])})")
            elif isinstance(rid, str):
                seen[rid] = where


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
        if gang.get("home") in _strs(gang.get("territory")):
            c.add((*where, "territory"), gang.get("home"), "places besides the gang's home")
        _members_by_place(c, where, gang)
        for key in ("allies", "rivals"):
            c.refs((*where, key), gang.get(key, []), gangs, "gang")
            if gang.get("id") in _strs(gang.get(key)):
                c.add((*where, key), gang.get("id"), f"other gangs: a gang is not in its own {key}")
        gid = gang.get("id")
        if isinstance(gid, str) and re.fullmatch(f"({FACTION}|{NEW_GANG})\\d+", gid):
            c.add(
                (*where, "id"),
                gid,
                f"an id not of the form '{FACTION}N' or '{NEW_GANG}N': those name the gangs "
                "that may form during a run",
            )
        both = set(_strs(gang.get("allies"))) & set(_strs(gang.get("rivals")))
        for other in sorted(both):
            c.add((*where, "rivals"), other, "a gang that is not also an ally")
        # a gang arms its members and no more (M3): more weapons would vanish unseen
        members, weapons = gang.get("members"), gang.get("weapons")
        if _whole(members) and _whole(weapons) and weapons > members:
            c.add((*where, "weapons"), weapons, f"at most one per member ({members:,})")
    # an alliance is mutual: one side's ally is not the other side's rival
    by_id = {g["id"]: g for _, g in c.records(("gangs",)) if isinstance(g.get("id"), str)}
    for where, gang in c.records(("gangs",)):
        for other in _strs(gang.get("allies")):
            rivals = _strs(by_id[other].get("rivals")) if other in by_id else []
            if gang.get("id") in rivals:
                c.add(
                    (*where, "allies"),
                    other,
                    f"a gang that does not count it a rival ({other} does)",
                )


def _members_by_place(c: _Checker, where: Path, gang: dict[str, Any]) -> None:
    """Members given by place are at the gang's home or territory, and add up."""
    by_place = gang.get("members_by_place")
    if not isinstance(by_place, dict) or not by_place:
        return
    held = [gang.get("home"), *_strs(gang.get("territory"))]
    for place in by_place:
        if place not in held and ID.match(place):  # a key that is no id is told once, as such
            expected = f"a place of the gang's home or territory ({', '.join(map(str, held))})"
            c.add((*where, "members_by_place", place), place, expected)
    counts = [v for v in by_place.values() if _whole(v)]
    members = gang.get("members")
    if len(counts) == len(by_place) and isinstance(members, int) and sum(counts) != members:
        c.add((*where, "members_by_place"), Said(f"a sum of {sum(counts)}"),
              f"the gang's members ({members})")  # fmt: skip


def _forces(c: _Checker) -> None:
    places = c.ids(("places",))
    for path in (("forces", "units"), ("forces", "facilities")):
        for where, record in c.records(path):
            c.refs((*where, "place"), record.get("place"), places, "place")
    # officers, stationed or sent by a decision or a doctrine rule, are the scenario's people
    residents = _residents(c)
    for path, key in (
        (("forces", "units"), "size"),
        (("schedule",), "officers"),
        (("doctrine", "rules"), "officers"),
    ):
        for where, record in c.records(path):
            n = record.get(key)
            if residents and (_whole(n) or isinstance(n, float)) and n > residents:
                c.add((*where, key), n, f"at most the scenario's residents ({residents:,})")


def _context(c: _Checker) -> None:
    """One series per driver: two would leave the mechanisms to guess which to read."""
    seen: dict[str, Path] = {}
    for where, series in c.records(("context",)):
        driver = series.get("driver")
        if isinstance(driver, str) and driver in seen:
            expected = f"one series per driver ({driver!r} is given at {format_path(seen[driver])})"
            c.add((*where, "driver"), driver, expected)
        elif isinstance(driver, str):
            seen[driver] = where
        years, span = series.get("years"), _Names.of(c).years
        numeric = isinstance(years, list) and years and all(isinstance(y, int) for y in years)
        if numeric and span and not any(span[0] - 10 <= y <= span[1] for y in years):
            c.add((*where, "years"), years, f"a year near the scenario's ({span[0]} to "
                      f"{span[1]}): the series is held flat outside its years")  # fmt: skip
        values = series.get("values")
        if driver == "emigration" and isinstance(values, list) and values:
            numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
            residents = _residents(c)
            rise = max(numbers, default=0.0) - min(numbers, default=0.0)
            if residents and rise >= residents:
                c.problems.append(
                    Problem(
                        (*where, "values"),
                        f"a rise of {rise:,.0f} people abroad",
                        f"less than the scenario's {residents:,} residents (the series counts "
                        "the people of the scenario's places living abroad: where the places are "
                        "part of a country, give their share of its emigrants)",
                    )
                )


def _unpeopled(c: _Checker, where: Path, places: Any) -> None:
    """A rate over ``places`` needs residents there: one over none cannot be judged."""
    if not isinstance(places, list | tuple) or not places:
        return
    people = {
        p["id"]: p.get("population")
        for _, p in c.records(("places",))
        if isinstance(p.get("id"), str)
    }
    counts = [people.get(i) for i in places if isinstance(i, str)]
    if counts and all(_whole(n) and n == 0 for n in counts):
        c.add(where, list(places), "places with residents: a rate is per 100,000 of them")


def _residents(c: _Checker) -> int:
    """Everyone in the scenario's places (0 where a population is not a whole number)."""
    total = 0
    for _, place in c.records(("places",)):
        n = place.get("population")
        if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= MAX_PEOPLE:
            return 0
        total += n
    return total


def _schedule_dates(c: _Checker) -> None:
    start, end = _as_date(c.table(("meta", "start"))), _as_date(c.table(("meta", "end")))
    for where, decision in c.records(("schedule",)):
        date = _as_date(decision.get("date"))
        if date and start and end and start < end and not start <= date <= end:
            c.add((*where, "date"), date, f"a date within the scenario ({start} to {end})")
        until = _as_date(decision.get("until"))
        if until and date and until <= date:
            c.add((*where, "until"), until, f"a date after the decision's date ({date})")


TELLING = frozenset({"id", "sources", "source", "cite", "assumed", "notes", "program"})
"""Fields of a decision that say nothing of what it does: two decisions alike in all the
rest are one decision written twice."""


def _twice(c: _Checker) -> None:
    """A decision written twice (the same action on the same day with the same targets)
    would act twice: a leader removed twice, a crackdown of twice the officers."""
    seen: dict[str, Path] = {}
    for where, decision in c.records(("schedule",)):
        acts = {k: v for k, v in decision.items() if k not in TELLING}
        if acts.get("action") == "remove_leader":  # one leader, removed once a day
            acts.pop("mode", None)
        key = repr(sorted(acts.items(), key=lambda item: item[0]))
        if key in seen:
            c.add(where, Said(f"the decision of {format_path(seen[key])} again"),
                  "each decision once (the same action, day and targets act twice)")  # fmt: skip
        else:
            seen[key] = where


def _declared_zones(c: _Checker) -> set[str]:
    return {
        d["zone"]
        for _, d in c.records(("schedule",))
        if d.get("action") == "declare_zone" and isinstance(d.get("zone"), str)
    }


def _schedule_refs(c: _Checker) -> None:
    places, gangs, zones = c.ids(("places",)), c.ids(("gangs",)), _declared_zones(c)
    declared = "zone declared in the schedule"
    for where, decision in c.records(("schedule",)):
        c.refs((*where, "places"), decision.get("places", []), places, "place")
        c.refs((*where, "gangs"), decision.get("gangs", []), gangs, "gang")
        if "gang" in decision:
            c.refs((*where, "gang"), decision["gang"], gangs, "gang")
        if decision.get("action") == "end_zone":
            c.refs((*where, "zone"), decision.get("zone"), zones, declared)
        if decision.get("action") == "hot_pursuit":
            c.refs((*where, "zones"), decision.get("zones", []), zones, declared)


def _decision_ends(c: _Checker) -> None:
    """Decision ids are unique; an ``end`` names an earlier decision that lasts, once."""
    named: dict[str, tuple[dt.date | None, str, Path]] = {}
    for where, d in c.records(("schedule",)):
        key = d.get("id")
        if not isinstance(key, str):
            continue
        if key in named:
            expected = f"an id no other decision has ({format_path(named[key][2])} has it)"
            c.add((*where, "id"), key, expected)
        else:
            named[key] = (_as_date(d.get("date")), str(d.get("action")), where)
    ended: dict[str, Path] = {}
    for where, d in c.records(("schedule",)):
        if d.get("action") != "end":
            continue
        key, date = d.get("decision"), _as_date(d.get("date"))
        if not isinstance(key, str) or key not in named:
            known = ", ".join(sorted(named)) or "none"
            c.add((*where, "decision"), key, f"the id of a decision in the schedule ({known})")
            continue
        then, action, _ = named[key]
        if action in ENDLESS or action == "declare_zone":
            hint = "; a zone ends by end_zone" if action == "declare_zone" else ""
            c.add((*where, "decision"), key, f"a decision that lasts (not {action}){hint}")
        elif then and date and date <= then:
            c.add((*where, "date"), date, f"a date after the decision it ends ({then})")
        elif key in ended:
            c.add(
                (*where, "decision"),
                key,
                f"a decision not already ended ({format_path(ended[key])})",
            )
        else:
            ended[key] = where


def _zone_decisions(c: _Checker) -> list[tuple[dt.date, int, str, str, Path]]:
    """(date, order, action, zone, path) of each declare_zone and end_zone, in date order.

    On one date an end comes before a declaration, so that a zone can be relaunched.
    """
    found = []
    for where, d in c.records(("schedule",)):
        date, zone, action = _as_date(d.get("date")), d.get("zone"), d.get("action")
        if date and isinstance(zone, str) and action in ("declare_zone", "end_zone"):
            found.append((date, 0 if action == "end_zone" else 1, action, zone, where))
    return sorted(found, key=lambda item: item[:2])


def _zone_history(c: _Checker) -> None:
    """A zone is ended only while in force, and declared again only once ended."""
    in_force: dict[str, dt.date] = {}
    for date, _, action, zone, where in _zone_decisions(c):
        if action == "declare_zone" and zone in in_force:
            expected = f"a zone not already in force (declared {in_force[zone]}, not ended)"
            c.add((*where, "zone"), zone, expected)
        elif action == "declare_zone":
            in_force[zone] = date
        elif zone not in in_force and zone in _declared_zones(c):
            c.add((*where, "zone"), zone, f"a zone in force on {date}: end it after declaring it")
        else:
            in_force.pop(zone, None)


@dataclass(frozen=True)
class _Span:
    zone: str
    start: dt.date
    end: dt.date
    where: Path


def _zone_spans(c: _Checker) -> list[_Span]:
    """When each declared zone is in force: from its date to its first end after it."""
    scenario_end = _as_date(c.table(("meta", "end"))) or dt.date.max
    ends: dict[str, list[dt.date]] = {}
    for date, _, action, zone, _ in _zone_decisions(c):
        if action == "end_zone":
            ends.setdefault(zone, []).append(date)
    spans = []
    for date, _, action, zone, where in _zone_decisions(c):
        if action == "declare_zone":
            stop = min([e for e in ends.get(zone, []) if e > date], default=scenario_end)
            until = _as_date(c.table((*where, "until")))
            spans.append(_Span(zone, date, min(stop, until) if until else stop, where))
    return spans


def _zone_overlaps(c: _Checker) -> None:
    """No place may be under two zones' terms at once."""
    active: dict[str, _Span] = {}
    for span in _zone_spans(c):
        places = c.table((*span.where, "places"))
        for i, place in enumerate(places if isinstance(places, list | tuple) else []):
            held = active.get(place) if isinstance(place, str) else None
            if held and held.zone != span.zone and held.start <= span.start < held.end:
                expected = (
                    f"a place not under other zone terms on {span.start} "
                    f"(zone {held.zone!r} holds it from {held.start} to {held.end})"
                )
                c.add((*span.where, "places", i), place, expected)
            elif isinstance(place, str):
                active[place] = span


def _sources(c: _Checker) -> None:
    table = c.table(("sources",))
    known = set(table) if isinstance(table, dict) else set()
    for path, cls in RECORDS.items():
        for where, record in c.records(path):
            _provenance(c, where, record, cls, known)
    for where, record in c.records(("schedule",)):
        action = record.get("action")
        if isinstance(action, str) and action in DECISION_TYPES:
            _provenance(c, where, record, DECISION_TYPES[action], known)
    for path in (("observations",), ("patterns",)):
        for where, record in c.records(path):
            _cited(c, where, record, known)
    params = c.table(("parameters",))
    for group, members in params.items() if isinstance(params, dict) else ():
        for name, param in members.items() if isinstance(members, dict) else ():
            if isinstance(param, dict):
                _cited(c, ("parameters", group, name), param, known)


def model_parameters() -> dict[str, tuple[str, ...]]:
    """Every parameter the model reads, by group (read at check time, from the engine)."""
    from ..engine.step import required_parameters

    return required_parameters()


def did_you_mean(item: str, known: Any, n: int = 3) -> str:
    """``"; did you mean 'x'?"`` with the names in ``known`` nearest ``item``, or ``""``."""
    near = difflib.get_close_matches(item, sorted(known), n=n, cutoff=0.6)
    return f"; did you mean {', '.join(map(repr, near))}?" if near else ""


def unknown_parameters(data: Any) -> list[Path]:
    """The paths of ``[parameters]`` groups and names that the model does not read."""
    params = data.get("parameters") if isinstance(data, dict) else None
    if not isinstance(params, dict):
        return []
    model, out = model_parameters(), []
    for group, members in params.items():
        if not isinstance(members, dict):
            continue  # ``from``, or a wrong type the schema reports
        if group not in model:
            out.append(("parameters", group))
            continue
        out.extend(("parameters", group, name) for name in members if name not in model[group])
    return out


def _parameter_names(c: _Checker) -> None:
    """A group or a name under [parameters] that the model does not read is a misspelling
    (or a parameter of another version of the model): the run would refuse it, or
    silently use the inherited value instead of the one written."""
    model = model_parameters()
    for path in unknown_parameters(c.data):
        if len(path) == 2:
            c.add(path, path[1], f"a group of the model's parameters{did_you_mean(path[1], model)}")
        else:
            group, name = path[1], path[2]
            hint = did_you_mean(name, model[group])
            c.add(path, name, f"a parameter of group {group!r} that the model reads{hint}")
    params = c.table(("parameters",))
    if isinstance(params, dict) and "from" in params:
        return  # the rest are inherited (inheritance reports a base it cannot find)
    inherit = 'or inherit them all with [parameters] from = "venezuela"'
    if not isinstance(params, dict) or not any(g in model for g in params):
        if params is None or isinstance(params, dict):
            c.problems.append(
                Problem(
                    ("parameters",), "nothing", f"the parameters that the model reads ({inherit})"
                )
            )
        return
    for group, names in model.items():
        members = params.get(group)
        if members is None:
            c.problems.append(
                Problem(
                    ("parameters", group),
                    "nothing",
                    f"the group's parameters ({', '.join(names)}), {inherit}",
                )
            )
        elif isinstance(members, dict):
            for name in names:
                if name not in members:
                    c.problems.append(
                        Problem(
                            ("parameters", group, name),
                            "nothing",
                            f"a parameter that the model reads ({inherit})",
                        )
                    )


def _cited(c: _Checker, where: Path, record: dict[str, Any], known: set[str]) -> None:
    """The sources a parameter, observation or pattern cites (``sources``, or the old
    spelling ``source``, not both) must be in [sources]."""
    if "sources" in record and "source" in record:
        c.add(
            (*where, "source"),
            Said("both sources and source"),
            "sources only (source is its old spelling)",
        )
        return
    key = "source" if "source" in record else "sources"
    c.refs((*where, key), record.get(key, []), known, "source in [sources]")


def _provenance(
    c: _Checker, where: Path, record: dict[str, Any], cls: type[Sourced], known: set[str]
) -> None:
    """Sources must exist, and each data field needs a source or an assumption."""
    c.refs((*where, "sources"), record.get("sources", []), known, "source in [sources]")
    cite = record.get("cite") if isinstance(record.get("cite"), dict) else {}
    assumed = record.get("assumed") if isinstance(record.get("assumed"), dict) else {}
    data_fields = cls.data_fields()
    for key, ids in cite.items():
        c.refs((*where, "cite", key), ids, known, "source in [sources]")
    for table, keys in (("cite", cite), ("assumed", assumed)):
        for key in keys:
            if key in IDENTITY:
                expected = (f"a data field ({', '.join(data_fields)}): {key} names the record, "
                            "and a name needs no evidence")  # fmt: skip
                c.add((*where, table, key), key, expected)
            elif key not in data_fields:
                c.add((*where, table, key), key, f"a data field ({', '.join(data_fields)})")
    if record.get("sources"):
        return
    for key in data_fields:
        if key in record and key not in cite and key not in assumed:
            c.add(
                (*where, key),
                Said(f"no source for {key}"),
                f"sources = [...], cite.{key} = [...] or assumed.{key} = 'reason'",
            )


# --- observations and patterns: what they read must exist --------------------------------


@dataclass
class _Names:
    """What observations and patterns may name in this scenario."""

    places: set[str]
    gangs: set[str]
    regions: set[str]
    areas: set[str]
    years: tuple[int, int] | None

    @classmethod
    def of(cls, c: _Checker) -> _Names:
        regions = {
            r["region"] for _, r in c.records(("places",)) if isinstance(r.get("region"), str)
        }
        country = c.table(("meta", "country"))
        areas = (
            regions | {ALL_PLACES} | ({country} if isinstance(country, str) and country else set())
        )
        start, end = _as_date(c.table(("meta", "start"))), _as_date(c.table(("meta", "end")))
        # an end before the start is reported once, not again at every year against it
        years = (start.year, end.year) if start and end and start < end else None
        return cls(c.ids(("places",)), c.ids(("gangs",)), regions, areas, years)


def _vocabulary() -> Any:
    from ..analysis import measures  # the outputs of the engine: read at check time

    return measures


def _year(c: _Checker, names: _Names, where: Path, value: Any) -> None:
    if names.years and _whole(value):
        low, high = names.years
        if not low <= value <= high:
            c.add(where, value, f"a year of the scenario ({low} to {high})")


def _years(c: _Checker, names: _Names, where: Path, value: Any) -> None:
    if isinstance(value, list | tuple):
        for i, year in enumerate(value):
            _year(c, names, (*where, i), year)


LISTED_NAMES = 12  # a longer vocabulary is named by its doc, with the nearest names


def _one_of(
    c: _Checker, where: Path, value: Any, known: tuple[str, ...] | set[str], what: str
) -> None:
    items = value if isinstance(value, list | tuple) else [value]
    for i, item in enumerate(items):
        if isinstance(item, str) and item and item not in known:
            at = (*where, i) if isinstance(value, list | tuple) else where
            if len(known) <= LISTED_NAMES:
                c.add(at, item, f"{what} (known: {', '.join(sorted(known))})")
                continue
            near = difflib.get_close_matches(item, sorted(known), n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(map(repr, near))}?" if near else ""
            c.add(at, item, f"{what}: docs/ODD.md, 'Validation', lists them{hint}")


def _region(c: _Checker, names: _Names, where: Path, value: Any) -> None:
    if isinstance(value, str) and value and value not in names.regions:
        c.add(where, value, f"a region of the scenario's places ({_listing(names.regions)})")


def _observations(c: _Checker) -> None:
    v, names = _vocabulary(), _Names.of(c)
    seen: dict[tuple[str, ...], list[int]] = {}
    for where, obs in c.records(("observations",)):
        variable = obs.get("variable")
        _one_of(
            c,
            (*where, "variable"),
            variable,
            set(v.observable_variables()),
            "an output of the model",
        )
        area = obs.get("area", ALL_PLACES)
        if "area" in obs and obs.get("places"):
            c.add((*where, "area"), area, "area or places, not both: places are read")
        if isinstance(area, str) and area not in names.areas and not obs.get("places"):
            expected = (
                f"a region of the scenario's places, {ALL_PLACES!r} or the country's name "
                f"({_listing(names.areas)}); or places = [ids]"
            )
            c.add((*where, "area"), area, expected)
        c.refs((*where, "places"), obs.get("places", []), names.places, "place")
        if isinstance(variable, str) and ("per_100k" in variable or variable.endswith("_share")):
            _unpeopled(c, (*where, "places"), obs.get("places"))
            region = [
                p["id"]
                for _, p in c.records(("places",))
                if isinstance(p.get("id"), str)
                and isinstance(area, str)
                and p.get("region") == area
            ]
            if region and not obs.get("places"):
                _unpeopled(c, (*where, "area"), region)
        if isinstance(variable, str) and v.gang_variable(variable):
            for key in ("places", "area"):
                if obs.get(key) and (key == "places" or obs[key] != ALL_PLACES):
                    c.add((*where, key), obs[key], "no places or area: the variable is a gang's "
                          "(narrow it with gangs)")  # fmt: skip
        c.refs((*where, "gangs"), obs.get("gangs", []), names.gangs, "gang")
        if obs.get("gangs") and isinstance(variable, str) and not v.gang_variable(variable):
            c.add((*where, "gangs"), obs["gangs"], "no gangs: the variable is not a gang's")
        _year(c, names, (*where, "year"), obs.get("year"))
        key = (repr(variable), repr(area), repr(obs.get("places")), repr(obs.get("gangs")))
        year = obs.get("year")
        earlier = isinstance(year, int) and any(y < year for y in seen.get(key, []))
        if obs.get("trend") is True and isinstance(year, int) and not earlier:
            expected = "an earlier observation of the same variable and area to compare with"
            c.add((*where, "trend"), True, expected)
        if isinstance(year, int):
            if year in seen.get(key, []):
                c.add((*where, "year"), year, "one observation of a variable, area and year")
            seen.setdefault(key, []).append(year)


ARMS_EXPECTED = "'historical', a built-in policy ({}) or 'without:TRAIT' ({})"


def _arm(c: _Checker, where: Path, value: Any) -> None:
    from ..experiments.policies import builtin_policies
    from .schema import Traits

    traits = tuple(Traits.model_fields)
    if not isinstance(value, str):
        return
    trait = value.removeprefix("without:")
    if (
        value == "historical"
        or value in builtin_policies()
        or (value.startswith("without:") and trait in traits)
    ):
        return
    expected = ARMS_EXPECTED.format(", ".join(builtin_policies()), ", ".join(traits))
    c.add(where, value, expected)


def _measure(c: _Checker, names: _Names, where: Path, m: Any) -> None:
    if not isinstance(m, dict):
        return
    v = _vocabulary()
    variable = m.get("variable")
    _one_of(c, (*where, "variable"), variable, set(v.series_variables()), "a series variable")
    _one_of(c, (*where, "events"), m.get("events", []), set(v.event_kinds()), "a kind of event")
    c.refs((*where, "gangs"), m.get("gangs", []), names.gangs, "gang")
    c.refs((*where, "places"), m.get("places", []), names.places, "place")
    if m.get("how") == "rate":
        _unpeopled(c, (*where, "places"), m.get("places"))
    if m.get("places") and m.get("region"):
        c.add((*where, "region"), m["region"], "region or places, not both")
    _region(c, names, (*where, "region"), m.get("region"))
    _years(c, names, (*where, "years"), m.get("years"))
    if isinstance(variable, str) and variable in v.series_variables():
        if v.gang_variable(variable) and (m.get("places") or m.get("region")):
            c.add(
                (*where, "places"),
                m.get("places") or m.get("region"),
                "no places or region: the variable is a gang's (narrow it with gangs)",
            )
        if not v.gang_variable(variable) and m.get("gangs"):
            c.add(
                (*where, "gangs"),
                m["gangs"],
                "no gangs: the variable is a place's (narrow it with places or region)",
            )
    if isinstance(m.get("per"), dict):
        _measure(c, names, (*where, "per"), m["per"])


def _step(c: _Checker, names: _Names, where: Path, step: Any) -> None:
    if not isinstance(step, dict):
        return
    v = _vocabulary()
    _one_of(c, (*where, "events"), step.get("events", []), set(v.event_kinds()), "a kind of event")
    c.refs((*where, "places"), step.get("places", []), names.places, "place")
    _years(c, names, (*where, "years"), step.get("years"))


def _patterns(c: _Checker) -> None:
    v, names = _vocabulary(), _Names.of(c)
    seen: dict[str, Path] = {}
    for where, pattern in c.records(("patterns",)):
        pid = pattern.get("id")
        if isinstance(pid, str) and pid in seen:
            c.add((*where, "id"), pid, f"an id not already used (see {format_path(seen[pid])})")
        elif isinstance(pid, str):
            seen[pid] = where
        years = pattern.get("years")
        pair = isinstance(years, list) and len(years) == 2
        if pattern.get("statistic") == "change" and pair and years[0] == years[1]:
            c.add((*where, "years"), years, "two different years to compare")
        above, below = pattern.get("above"), pattern.get("below")
        numbers = all(
            isinstance(x, int | float) and not isinstance(x, bool) for x in (above, below)
        )
        if numbers and above >= below:
            c.add((*where, "below"), below, f"a bound above 'above' ({above}): no value passes")
        arms = pattern.get("arms")
        for i, arm in enumerate(arms if isinstance(arms, list | tuple) else []):
            _arm(c, (*where, "arms", i), arm)
        if "arm" in pattern:
            _arm(c, (*where, "arm"), pattern["arm"])
        c.refs((*where, "gangs"), pattern.get("gangs", []), names.gangs, "gang")
        c.refs((*where, "places"), pattern.get("places", []), names.places, "place")
        _region(c, names, (*where, "region"), pattern.get("region"))
        _years(c, names, (*where, "years"), pattern.get("years"))
        _measure(c, names, (*where, "measure"), pattern.get("measure"))
        steps = pattern.get("steps")
        for i, step in enumerate(steps if isinstance(steps, list | tuple) else []):
            _step(c, names, (*where, "steps", i), step)
        _step(c, names, (*where, "trigger"), pattern.get("trigger"))
        replies = pattern.get("replies")
        for i, reply in enumerate(replies if isinstance(replies, list | tuple) else []):
            if isinstance(reply, dict):
                _one_of(
                    c,
                    (*where, "replies", i, "events"),
                    reply.get("events", []),
                    set(v.event_kinds()),
                    "a kind of event",
                )
        if pattern.get("variable"):
            _one_of(
                c,
                (*where, "variable"),
                pattern["variable"],
                {n for n in v.series_variables() if v.gang_variable(n)},
                "a gang variable",
            )
        if pattern.get("types"):
            _one_of(c, (*where, "types"), pattern["types"], set(v.HOMICIDES), "a kind of homicide")
