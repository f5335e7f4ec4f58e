"""The scenario schema: frozen, validated values that describe one case.

A scenario holds the world at its start (places, edges, gangs, forces), the state's
deliberate decisions (the schedule), its reaction rules (the doctrine), every model
parameter, and the sources behind all of it. Cross-references between sections are
checked in :mod:`peacezones.scenario.checks`; this module checks each value on its own.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from enum import StrEnum
from typing import Annotated, Literal, Union, get_args

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .errors import Said, show_value

ID_LENGTH = 64
MAX_PEOPLE = 10_000_000_000  # more than the world's population: a typo, not a place
MAX_AMOUNT = 1e15  # money, vehicles, weapons: far beyond any real case
MAX_FORCE = 10.0  # use of force relative to routine policing: ten times is a war footing
MIN_SCALE = 1e-6  # records per person: below one per million every place is one record
MAX_TRAFFIC = 1e8  # vehicles a week on a corridor: some fifty times the busiest road's

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=ID_LENGTH)]
"""Identifiers are lower-case slugs so that they read well in tables and file names."""

# Numbers and flags are strict: TOML has types, so "5000" or 1 where a number or a
# boolean belongs is a mistake to report, not to coerce.
# Dates likewise: a quoted "2013-09-01" is a string; TOML writes dates unquoted.
Number = Annotated[float, Strict(), Field(allow_inf_nan=False)]
Whole = Annotated[int, Strict()]
Flag = Annotated[bool, Strict()]
Date = Annotated[dt.date, Strict()]
Probability = Annotated[Number, Field(ge=0.0, le=1.0)]
Count = Annotated[Whole, Field(ge=0, le=MAX_PEOPLE)]
PositiveCount = Annotated[Whole, Field(gt=0, le=MAX_PEOPLE)]
Positive = Annotated[Number, Field(gt=0.0, le=MAX_AMOUNT)]
NonNegative = Annotated[Number, Field(ge=0.0, le=MAX_AMOUNT)]


class FrozenDict(dict):  # type: ignore[type-arg]
    """A dict that refuses changes, so that a loaded scenario stays as validated."""

    def _refuse(self, *args: object, **kwargs: object) -> None:
        raise TypeError("scenario values are frozen: derive a variant instead")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse  # type: ignore[assignment]
    __ior__ = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> tuple[type, tuple[dict]]:  # type: ignore[type-arg]
        return FrozenDict, (dict(self),)

    def __deepcopy__(self, memo: dict) -> FrozenDict:  # type: ignore[type-arg]
        return FrozenDict(copy.deepcopy(dict(self), memo))


def _freeze(value: dict) -> FrozenDict:  # type: ignore[type-arg]
    return FrozenDict(value)


def Mapping(key: object, value: object) -> object:  # noqa: N802 - reads like a type
    """A dict field that is frozen after validation."""
    return Annotated[dict[key, value], AfterValidator(_freeze)]  # type: ignore[valid-type]


def invalid(field: str, found: object, expected: str) -> PydanticCustomError:
    """An error about ``field`` of the model being validated, in the project's terms."""
    context = {"field": field, "found": show_value(found), "expected": expected}
    return PydanticCustomError("scenario", "{expected}", context)


class Frozen(BaseModel):
    """Base for every scenario value: immutable, and unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


SOURCES = AliasChoices("sources", "source")
"""Parameters, observations and patterns cite their sources as ``sources``, as records do;
``source``, the old spelling, is still read (``scenario validate`` notes it)."""
OLD_SOURCE = "source"

IDENTITY = frozenset(
    [
        "id",
        "name",
        "a",
        "b",
        "action",
        "zone",
        "decision",
        "program",
        "sources",
        "cite",
        "assumed",
        "notes",
    ]
)
"""Fields that name a record or carry its evidence, rather than hold data."""


class Sourced(Frozen):
    """A record whose data fields each carry a source or an explicit assumption.

    ``sources`` cover every data field of the record; ``cite`` gives sources for one
    field; ``assumed`` marks a field as assumed, with the reason. A field listed in
    ``assumed`` is assumed even when ``sources`` is set.
    """

    sources: tuple[Id, ...] = ()
    cite: Mapping(str, tuple[Id, ...]) = Field(default_factory=FrozenDict)  # type: ignore[valid-type]
    assumed: Mapping(str, str) = Field(default_factory=FrozenDict)  # type: ignore[valid-type]
    notes: str = ""

    @classmethod
    def data_fields(cls) -> tuple[str, ...]:
        """Fields that hold data, and so need evidence: all but identity and provenance."""
        return tuple(f for f in cls.model_fields if f not in IDENTITY)

    def evidence(self) -> str:
        """The record's sources, citations and assumptions in one line."""
        parts = [", ".join(self.sources)] if self.sources else []
        parts += [f"{key}: {', '.join(ids)}" for key, ids in self.cite.items()]
        parts += [f"{key}: assumed" for key in self.assumed]
        defaults = self.defaults()
        if defaults:
            parts.append(f"default: {', '.join(defaults)}")
        return "; ".join(parts)

    def defaults(self) -> list[str]:
        """The data fields the file left out, at their documented defaults: a default
        needs no evidence."""
        return [f for f in self.data_fields() if f not in self.model_fields_set]

    def provenance(self, field: str) -> str:
        """Where the value of ``field`` comes from, in words."""
        if field in self.data_fields() and field not in self.model_fields_set:
            return "default (not written, so it needs no evidence)"
        if field in self.assumed:
            return f"assumed: {self.assumed[field]}"
        ids = self.cite.get(field) or self.sources
        return ", ".join(ids) if ids else "no source"


# --- meta -----------------------------------------------------------------------------


