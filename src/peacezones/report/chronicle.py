"""The chronicle: notable events as dated English sentences, each with its cause."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..scenario import Scenario

TEMPLATES = {
    "zone_declared": "The state declares a peace zone in {place}.",
    "zone_ended": "The peace zone in {place} ends.",
    "crackdown": "The state starts a crackdown in {place} with {count} officers.",
    "pact_breach_seen": "Monitors see {actor} breaking {count} of its pact's conditions.",
    "official_killed": "{actor} kills an official in {place}.",
    "senior_official_killed": "{actor} kills a senior official in {place}.",
    "punishment_massacre": "{actor} massacres {count} members of {target} in {place}.",
    "takeover_attempted": "{actor} moves {count} member{s} into {place}{against}.",
    "takeover_won": "{actor} takes control of {place}{against}.",
    "takeover_lost": "{actor} loses its hold on {place}.",
    "alliance": "{actor} and {target} become allies.",
    "alliance_ended": "{actor} and {target} end their alliance.",
    "facility_attack": "{actor} attacks a state facility in {place}.",
    "targeted_operation": "The state sends {count} officers after {target}.",
    "offensive": "The state launches an offensive of {count} officers against {target}.",
    "leader_killed": "{leader} is killed.",
    "leader_jailed": "{leader} is captured.",
    "leader_extradited": "{leader} is captured and extradited.",
    "leader_fled": "{leader} flees.",
    "leader_returned": "{leader} returns.",
    "leader_released": "{leader} is let out of jail and takes back command.",
    "leader_handed_over": "{leader} is taken from his cell and extradited.",
    "leader_succeeded": "{leader} takes over {actor}.",
    "gang_collapsed": "{actor} is no more.",
    "gang_split": "{count} members of {target} break away under a rival: {actor}.",
    "gang_formed": "The local armed groups of {place} unite into a gang of {count}: {actor}.",
    "use_of_force": "The state changes how readily its forces open fire, in {count} place{s}.",
    "decision": "{decision}",
}
NEEDS_ACTOR = frozenset(
    k for k, text in TEMPLATES.items() if "{actor}" in text or "{leader}" in text
)
"""Kinds told one by one only when a named gang did them (officials killed by the local
armed groups, or in routine confrontations, are told in the yearly line instead)."""
TOLD_BY_DECISION = frozenset(
    {"zone_declared", "zone_ended", "crackdown", "use_of_force", "targeted_operation"}
)
"""Kinds that a decision of the schedule makes: told by the decision's own line."""
NOTABLE = tuple(TEMPLATES)
YEARLY = {
    "recruitment": "recruits {count} member{s}",
    "aid_diverted": "takes in {count} USD of zone aid",
    "crime_outside_zone": "commits {count} crime{s} outside the places it holds",
    "pursuit_abandoned": "sees {count} pursuit{s} turn back at its zone's border",
    "official_killed_more": "kills {count} more official{s}",
}
"""Routine events, told once a year per gang rather than one by one."""
TOLD_EACH_YEAR = 3
"""A named gang's killings of officials told one by one, each year; the rest are counted
in its yearly line (a gang of thousands kills hundreds, which would bury the story)."""
UNNAMED = (
    ("homicide_by_local_group", "the local armed groups kill {count:,.0f}"),
    ("homicide_by_police", "the security forces kill {count:,.0f}"),
    ("official_killed", "{count:,.0f} officials are killed by people of no named gang"),
)
"""The violence of actors no scenario names one by one, told once a year."""
YEAR = "year"
"""The kind of the yearly lines."""
SHORT = {
    "official_killed": "an official was killed",
    "senior_official_killed": "a senior official was killed",
    "facility_attack": "a facility was attacked",
    "takeover_won": "a takeover",
    "takeover_attempted": "a takeover attempt",
    "offensive": "an offensive",
    "targeted_operation": "a targeted operation",
    "zone_declared": "the zone's declaration",
    "crackdown": "a crackdown",
    "pursuit_abandoned": "a pursuit turned back",
    "pact_breach_seen": "a breach seen by monitors",
    "leader_succeeded": "a succession",
    "gang_split": "a split",
    "gang_formed": "a new gang",
}
GAVE_UP = "{actor} gives up its attempt on {place}."
"""A takeover lost that was never won: the attacker goes home after its siege."""
GIVING_UP = ("takeover_lost", "takeover_attempted")
"""The kinds of such an event and of its cause."""