class Meta(Frozen):
    """What the scenario is, and the calendar it runs on."""

    name: Id
    """The scenario's id, by which commands, results and `scenario list` name it."""
    title: str
    """A one-line title for reports."""
    description: str = ""
    """What the case is, and what it is for."""
    country: str = ""
    """The country: an observation's ``area`` may name it for all places."""
    start: Date
    """The first day of the first week simulated."""
    end: Date
    """The last week simulated is the one that holds this day."""
    step_days: Whole = 7
    """Days a step: 7, as the model's rates are weekly (a field, so that the calendar is
    written down and a file that asks for another step says so)."""
    default_scale: Annotated[Number, Field(ge=MIN_SCALE, le=1.0)] = 0.01
    """Records per resident where a command is given no ``--scale``: at 0.01 each record
    of the civilian mass stands for about a hundred people of one kind, while gang
    members are individuals. Larger is slower; counts are reported in people."""
    currency: str = "USD"
    """The currency of every sum of money (treasuries, aid, the economy's parameters)."""

    @property
    def steps(self) -> int:
        """Steps from start to end, both counted (the engine's calendar has as many)."""
        return (self.end - self.start).days // self.step_days + 1

    @model_validator(mode="after")
    def _end_after_start(self) -> Meta:
        if self.step_days != 7:
            raise invalid("step_days", self.step_days, "7: the model's rates are per week")
        if self.end <= self.start:
            raise invalid("end", self.end, f"a date after start ({self.start})")
        return self


# --- places and edges -----------------------------------------------------------------


class PlaceKind(StrEnum):
    BARRIO = "barrio"
    PARISH = "parish"
    MUNICIPALITY = "municipality"
    TOWN = "town"
    CITY = "city"
    RURAL = "rural"
    HIGHWAY = "highway"
    FACILITY = "facility"
    PRISON = "prison"


class Terrain(StrEnum):
    """From dense city to rugged countryside; the order matters (M14)."""

    URBAN = "urban"
    SUBURBAN = "suburban"
    RURAL = "rural"
    RUGGED = "rugged"

    @property
    def ruggedness(self) -> float:
        """0 for urban up to 1 for rugged, used by the terrain mechanism."""
        return list(Terrain).index(self) / (len(Terrain) - 1)


class Place(Sourced):
    """A node of the places graph: a barrio, town, corridor, facility or prison."""

    id: Id
    name: str
    """As reports, the map and the chronicle write it."""
    region: str
    """The region it belongs to: observations and patterns can be read over a region, so
    give places the regions your figures are published for."""
    kind: PlaceKind
    """What the place is. Gangs do not push into a ``facility`` or a ``prison`` (M7); a
    prison's inmates keep the hardship they came in with (M19), and a leader jailed in a
    prison his gang holds still commands it (M21); a ``highway`` is a corridor whose
    ``traffic`` gangs prey on (M3)."""
    lat: Annotated[Number, Field(ge=-90.0, le=90.0)]
    """Latitude in degrees, for the map."""
    lon: Annotated[Number, Field(ge=-180.0, le=180.0)]
    """Longitude in degrees, for the map."""
    population: Count
    """Residents at the start (people, at any scale)."""
    terrain: Terrain = Terrain.URBAN
    """How rugged, from 0 (urban) to 1 (rugged): rugged places support fewer armed youths
    (M18), and members and leaders targeted there escape more often (M14)."""
    traffic: Annotated[Number, Field(ge=0.0, le=MAX_TRAFFIC)] = 0.0
    """Vehicles per week through a highway corridor (0 elsewhere)."""
    band_density: NonNegative = 1.0
    """How densely local armed groups (M18) take root here, relative to the scenario's
    ``local.capacity_per_1000`` (1, the default, is that baseline): where regions differ
    before the period (one state's homicide rate twice another's), give each place its
    region's relative level, with its source."""


class EdgeKind(StrEnum):
    STREET = "street"
    ROAD = "road"
    HIGHWAY = "highway"
    FOOTPATH = "footpath"


class Edge(Sourced):
    """A link between two places, with the travel cost in hours."""

    a: Id
    """One end: a place id."""
    b: Id
    """The other end: a place id."""
    kind: EdgeKind
    """What joins them. Not read by the model, which reads ``cost``: it describes the link
    for readers of the file."""
    cost: Positive
    """Travel time in hours. Gangs push only into neighbouring places, nearer ones more
    readily (M7), and pursuits follow roads (M2)."""


# --- gangs ----------------------------------------------------------------------------


class Leader(Frozen):
    """The gang's leader at the start. A successor is named after him (M15)."""

    name: str = ""
    """The leader's name, if known."""
    alias: Annotated[str, StringConstraints(strip_whitespace=False, pattern=r"\S")]
    """What the chronicle calls the leader: not blank."""
    jailed: Flag = False
    """In prison at the start and commanding the gang from there (as chiefs do from
    prisons they do not hold): no raid or manhunt reaches him and he is not let out
    (M23), and the gang is not leaderless; a ``remove_leader`` decision with mode
    ``extradite`` ends his command (M15)."""


class Revenue(StrEnum):
    DRUG_RETAIL = "drug_retail"
    EXTORTION = "extortion"
    HIGHWAY_PREDATION = "highway_predation"
    KIDNAPPING = "kidnapping"
    AID_DIVERSION = "aid_diversion"


class Traits(Frozen):
    """What sets a gang apart, each a mechanism's switch."""

    rural_base: Flag = False
    """A rural base to retreat to: its members and leader escape operations more often
    (M14)."""
    political_services: Flag = False
    """It renders political services: the state withholds part of the force it would
    send, and weighs those services before answering its offences (M12)."""
    police_ties: Flag = False
    """Ties to the local forces: it buys impunity from arrests and raids, as far as the
    forces at its home are corruptible and the state tolerates it (M13)."""