SELF_EVIDENT = {("takeover_won", "takeover_attempted")}
"""Causes a summary line leaves out, its sentence telling them already."""


@dataclass(frozen=True)
class Entry:
    """One line of the chronicle, with the ids a reader can filter it by."""

    date: pd.Timestamp
    kind: str
    place: str
    gangs: tuple[str, ...]
    text: str
    cause: str
    brief: str = ""
    """The cause in a few words (what, and when if another day), for the summary."""

    def line(self, brief: bool = False) -> str:
        """The entry as printed: date, sentence, and its cause in brackets (in a few words
        if ``brief``: the summary's lines fit a terminal's width)."""
        cause = self.brief if brief else self.cause
        tail = f"  [after {cause}]" if cause else ""
        return f"{self.date:%Y-%m-%d}  {self.text}{tail}"


class Names:
    """Readable names for the ids in an events table."""

    def __init__(
        self,
        places: Mapping[str, str],
        gangs: Mapping[str, str],
        leaders: Mapping[str, str] | None = None,
        decisions: Iterable[Mapping[str, Any]] = (),
    ) -> None:
        self.places = dict(places)
        self.gangs = dict(gangs)
        self.leaders = {k: v for k, v in (leaders or {}).items() if v and v != UNKNOWN}
        self.spans: dict[str, list[tuple[pd.Timestamp, int]]] = {}
        """Per first place, the dates and sizes of the crackdowns over several places
        (their events name the first place only)."""
        self.decisions = [dict(d) for d in decisions]
        """The schedule's decisions, in order, as data: what a ``decision`` event tells."""
        for d in self.decisions:
            spread = list(d.get("places", ()))
            if d.get("action") == "crackdown" and len(spread) > 1:
                self.spans.setdefault(spread[0], []).append((pd.Timestamp(d["date"]), len(spread)))

    @classmethod
    def of(cls, scenario: Scenario) -> Names:
        from ..engine.world import gang_slots

        return cls(
            {p.id: p.name for p in scenario.places},
            {g.id: g.name for g in scenario.gangs} | {s.id: s.name for s in gang_slots(scenario)},
            {g.id: g.leader.alias or g.leader.name or "" for g in scenario.gangs},
            [d.model_dump(mode="python") for d in scenario.schedule],
        )

    def decision(self, index: int) -> str:
        """A decision of the schedule in words (its place in the schedule)."""
        if not 0 <= index < len(self.decisions):
            return "The state takes a decision."
        return describe(self.decisions[index], self)

    def decided_on(self, index: int, fallback: pd.Timestamp) -> pd.Timestamp:
        """The date a decision of the schedule was written for (its event falls on the
        first day of the week that holds it)."""
        if 0 <= index < len(self.decisions) and self.decisions[index].get("date"):
            return pd.Timestamp(self.decisions[index]["date"])
        return fallback

    def places_of(self, ids: Iterable[str]) -> str:
        """Places in words: the first two by name, then how many more."""
        named = [self.place(i) for i in ids]
        if len(named) <= 2:
            return " and ".join(named) or "every place"
        more = len(named) - 1
        return f"{named[0]} and {more} other places"

    def leader(self, gang_id: str, successions: int, appositive: bool = True) -> str:
        """The gang's leader after ``successions`` successions: the scenario's leader, then
        "the successor of" them, "the second successor of" them, and so on; with
        ``appositive``, followed by ", the leader of <gang>," as a sentence's subject."""
        first = self.leaders.get(gang_id)
        if first is None:
            if not appositive:
                return "a new leader"
            new = "" if successions == 0 else f"{_nth(successions)}new "
            return f"the {new}leader of {self.gang(gang_id)}"
        person = first if successions == 0 else f"the {_nth(successions)}successor of {first}"
        return f"{person}, the leader of {self.gang(gang_id)}," if appositive else person

    def area(self, kind: str, place_id: str, date: pd.Timestamp) -> str:
        """Where an event happened: its place, or for a crackdown over several places (the
        latest decided by ``date`` whose first place it is), that place and how many more."""
        where = self.place(place_id)
        if kind != "crackdown":
            return where
        sizes = [n for day, n in self.spans.get(place_id, ()) if day <= date]
        if not sizes:
            return where
        more = sizes[-1] - 1
        return f"{where} and {more} other place{'' if more == 1 else 's'}"

    def gang(self, gang_id: str) -> str:
        return self.gangs.get(gang_id, gang_id or "a gang")

    def place(self, place_id: str) -> str:
        return self.places.get(place_id, place_id or "somewhere")