class Gang(Sourced):
    """An armed organisation at the scenario's start."""

    id: Id
    name: str
    leader: Leader
    home: Id
    """The place the gang is based in and holds at the start."""
    territory: tuple[Id, ...] = ()
    """Places the gang controls at the start besides its home."""
    members: Count
    """Members at the start: spread over home and territory by their populations, unless
    ``members_by_place`` says where they are."""
    members_by_place: Mapping(Id, Count) = Field(default_factory=FrozenDict)  # type: ignore[valid-type]
    """Members at each place of home and territory, summing to ``members``."""
    weapons: Count
    """Firearms at the start: at most one per member (M3: later, weapons are bought with
    money, and no more than the members can carry)."""
    treasury: NonNegative
    """Money at the start, in the scenario's currency: it pays wages
    (``economy.wage_per_member``) and buys weapons (M3)."""
    revenue: tuple[Revenue, ...] = ()
    """The lines of business it takes money from (M3): its income, against the wages of
    its members, decides whether it can keep them (M4)."""
    traits: Traits = Field(default_factory=Traits)
    allies: tuple[Id, ...] = ()
    """Gangs allied with it at the start; alliances later form and break (M7)."""
    rivals: tuple[Id, ...] = ()
    """Gangs it has a feud with: they never ally (M7). Any two gangs not allied fight when
    they meet (M8), rivals or not."""


# --- security forces ------------------------------------------------------------------


class UnitKind(StrEnum):
    """Who the officers are. Police of every kind patrol from the start; the army and
    intelligence stay in barracks unless deployed (``posture = "deployment"``)."""

    POLICE = "police"
    LOCAL_POLICE = "local_police"
    NATIONAL_POLICE = "national_police"
    NATIONAL_GUARD = "national_guard"
    MILITARY_POLICE = "military_police"
    SPECIAL_FORCES = "special_forces"
    ARMY = "army"
    INTELLIGENCE = "intelligence"


class Posture(StrEnum):
    PATROL = "patrol"
    WITHDRAWN = "withdrawn"
    DEPLOYMENT = "deployment"
    """Troops (or any unit) deployed on the streets, patrolling whatever their kind."""


class ForceUnit(Sourced):
    """Officers of one kind stationed at one place."""

    id: Id
    place: Id
    """Where the officers are stationed: a place id."""
    unit: UnitKind
    size: Count
    """Officers (people, at any scale)."""
    posture: Posture = Posture.PATROL
    """``patrol``: police of every kind patrol, the army and intelligence stay in
    barracks; ``withdrawn``: in barracks whatever the kind; ``deployment``: on the
    streets whatever the kind."""
    corruptibility: Probability = 0.0
    """Share of the unit open to ties with gangs: a gang with ``police_ties`` whose home
    is this place buys impunity from arrests in proportion (M13)."""
    use_of_force: Annotated[Number, Field(ge=0.0, le=MAX_FORCE)] = 1.0
    """How readily the unit's officers open fire, relative to routine policing (M22): a
    special-forces unit or a deployment may shoot more readily than the local police."""


class FacilityKind(StrEnum):
    POLICE_STATION = "police_station"
    POLICE_HQ = "police_hq"
    INTELLIGENCE_HQ = "intelligence_hq"
    BARRACKS = "barracks"
    PRISON = "prison"


class Facility(Sourced):
    """A building of the state that gangs can attack (M10)."""

    id: Id
    name: str
    place: Id
    """The place it stands in (often a place of kind ``facility``)."""
    kind: FacilityKind


class Forces(Frozen):
    units: tuple[ForceUnit, ...] = ()
    facilities: tuple[Facility, ...] = ()


# --- context: what drives the case besides the state (M19) ----------------------------


class Driver(StrEnum):
    """What a context series measures, and so which mechanisms read it."""

    EMIGRATION = "emigration"
    """People of the country living abroad (a stock): those who left since the start are
    taken out of the places, mostly young (M19)."""
    ECONOMY = "economy"
    """An index of real income (GDP per head, real wages): illicit takings move with it
    (M3, M18). Only its ratio to the start's value is read."""
    HARDSHIP = "hardship"
    """The share of residents in hardship (income poverty), 0 to 1: residents enter or
    leave hardship to follow it, so the pool of young recruits grows or thins, and the
    armed youths a place's loot supports move with it (M19, M4, M18). Its value at the
    start replaces ``demography.hardship_share``."""


class Series(Sourced):
    """A dated series of the context, one value a year (read at mid-year, linearly in
    between, held flat before the first year and after the last)."""

    id: Id
    driver: Driver
    """What the series measures, and so which mechanisms read it: ``emigration`` (people
    of the country living abroad), ``economy`` (an index of real income: only its ratio
    to the start's value is read) or ``hardship`` (the share of residents in income
    poverty, 0 to 1)."""
    unit: str
    """What the values count, in words."""
    years: tuple[Annotated[Whole, Field(ge=1900, le=2100)], ...] = Field(min_length=1)
    """The years of the values, in increasing order."""
    values: tuple[NonNegative, ...] = Field(min_length=1)
    """One value per year."""

    def at(self, day: dt.date) -> float:
        """The series on ``day``: each year's value stands at mid-year, linear in between
        (flat before the first year and after the last)."""
        import numpy as np  # the schema is read without the engine's arrays otherwise

        when = day.year + (day.timetuple().tm_yday - 0.5) / 365.25
        return float(np.interp(when, np.asarray(self.years) + 0.5, self.values))

    @model_validator(mode="after")
    def _check(self) -> Series:
        if len(self.values) != len(self.years):
            found = Said(f"{len(self.values)} values")
            raise invalid("values", found, f"one value per year ({len(self.years)})")
        if any(b <= a for a, b in zip(self.years, self.years[1:], strict=False)):
            raise invalid("years", list(self.years), "years in increasing order, each once")
        if self.driver == Driver.ECONOMY and min(self.values) <= 0:
            raise invalid("values", list(self.values), "an index above 0 in every year")
        if self.driver == Driver.HARDSHIP and not all(0 < v < 1 for v in self.values):
            raise invalid(
                "values", list(self.values), "a share of residents between 0 and 1 in every year"
            )
        return self


# --- schedule: the state's deliberate decisions ---------------------------------------


class Condition(StrEnum):
    LAY_DOWN_WEAPONS = "lay_down_weapons"
    KEEP_PEACE = "keep_peace"
    STOP_ILLEGAL_ACTIVITY = "stop_illegal_activity"
    SPARE_OFFICIALS = "spare_officials"


class Sanction(StrEnum):
    NONE = "none"
    SUSPEND_AID = "suspend_aid"
    END_ZONE = "end_zone"


class ZoneTerms(Frozen):
    """The pact of a peace zone (M1, M2)."""

    suspend_police: Flag = True
    """The police leave the zone's places while it lasts (M1)."""
    aid_per_week: NonNegative = 0.0
    """Money the state hands the zone each week; its gangs divert part of it
    (``pact.aid_diversion_share``) and hand some out to buy loyalty (M1, M5)."""
    conditions: tuple[Condition, ...] = ()
    """What the gangs promise: each one they may keep or break, weighing what it is worth
    against what keeping it costs them (M1, M20); a breach can be seen by ``monitoring``."""
    monitoring: Probability = 0.0
    """Chance per week that the state checks the conditions and sees a breach."""
    pursuit_turn_back: Probability | None = Field(
        None, json_schema_extra={"left_out": "`1.0` where `suspend_police`, else `0.0`"}
    )
    """Chance that a pursuit of a zone gang turns back at the zone border (M2). If left
    out: 1 where the police are suspended (the zone is a haven), 0 where they stay (a pact
    that keeps them, such as a demobilisation deal)."""
    recall_incursions: Flag | None = Field(
        None, json_schema_extra={"left_out": "`suspend_police`'s value"}
    )
    """Security forces that venture into the zone after suspects are called back (M2). If
    left out: where the police are suspended, and not where they stay."""
    sanction: Sanction = Sanction.NONE
    """What a breach seen by ``monitoring`` costs the gangs: nothing, the zone's aid, or
    the zone."""

    @model_validator(mode="after")
    def _haven_if_suspended(self) -> ZoneTerms:
        if self.pursuit_turn_back is None:
            object.__setattr__(self, "pursuit_turn_back", 1.0 if self.suspend_police else 0.0)
        if self.recall_incursions is None:
            object.__setattr__(self, "recall_incursions", self.suspend_police)
        return self


class Targeting(StrEnum):
    AREA = "area"
    VIOLENT_GANGS = "violent_gangs"
    LEADERS = "leaders"


class LeaderMode(StrEnum):
    CAPTURE = "capture"
    KILL = "kill"
    EXTRADITE = "extradite"


class Decision(Sourced):
    """A dated decision of the state: ``action`` says which, and each action has its own
    settings."""

    date: Date
    id: Id | None = None
    """Names the decision, so that a later ``end`` decision can end it."""
    program: Id | None = None
    """The policy programme the decision belongs to (say ``peace_zones``), so that a policy
    can remove a whole programme: its zones and the decisions that went with them."""