UNKNOWN = "unknown"
"""A leader's alias that names nobody."""


def _nth(n: int) -> str:
    """'' for the first, 'second ' for the second, ... (for "the second successor of")."""
    words = ("", "second ", "third ", "fourth ", "fifth ")
    return words[n - 1] if n <= len(words) else f"{n}th "


LEADER_MODES = {"kill": "kill", "capture": "capture", "extradite": "capture and extradite"}
REMOVED = {"kill": "killed", "capture": "captured", "extradite": "captured and extradited"}


def describe(d: Mapping[str, Any], names: Names) -> str:
    """A decision of the schedule as a sentence: its name where it has one, and what it
    does."""
    action = d.get("action", "")
    zone = [
        x for x in names.decisions
        if action == "end_zone" and x.get("zone") == d.get("zone") and x.get("places")
    ]  # fmt: skip
    places = names.places_of(d.get("places") or (zone[0]["places"] if zone else ()))
    weeks = f"{d.get('weeks', 0)} week{'' if d.get('weeks') == 1 else 's'}"
    gangs = " and ".join(names.gang(g) for g in d.get("gangs") or ())
    gang = names.gang(d.get("gang", ""))
    what = {
        "declare_zone": f"The state declares a peace zone in {places}",
        "end_zone": f"The state ends the peace zone in {places}",
        "crackdown": f"The state starts a crackdown of {d.get('officers', 0):,} officers in "
        f"{places} for {weeks}",
        "patrol": f"The state sets its patrols in {places} at {d.get('level', 1):g} times "
        "their strength",
        "hot_pursuit": "The state tells pursuits to turn back at zone borders "
        f"{d.get('turn_back', 0):.0%} of the time",
        "truce": f"The state brokers a truce between {gangs} for {weeks}",
        "target_leader": f"The state sends {d.get('officers', 0):,} officers to "
        f"{LEADER_MODES.get(str(d.get('mode', 'capture')), 'capture')} the leader of {gang}",
        "occupation": f"The state occupies {places} with {d.get('officers', 0):,} officers "
        f"for {weeks}",
        "collusion_tolerance": "The state sets its tolerance of collusion at "
        f"{d.get('level', 1):g}",
        "conditional_repression": "The state will send "
        f"{d.get('officers_per_killing', 0):g} officers against a gang for each killing",
        "use_of_force": f"The state's forces are to open fire {d.get('level', 1):g} times as "
        f"readily as on routine patrol, in {places}",
        "end": f"The state ends {_ended(d, names)}",
        "remove_leader": f"The state has the leader of {gang} "
        f"{REMOVED.get(str(d.get('mode')), 'removed')}",
    }.get(str(action), f"The state decides: {str(action).replace('_', ' ')}")
    name = d.get("name")
    return f"{name}: {what[:1].lower()}{what[1:]}." if name else f"{what}."


def _ended(d: Mapping[str, Any], names: Names) -> str:
    """What an ``end`` decision ends, in words: the ended decision's name, or what it was."""
    ended = next((x for x in names.decisions if x.get("id") == d.get("decision")), None)
    if ended is None:
        return f"its decision {d.get('decision', '')!r}"
    if ended.get("name"):
        return str(ended["name"])
    places = names.places_of(ended.get("places") or ())
    gangs = " and ".join(names.gang(g) for g in ended.get("gangs") or ())
    return {
        "truce": f"the truce between {gangs}",
        "crackdown": f"the crackdown in {places}",
        "occupation": f"the occupation of {places}",
        "target_leader": f"the hunt for the leader of {names.gang(ended.get('gang', ''))}",
        "use_of_force": "its forces' posture",
        "patrol": f"its patrol level in {places}",
        "hot_pursuit": "its rule on pursuits at zone borders",
        "collusion_tolerance": "its tolerance of collusion",
        "conditional_repression": "its conditional repression",
    }.get(str(ended.get("action")), f"its decision {d.get('decision', '')!r}")


def sentence(row: pd.Series, names: Names, successions: int = 0) -> str:
    """One event in words; ``successions`` is how many times the actor's leader has been
    succeeded before it (for a succession, before the new leader)."""
    against = f" from {names.gang(row.target)}" if row.target else ""
    succession = str(row.kind) == "leader_succeeded"
    leader = names.leader(row.actor, successions + succession, not succession)
    decided = names.decision(int(row["count"])) if str(row.kind) == "decision" else ""
    text = TEMPLATES[str(row.kind)].format(
        decision=decided,
        leader=leader,
        place=names.area(str(row.kind), row.place, row.date),
        actor=names.gang(row.actor),
        target=names.gang(row.target),
        count=f"{row['count']:,.0f}",
        against=against,
        s="" if round(row["count"]) == 1 else "s",
    )
    return text[:1].upper() + text[1:]


def chronicle(
    events: pd.DataFrame, scenario: Scenario, kinds: tuple[str, ...] = NOTABLE
) -> Iterator[str]:
    """Dated sentences for the notable events, each with what caused it, and at each year's
    end a line per gang on its routine events, in date order."""
    for entry in entries(events, Names.of(scenario), kinds):
        yield entry.line()


def entries(events: pd.DataFrame, names: Names, kinds: tuple[str, ...] = NOTABLE) -> list[Entry]:
    """The chronicle as records, in date order (the yearly lines last on their day)."""
    events = _folded(events)
    return sorted([*_notable(events, names, kinds), *_yearly(events, names)], key=_order)


def _folded(events: pd.DataFrame) -> pd.DataFrame:
    """The events with each named gang's killings of officials beyond the first
    ``TOLD_EACH_YEAR`` of a year marked to be counted in its yearly line instead."""
    killed = (events["kind"] == "official_killed") & (events["actor"] != "")
    if not killed.any():
        return events
    rows = events[killed]
    rank = rows.groupby([rows["date"].dt.year, rows["actor"]], observed=True).cumcount()
    more = rank[rank >= TOLD_EACH_YEAR].index
    if more.empty:
        return events
    out = events.copy()
    out["kind"] = out["kind"].astype(str)
    out.loc[more, "kind"] = "official_killed_more"
    return out


def _order(entry: Entry) -> pd.Timestamp:
    return entry.date + pd.Timedelta(hours=23) if entry.kind == YEAR else entry.date


def _notable(events: pd.DataFrame, names: Names, kinds: tuple[str, ...]) -> list[Entry]:
    by_id = events.set_index("event")
    out = []
    chosen = events[events["kind"].isin(kinds)]
    chosen = chosen[~(chosen["kind"].isin(list(NEEDS_ACTOR)) & (chosen["actor"] == ""))]
    decisions = events[events["kind"] == "decision"]
    told = chosen["kind"].isin(list(TOLD_BY_DECISION)) & chosen["cause"].isin(decisions["event"])
    chosen = chosen[~told]
    succeeded = events[events["kind"] == "leader_succeeded"]
    removed = set(events.loc[events["kind"].isin(REMOVALS), "cause"])  # decisions that did
    days = {  # per week, its decisions' events and days (the schedule acts first in a step)
        week: [
            (int(d.event), names.decided_on(int(d["count"]), d.date)) for _, d in rows.iterrows()
        ]
        for week, rows in decisions.groupby("date")
    }
    for _, row in chosen.iterrows():
        before = succeeded[(succeeded["actor"] == row.actor) & (succeeded["event"] < row.event)]
        because = brief = ""
        # in a decision's week, what came after it is told from its day, not before
        date = max([row.date, *(day for e, day in days.get(row.date, ()) if e < row.event)])
        cause = by_id.loc[row.cause] if row.cause >= 0 and row.cause in by_id.index else None
        if cause is not None and str(cause.kind) == "decision":
            day = names.decided_on(int(cause["count"]), cause.date)
            because = f"the state's decision of {day:%Y-%m-%d}"
            brief = because
        elif cause is not None:
            what = SHORT.get(str(cause.kind), str(cause.kind).replace("_", " "))
            who = f" by {names.gang(cause.actor)}" if cause.actor else ""
            where = names.area(str(cause.kind), cause.place, cause.date)
            because = f"{what}{who} in {where}, {cause.date:%Y-%m-%d}"
            brief = what if cause.date == row.date else f"{what}, {cause.date:%Y-%m-%d}"
            if (str(row.kind), str(cause.kind)) in SELF_EVIDENT:
                brief = ""  # a place taken after an attempt on it: the sentence says as much
        gangs = tuple(g for g in (row.actor, row.target) if g)
        text = sentence(row, names, len(before))
        if cause is not None and (str(row.kind), str(cause.kind)) == GIVING_UP:
            text = GAVE_UP.format(actor=names.gang(row.actor), place=names.place(row.place))
        if str(row.kind) == "decision":
            date = names.decided_on(int(row["count"]), row.date)
            text += _void(row, names, removed)
        out.append(Entry(date, str(row.kind), row.place, gangs, text, because, brief))
    return out