def weeks_between(start: dt.date, stop: dt.date) -> int:
    """The whole weeks from ``start`` to ``stop``, at least one: how long a decision dated
    ``start`` lasts when it is to end by ``stop``."""
    return max(1, (stop - start).days // 7)


class Lasting(Decision):
    """A decision that lasts a time, given as ``weeks`` or as ``until`` a date."""

    weeks: PositiveCount | None = Field(
        None, json_schema_extra={"left_out": "*required* unless `until` is given"}
    )
    """How long it lasts, in weeks: this or ``until`` is required. An ``end`` decision
    can end it sooner."""
    until: Date | None = Field(None, json_schema_extra={"left_out": "none: `weeks` says"})
    """The day it is to end by, instead of ``weeks``: it lasts the whole weeks from its
    date to this one."""

    @model_validator(mode="after")
    def _how_long(self) -> Lasting:
        if self.weeks is None and self.until is None:
            raise invalid("weeks", Said("neither weeks nor until"), "weeks or until, one of them")
        if self.until is None:
            return self
        weeks = weeks_between(self.date, self.until)  # checks.py refuses an until too early
        if self.weeks is not None and self.weeks != weeks and self.until > self.date:
            found = Said(f"weeks = {self.weeks} and until = {self.until.isoformat()}")
            expected = f"one of them (until {self.until.isoformat()} is {weeks} weeks)"
            raise invalid("until", found, expected)
        if self.weeks is None:
            object.__setattr__(self, "weeks", weeks)  # what the engine reads
        return self


class DeclareZone(Decision):
    action: Literal["declare_zone"]
    zone: Id
    places: tuple[Id, ...] = Field(min_length=1)
    terms: ZoneTerms = Field(default_factory=ZoneTerms)
    until: Date | None = None
    """Planned end; the zone may end earlier by an ``end_zone`` decision or by doctrine."""


class EndZone(Decision):
    action: Literal["end_zone"]
    zone: Id


class Crackdown(Lasting):
    """A campaign of lethal raids on poor neighbourhoods (M11)."""

    action: Literal["crackdown"]
    name: str
    """The campaign's name, as the chronicle writes it."""
    places: tuple[Id, ...] = Field(min_length=1)
    officers: PositiveCount
    lethality: Probability
    """Share of armed confrontations in a raid that end in a death."""
    targeting: Targeting = Targeting.AREA
    """``area``: raids on the places at large; ``violent_gangs``: the force goes after the
    gangs with the most killings; ``leaders``: it hunts their leaders (M11)."""


class Patrol(Decision):
    """The officers patrolling some places, raised or cut from this date."""

    action: Literal["patrol"]
    places: tuple[Id, ...] = Field(min_length=1)
    level: NonNegative
    """Multiplier on the officers present at the start (1 keeps them, 0 withdraws all)."""


class HotPursuit(Decision):
    action: Literal["hot_pursuit"]
    zones: tuple[Id, ...] = ()
    """Zones the rule applies to; empty means every zone."""
    turn_back: Probability
    """Chance that a pursuit of a zone gang turns back at the zone's border (M2)."""


class Truce(Lasting):
    """A truce between gangs, brokered by the state: they stop their clashes while it
    lasts (M8)."""

    action: Literal["truce"]
    gangs: tuple[Id, ...] = Field(min_length=2)
    aid_per_week: NonNegative = 0.0
    """Money the state pays the truce's gangs each week while it holds, in proportion to
    their members (M1)."""


class TargetLeader(Lasting):
    """A manhunt for a gang's leader, whose success is left to chance (M10, M15)."""

    action: Literal["target_leader"]
    gang: Id
    mode: LeaderMode = LeaderMode.CAPTURE
    """What the hunt wants: the leader jailed (``capture``), dead (``kill``) or sent
    abroad (``extradite``); the chronicle says which."""
    officers: PositiveCount


class Occupation(Lasting):
    """Officers stationed in places for a time, raiding the gangs there (M11)."""

    action: Literal["occupation"]
    places: tuple[Id, ...] = Field(min_length=1)
    officers: PositiveCount
    proximity_policing: Flag = True
    """The occupiers police by proximity: residents' trust grows, and with it their tips,
    arrests and refusal to join (M16)."""


class CollusionTolerance(Decision):
    action: Literal["collusion_tolerance"]
    level: Probability
    """1 tolerates every tie between local forces and gangs; 0 purges them."""


class UseOfForce(Decision):
    """How readily the security forces open fire, from this date (M22): a posture such
    as a shoot-first campaign. It multiplies the confrontations between officers and
    armed people in the places named (every place if none)."""

    action: Literal["use_of_force"]
    name: str
    """The posture's name (the OLP, the FAES), as the chronicle writes it."""
    places: tuple[Id, ...] = ()
    level: Annotated[Number, Field(ge=0.0, le=MAX_FORCE)]
    """Confrontations relative to routine policing (1 is routine; 0 never opens fire)."""
    until: Date | None = None
    """When the posture ends and routine policing returns; none: it lasts."""


class ConditionalRepression(Decision):
    action: Literal["conditional_repression"]
    officers_per_killing: NonNegative
    """Officers sent against a gang for each homicide it committed in the last weeks."""
    weeks: PositiveCount


class End(Decision):
    """Ends an earlier decision, named by its ``id``, on this date: a zone, crackdown,
    occupation, leader hunt, truce, posture, patrol level, pursuit rule, collusion
    tolerance or conditional repression; what it set returns to what it was before."""

    action: Literal["end"]
    decision: Id
    """The ``id`` of the decision it ends."""


class RemoveLeader(Decision):
    """A gang's leader removed on a known date (a capture, a killing, an extradition), as
    distinct from ``target_leader``, a hunt whose success is left to chance. The gang's
    succession follows as for any leader lost (M15)."""

    action: Literal["remove_leader"]
    gang: Id
    mode: LeaderMode


DECISIONS: tuple[type[Decision], ...] = (
    DeclareZone,
    EndZone,
    Crackdown,
    Patrol,
    HotPursuit,
    Truce,
    TargetLeader,
    Occupation,
    CollusionTolerance,
    ConditionalRepression,
    UseOfForce,
    End,
    RemoveLeader,
)
ENDLESS = ("end", "end_zone", "remove_leader")
"""Actions that an ``end`` decision cannot end: they last no time."""
DECISION_TYPES: dict[str, type[Decision]] = {
    get_args(cls.model_fields["action"].annotation)[0]: cls for cls in DECISIONS
}
"""Each decision class by its ``action`` tag."""

DecisionUnion = Annotated[Union[DECISIONS], Field(discriminator="action")]  # noqa: UP007


# --- doctrine: the state's reaction rules ---------------------------------------------


class Trigger(StrEnum):
    OFFICIAL_KILLED = "official_killed"
    SENIOR_OFFICIAL_KILLED = "senior_official_killed"
    FACILITY_ATTACK = "facility_attack"
    EXPANSION_BEYOND_ZONE = "expansion_beyond_zone"
    VISIBLE_VIOLENCE = "visible_violence"


class Response(StrEnum):
    NONE = "none"
    DELEGATE = "delegate"
    TARGETED_OPERATION = "targeted_operation"
    OFFENSIVE = "offensive"


class Rule(Sourced):
    """When ``trigger`` reaches ``threshold`` within ``window_weeks``, respond (M10, M17)."""

    id: Id
    trigger: Trigger
    """The offence the rule counts (``visible_violence``: killings per 100,000 residents a
    year at a place, the rule's ``threshold`` being that rate)."""
    threshold: Positive = 1.0
    """Offences within the window (or the rate, for visible violence) past which the state
    weighs an answer (M17, M20)."""
    window_weeks: PositiveCount = 4
    """The weeks over which offences are counted."""
    response: Response
    """``none``: the offences pass; ``delegate``: the state waits for a pact's dominant
    gang to punish the offender, and acts if it does not (M9); ``targeted_operation``: a
    raid on the gang's home; ``offensive``: on every place it holds or is in."""
    officers: Count = 0
    """Officers sent."""
    weeks: Count = 0
    """How long the answer lasts."""
    ends_zone: Flag = False
    """The answer ends the gang's peace zone."""
    leader_mode: LeaderMode | None = None
    """A manhunt: the operation hunts the gang's leader, wanted jailed (capture), dead
    (kill) or extradited, with the focus of a ``target_leader`` decision."""

    @model_validator(mode="after")
    def _an_answer(self) -> Rule:
        sends = self.response in (Response.TARGETED_OPERATION, Response.OFFENSIVE)
        if sends and (self.officers <= 0 or self.weeks <= 0):
            found = Said(
                f"{self.response.value} with officers = {self.officers}, weeks = {self.weeks}"
            )
            expected = "officers and weeks above 0 (response = 'none' lets offences pass)"
            raise invalid("response", found, expected)
        if self.response != Response.NONE:
            return self
        said = [
            f"{name} = {show_value(value)}"
            for name, value, idle in (
                ("officers", self.officers, 0),
                ("weeks", self.weeks, 0),
                ("ends_zone", self.ends_zone, False),
                ("leader_mode", self.leader_mode, None),
            )
            if value != idle
        ]
        if said:
            found = Said(f"response = 'none' with {', '.join(said)}")
            expected = (
                "no officers, weeks, ends_zone or leader_mode for a rule that answers nothing"
            )
            raise invalid("response", found, expected)
        return self


class Doctrine(Frozen):
    rules: tuple[Rule, ...] = ()


# --- parameters and observations ------------------------------------------------------


class Parameter(Frozen):
    """One model parameter with its unit, plausible range and evidence."""

    value: Number
    unit: str
    """What the value counts, in words."""
    range: tuple[Number, Number]
    """The plausible range, lowest first: the value must lie in it, and sensitivity
    analyses sample within it."""
    description: str = ""
    """What the parameter does, in words (optional)."""
    source: tuple[Id, ...] = Field(default=(), validation_alias=SOURCES)
    """The sources that give the value (ids of ``[sources]``); or else ``assumed``."""
    assumed: str = ""
    """Why the value, where no source gives it: what it rests on and, where it was set to
    reach a figure, which observation or pattern (marked ``fit``)."""
    range_reason: str = ""
    """Why the range is wider than the one inherited (``[parameters] from``)."""
    inherited: str = ""
    """Set when loading: the scenario this parameter was taken from, unchanged."""

    @model_validator(mode="after")
    def _check(self) -> Parameter:
        low, high = self.range
        if low > high:
            raise invalid("range", list(self.range), "[low, high] with low <= high")
        if not low <= self.value <= high:
            raise invalid("value", self.value, f"a value within its range [{low}, {high}]")
        if bool(self.source) == bool(self.assumed.strip()):
            found = Said(
                "both sources and assumed" if self.source else "neither sources nor assumed"
            )
            expected = "one of them: sources = [ids] or assumed = 'reason'"
            raise invalid("sources", found, expected)
        return self


Year = Annotated[Whole, Field(ge=1900, le=2100)]
Role = Literal["fit", "check"]
"""``fit``: a parameter was set to reach this target (and names it in its evidence);
``check``: nothing was tuned to it, so agreement is evidence."""
ALL_PLACES = "all"


class Observation(Frozen):
    """A figure the model is compared with (validation data), with its source.

    ``variable`` is any output of the model (see docs/ODD.md, "Validation"), read over
    ``area`` (a region, ``all`` places or the scenario's country) or over ``places``, for
    one ``year``; gang variables may be narrowed to ``gangs``. The model's mean over the
    replicates passes when it lies within ``tolerance`` (a share of ``value``) of it.
    ``trend`` also checks that the model moves the same way as the observed figures since
    the previous year observed of the same variable and area.
    """

    variable: str
    area: str = ALL_PLACES
    places: tuple[Id, ...] = ()
    gangs: tuple[Id, ...] = ()
    year: Year
    value: Annotated[Number, Field(ge=0.0)]
    """A count, a rate or a share: never below 0."""
    tolerance: Annotated[Number, Field(gt=0.0, le=10.0)] = 0.25
    """How far the model's mean may lie from ``value``, as a share of it."""
    trend: Flag = False
    """Also check the direction of change since the previous year observed."""
    role: Role = "check"
    """``fit``: a parameter was set to reach this figure (and names it in its evidence);
    ``check``: nothing was tuned to it, so agreement is evidence."""
    unit: str = ""
    source: tuple[Id, ...] = Field(min_length=1, validation_alias=SOURCES)
    notes: str = ""

    def label(self) -> str:
        """A short name for tables: variable, where, year."""
        where = ", ".join(self.places) if self.places else self.area
        who = f" [{', '.join(self.gangs)}]" if self.gangs else ""
        return f"{self.variable}{who} {where} {self.year}"


# --- patterns: what the model must reproduce (validation) -----------------------------

FACTION, NEW_GANG = "faction_", "new_gang_"
"""How the gangs that may form during a run are named (M21): ``faction_1``, ``faction_2``,
... and ``new_gang_1``, ``new_gang_2``, ...; a scenario's own gangs may not take such ids."""

MECHANISMS = (
    "schedule",
    "context",
    "policing",
    "pact",
    "economy",
    "recruitment",
    "governance",
    "spillover",
    "expansion",
    "conflict",
    "local_groups",
    "pax",
    "retaliation",
    "crackdown",
    "force",
    "jail",
    "leaders",
    "factions",
    "residents",
    "doctrine",
    "impunity",
    "politics",
    "collusion",
    "terrain",
)
"""The mechanisms that can be switched off by name (``[engine] mechanisms_off``)."""
Mechanism = Literal[MECHANISMS]  # type: ignore[valid-type]


class Engine(Frozen):
    """Options of the engine for runs of this scenario."""

    mechanisms_off: tuple[Mechanism, ...] = ()  # type: ignore[valid-type]
    """Mechanisms switched off (ablation): a step mechanism does nothing, a modifier
    (impunity, politics, collusion, terrain) has no effect. docs/ODD.md lists them."""


Years = tuple[Year, Year]
GangAs = Literal["actor", "target", "either"]


class Measure(Frozen):
    """One number per run: a series variable or a count of events, over a window.

    Exactly one of ``variable`` and ``events``. ``how`` for a variable: ``total`` (sum over
    the steps), ``mean`` (mean over the steps), ``last`` (at the window's last step),
    ``growth`` (log growth of the yearly mean from the window's first year to its last),
    ``rate`` (total per 100,000 residents of the places per year); for events: ``count``
    (the sum of their counts: people killed, officers sent) or ``number`` (how many).
    ``per`` divides by a second measure (a ratio, such as arrests per crime).
    """

    variable: str = ""
    events: tuple[str, ...] = ()
    how: Literal["total", "mean", "last", "growth", "rate", "count", "number"] = "total"
    gangs: tuple[Id, ...] = ()
    gang_as: GangAs = "either"
    """For events: whether the gangs must be the actor, the target, or either."""
    places: tuple[Id, ...] = ()
    region: str = ""
    years: Years | None = None
    per: Measure | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Measure:
        if bool(self.variable) == bool(self.events):
            found = Said(
                "both a variable and events" if self.variable else "neither a variable nor events"
            )
            raise invalid("variable", found, "either variable = '...' or events = [...]")
        counting = self.how in ("count", "number")
        if self.events and not counting:
            raise invalid("how", self.how, "'count' or 'number' for events")
        if self.variable and counting:
            expected = "'total', 'mean', 'last', 'growth' or 'rate' for a variable"
            raise invalid("how", self.how, expected)
        if self.years and self.years[0] > self.years[1]:
            raise invalid("years", list(self.years), "[first, last] with first <= last")
        return self


class Step(Frozen):
    """Events of one of ``events``, for the gang the pattern follows (as actor or target;
    ``any``: events of no gang in particular, such as a zone's end), at ``places``, in
    ``years``, with a count of at least ``min_count``, within ``within_weeks`` of the step
    before (any time after it when not given); ``in_zone`` asks for places under an active
    peace zone at the time."""

    events: tuple[str, ...] = Field(min_length=1)
    gang_as: Literal["actor", "target", "any"] = "actor"
    places: tuple[Id, ...] = ()
    years: Years | None = None
    min_count: NonNegative = 0.0
    within_weeks: PositiveCount | None = None
    in_zone: Flag = False


class Reply(Frozen):
    """What may follow a case: events of one of ``events`` whose actor or target is the
    case's gang."""

    label: str
    events: tuple[str, ...] = Field(min_length=1)
    gang_as: Literal["actor", "target"] = "target"


class PatternBase(Frozen):
    """What every pattern says: which mechanisms it is evidence for, and its evidence."""

    id: Id
    title: str
    mechanisms: tuple[Mechanism, ...] = Field(min_length=1)  # type: ignore[valid-type]
    """The mechanisms the pattern is evidence for: `validate` runs its arms again with
    each of them switched off, and a pattern that still passes is not evidence."""
    role: Role = "check"
    """``fit``: a parameter was set to reach it; ``check``: nothing was tuned to it."""
    source: tuple[Id, ...] = Field(min_length=1, validation_alias=SOURCES)
    seed_lines: tuple[str, ...] = ()
    """The lines of the source documents that the pattern stands for, quoted."""
    notes: str = ""
    replicate_factor: Annotated[int, Field(ge=1, le=20)] = 1
    """The pattern's arms (and their ablations) run this many times the validation's
    replicates: for a trigger so rare that its cases, pooled over runs, need more runs
    than the other patterns do. The other patterns reading the same arm see its extra
    runs too."""


Arm = str
"""``historical``, a built-in policy's name, or ``without:TRAIT`` (a gang trait switched
off for every gang)."""
Sign = Literal["higher", "lower", "not_lower", "not_higher"]


class Difference(PatternBase):
    """The paired difference of a measure between two arms (the first minus the second):
    passes when its 95% interval lies on the expected side of zero (``higher``, ``lower``),
    or does not lie on the other side (``not_lower``, ``not_higher``)."""

    statistic: Literal["difference"]
    arms: tuple[Arm, Arm]
    """The two arms compared, run on the same random numbers: ``historical``, a
    built-in policy's name, or ``without:TRAIT`` (a gang trait switched off)."""
    measure: Measure
    expect: Sign


class Bounded(PatternBase):
    """A statistic in one arm compared with bounds: passes when above ``above`` and below
    ``below`` (either may be left out)."""

    arm: Arm = "historical"
    """The arm read: ``historical``, a built-in policy's name, or ``without:TRAIT``."""
    above: Number | None = None
    """The statistic must lie above this (left out: no lower bound)."""
    below: Number | None = None
    """The statistic must lie below this (left out: no upper bound)."""

    @model_validator(mode="after")
    def _a_bound(self) -> Bounded:
        if self.above is None and self.below is None and self._needs_bound():
            raise invalid("above", Said("no bound"), "above = ... or below = ... (or both)")
        return self

    def _needs_bound(self) -> bool:
        return True


class Sequence(Bounded):
    """The share of runs in which the steps happen in order, each for the same gang (one
    of ``gangs``, any when empty): passes when the share is above/below the bounds."""

    statistic: Literal["sequence"]
    gangs: tuple[Id, ...] = ()
    steps: tuple[Step, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _first_step_free(self) -> Sequence:
        if self.steps[0].within_weeks is not None:
            found = Said(f"within_weeks = {self.steps[0].within_weeks} in the first step")
            expected = "within_weeks from the second step on: the first has no step before it"
            raise invalid("steps", found, expected)
        return self


class Level(Bounded):
    """A measure's mean over the arm's runs: passes when its 95% interval lies within the
    bounds."""

    statistic: Literal["level"]
    measure: Measure


class Change(PatternBase):
    """The change of a measure between two years within each run (the second minus the
    first): passes when its 95% interval lies on the expected side of zero."""

    statistic: Literal["change"]
    arm: Arm = "historical"
    measure: Measure
    years: Years
    expect: Sign

    @model_validator(mode="after")
    def _years_here(self) -> Change:
        if self.measure.years is not None:
            expected = "no years in the measure: a change reads it in each of its years = [...]"
            raise invalid("measure", Said(f"years = {list(self.measure.years)}"), expected)
        return self


class DeathShare(Bounded):
    """The share of violent deaths of the ``types`` given (say homicides_by_police) over
    ``places`` or ``region`` in ``years``: passes when its 95% interval lies within the
    bounds."""

    statistic: Literal["death_share"]
    types: tuple[str, ...] = Field(min_length=1)
    places: tuple[Id, ...] = ()
    region: str = ""
    years: Years | None = None


class EventCount(Bounded):
    """The number (or summed count) of events per run: passes when its 95% interval lies
    within the bounds."""

    statistic: Literal["event_count"]
    measure: Measure

    @model_validator(mode="after")
    def _events(self) -> EventCount:
        if self.measure.variable:
            found = Said(f"variable = '{self.measure.variable}'")
            expected = "events = [...]: an event count counts events (a level reads a variable)"
            raise invalid("measure", found, expected)
        return self


class Cases(Bounded):
    """Cases pooled over the arm's runs: each event matching ``trigger``, and what
    followed it within ``within_weeks`` for its gang.

    With two ``replies``, passes when the first follows more cases than the second; with
    one, when the share of cases it follows is within the bounds; with ``variable`` (a
    gang variable, such as members), when the mean relative change of the gang's value
    over the weeks lies within the bounds. Fewer than ``min_cases`` cases: too few to
    judge, and so not a pass.
    """

    statistic: Literal["cases"]
    gangs: tuple[Id, ...] = ()
    """Whose events are cases (any gang when empty)."""
    trigger: Step
    replies: tuple[Reply, ...] = Field(default=(), max_length=2)
    variable: str = ""
    within_weeks: PositiveCount
    min_cases: PositiveCount = 10
    led: Flag = False
    """Only cases whose gang had its leader free and in command the week before: a gang
    whose leader is already dead, jailed or in flight cannot lose him."""

    def _needs_bound(self) -> bool:
        return len(self.replies) != 2

    @model_validator(mode="after")
    def _one_outcome(self) -> Cases:
        if self.trigger.gang_as == "any":
            raise invalid(
                "trigger", Said("gang_as = 'any'"), "a trigger whose actor or target is a gang"
            )
        if self.trigger.within_weeks is not None:
            found = Said(f"within_weeks = {self.trigger.within_weeks} in the trigger")
            expected = (
                "within_weeks on the pattern only: a case has nothing before it to count from"
            )
            raise invalid("trigger", found, expected)
        if bool(self.replies) == bool(self.variable):
            found = Said(
                "both replies and a variable" if self.variable else "neither replies nor a variable"
            )
            raise invalid("replies", found, "either replies = [...] or variable = '...'")
        return self


PATTERNS_BY_STATISTIC: dict[str, type[PatternBase]] = {
    "difference": Difference,
    "sequence": Sequence,
    "level": Level,
    "change": Change,
    "death_share": DeathShare,
    "event_count": EventCount,
    "cases": Cases,
}
Pattern = Annotated[
    Union[Difference, Sequence, Level, Change, DeathShare, EventCount, Cases],  # noqa: UP007
    Field(discriminator="statistic"),
]


# --- the scenario ---------------------------------------------------------------------


class Scenario(Frozen):
    """A whole case: world, schedule, doctrine, parameters and their sources."""

    meta: Meta
    sources: Mapping(Id, Annotated[str, Field(min_length=1)]) = Field(default_factory=FrozenDict)  # type: ignore[valid-type]
    places: tuple[Place, ...] = Field(min_length=1)
    edges: tuple[Edge, ...] = ()
    gangs: tuple[Gang, ...] = ()
    forces: Forces = Field(default_factory=Forces)
    context: tuple[Series, ...] = ()
    schedule: tuple[DecisionUnion, ...] = ()
    doctrine: Doctrine = Field(default_factory=Doctrine)
    parameters: Mapping(Id, Mapping(Id, Parameter)) = Field(default_factory=FrozenDict)  # type: ignore[valid-type]
    observations: tuple[Observation, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    engine: Engine = Field(default_factory=Engine)

    def place(self, place_id: str) -> Place:
        """The place with this id (KeyError if none)."""
        for place in self.places:
            if place.id == place_id:
                return place
        raise KeyError(place_id)

    def gang(self, gang_id: str) -> Gang:
        """The gang with this id (KeyError if none)."""
        for gang in self.gangs:
            if gang.id == gang_id:
                return gang
        raise KeyError(gang_id)

    def pattern(self, pattern_id: str) -> PatternBase:
        """The pattern with this id (KeyError if none)."""
        for pattern in self.patterns:
            if pattern.id == pattern_id:
                return pattern
        raise KeyError(pattern_id)

    def param(self, group: str, name: str) -> float:
        """The value of parameter ``group.name``."""
        return self.parameters[group][name].value

    def digest(self) -> str:
        """A stable hash of the scenario's content, stored with every result."""
        payload = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]