REMOVALS = ("leader_killed", "leader_jailed", "leader_extradited", "leader_handed_over")


def _void(row: pd.Series, names: Names, removed: set[int]) -> str:
    """What to add to a leader's removal that removed nobody (no removal event has it as
    its cause, ``removed``): his gang had no leader the decision could reach (dead, jailed
    or abroad already, or the gang gone)."""
    index = int(row["count"])
    if not 0 <= index < len(names.decisions):
        return ""
    d = names.decisions[index]
    if d.get("action") != "remove_leader":
        return ""
    if row.event in removed:
        return ""
    return (
        f" It removes nobody: {names.gang(str(d.get('gang', '')))} has no leader it can "
        "reach (already dead, jailed or abroad, or the gang is gone)."
    )


def _yearly(events: pd.DataFrame, names: Names) -> list[Entry]:
    """Per year and gang, one line on its routine events, dated the year's last day."""
    routine = events[events["kind"].isin(list(YEARLY)) & (events["actor"] != "")]
    totals = routine.groupby([routine["date"].dt.year, "actor", "kind"], observed=True)
    parts: dict[tuple[int, str], list[str]] = {}
    for (year, actor, kind), count in totals["count"].sum().items():
        if round(count) == 0:
            continue  # nothing to tell (aid paid to a gang with nobody left to take it)
        parts.setdefault((int(year), str(actor)), []).append(
            YEARLY[str(kind)].format(count=f"{count:,.0f}", s="" if round(count) == 1 else "s")
        )
    lines = [
        Entry(
            pd.Timestamp(year=year, month=12, day=31),
            YEAR,
            "",
            (actor,),
            f"In {year}, {names.gang(actor)} {_join(items)}.",
            "",
        )
        for (year, actor), items in parts.items()
    ]
    return [*_unnamed(events), *lines]


def _unnamed(events: pd.DataFrame) -> list[Entry]:
    """Per year, one line on the killings of the local armed groups and of the forces, and
    on the officials killed by no named gang."""
    years = events["date"].dt.year
    out = []
    for year in sorted(years.unique()):
        rows = events[years == year]
        parts = []
        for kind, text in UNNAMED:
            picked = rows[rows["kind"] == kind]
            if kind == "official_killed":
                picked = picked[picked["actor"] == ""]
            count = picked["count"].sum()
            if count > 0:
                parts.append(text.format(count=count))
        if parts:
            day = pd.Timestamp(year=int(year), month=12, day=31)
            out.append(Entry(day, YEAR, "", (), f"In {year}, {_join(parts)}.", ""))
    return out


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# --- what the terminal prints -------------------------------------------------------------

TURNS = frozenset(
    {
        "decision",
        "zone_ended",
        "offensive",
        "facility_attack",
        "senior_official_killed",
        "punishment_massacre",
        "leader_killed",
        "leader_jailed",
        "leader_extradited",
        "leader_fled",
        "leader_returned",
        "leader_released",
        "leader_handed_over",
        "leader_succeeded",
        "gang_collapsed",
        "gang_split",
        "gang_formed",
        "alliance",
        "alliance_ended",
    }
)
"""The main turns of the story, told in the summary: the state's decisions and its
offensives, strikes at the state, massacres, what becomes of leaders and gangs, alliances;
and takeovers that hold (``HELD_WEEKS``)."""
HELD_WEEKS = 26
"""A takeover is a turn of the story when the gang keeps the place this long."""
TOLD_AGAIN = 2
"""The summary tells the same turn of the same gangs (a third offensive against a gang,
its leader's fourth flight) at most this many times, the first ones; the state's decisions
are all told. ``--chronicle all`` or ``gang=ID`` tells every one."""
MODES = "summary, all, none, gang=ID, place=ID or year=YYYY"


@dataclass(frozen=True)
class Selection:
    """What ``--chronicle`` asks for: a mode, and the id or year it filters by."""

    mode: str
    value: str = ""

    @classmethod
    def parse(cls, text: str, scenario: Scenario) -> Selection:
        """``text`` checked against the scenario before any run; a ScenarioError if bad."""
        from ..scenario import Problem, ScenarioError

        mode, _, value = text.strip().partition("=")
        known = {
            "gang": [g.id for g in scenario.gangs],
            "place": [p.id for p in scenario.places],
        }
        if mode in ("summary", "all", "none") and not value:
            return cls(mode)
        if mode in known and value in known[mode]:
            return cls(mode, value)
        if mode == "year" and value.isdigit():
            if scenario.meta.start.year <= int(value) <= scenario.meta.end.year:
                return cls(mode, value)
            span = f"{scenario.meta.start.year} to {scenario.meta.end.year}"
            expected = f"year=YYYY within the scenario's years ({span})"
        elif mode in known:
            ids = known[mode]
            shown = ", ".join(ids[:12]) + (", ..." if len(ids) > 12 else "")
            expected = f"{mode}=ID, one of the scenario's {mode}s ({shown})"
        else:
            expected = MODES
        raise ScenarioError("--chronicle", [Problem(("chronicle",), repr(text), expected)])

    def pick(self, rows: list[Entry]) -> list[Entry]:
        if self.mode == "none":
            return []
        if self.mode == "summary":
            return summary(rows)
        if self.mode == "gang":
            return [e for e in rows if self.value in e.gangs]
        if self.mode == "place":
            return [e for e in rows if e.place == self.value]
        if self.mode == "year":
            return [e for e in rows if e.date.year == int(self.value)]
        return rows


def summary(rows: list[Entry]) -> list[Entry]:
    """The main turns of the story (``TURNS``), and each takeover that holds its place
    ``HELD_WEEKS`` or more, the first time a gang takes that place (a place that changes
    hands back and forth is one turn, not one a year), each turn of the same gangs at most
    ``TOLD_AGAIN`` times: a few dozen lines where the chronicle has hundreds."""
    lost: dict[tuple[str, str], list[pd.Timestamp]] = {}
    for e in rows:
        if e.kind == "takeover_lost" and e.gangs:
            lost.setdefault((e.gangs[0], e.place), []).append(e.date)
    held = pd.Timedelta(weeks=HELD_WEEKS)
    told: set[tuple[str, str]] = set()

    def first_hold(e: Entry) -> bool:
        if not e.gangs or (e.gangs[0], e.place) in told:
            return False
        later = [d for d in lost.get((e.gangs[0], e.place), []) if d > e.date]
        if later and min(later) - e.date < held:
            return False
        told.add((e.gangs[0], e.place))
        return True

    times: dict[tuple[str, tuple[str, ...]], int] = {}

    def again(e: Entry) -> bool:
        if e.kind == "decision":
            return False
        key = (e.kind, e.gangs)
        times[key] = times.get(key, 0) + 1
        return times[key] > TOLD_AGAIN

    return [
        e
        for e in rows
        if (e.kind in TURNS or (e.kind == "takeover_won" and first_hold(e))) and not again(e)
    ]


def closing(selection: Selection, shown: int, total: int, scenario: Scenario) -> str:
    """The line after a selection: how many entries were left out, and how to see them."""
    if selection.mode in ("all", "none") or shown == total:
        return ""
    gangs = ", ".join(g.id for g in scenario.gangs[:4])
    return (
        f"{shown} of {total} entries: --chronicle all for every one, gang=ID for one gang's "
        f"({gangs}, ...), place=ID, year=YYYY; report.html has them all."
    )
