"""Events: typed, dated records with actors and the event that caused them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd

NO_CAUSE = -1
NOBODY = -1


class Kind(StrEnum):
    """Every kind of event the model emits."""

    HOMICIDE_GANG_ON_GANG = "homicide_gang_on_gang"
    HOMICIDE_GANG_ON_CIVILIAN = "homicide_gang_on_civilian"
    HOMICIDE_BY_POLICE = "homicide_by_police"
    HOMICIDE_OTHER = "homicide_other"
    OFFICIAL_KILLED = "official_killed"
    SENIOR_OFFICIAL_KILLED = "senior_official_killed"
    ARREST = "arrest"
    RECRUITMENT = "recruitment"
    DESERTION = "desertion"
    EXTORTION = "extortion"
    KIDNAPPING = "kidnapping"
    HIGHWAY_ROBBERY = "highway_robbery"
    CRIME_OUTSIDE_ZONE = "crime_outside_zone"
    EXPULSION = "expulsion"
    DISPLACEMENT = "displacement"
    AID_DIVERTED = "aid_diverted"
    PACT_BREACH_SEEN = "pact_breach_seen"
    PURSUIT_ABANDONED = "pursuit_abandoned"
    PURSUIT_ARREST = "pursuit_arrest"
    INCURSION_RECALLED = "incursion_recalled"
    TAKEOVER_ATTEMPTED = "takeover_attempted"
    TAKEOVER_WON = "takeover_won"
    TAKEOVER_LOST = "takeover_lost"
    ALLIANCE = "alliance"
    CLASH = "clash"
    PUNISHMENT_MASSACRE = "punishment_massacre"
    FACILITY_ATTACK = "facility_attack"
    TARGETED_OPERATION = "targeted_operation"
    OFFENSIVE = "offensive"
    OPERATION_ENDED = "operation_ended"
    CRACKDOWN = "crackdown"
    ZONE_DECLARED = "zone_declared"
    ZONE_ENDED = "zone_ended"
    LEADER_KILLED = "leader_killed"
    LEADER_JAILED = "leader_jailed"
    LEADER_FLED = "leader_fled"
    LEADER_RETURNED = "leader_returned"
    LEADER_SUCCEEDED = "leader_succeeded"
    MEMBERS_RETURNED = "members_returned"
    GANG_COLLAPSED = "gang_collapsed"


KINDS = list(Kind)
KIND_CODE = {kind: i for i, kind in enumerate(KINDS)}


@dataclass
class EventLog:
    """Append-only columns of events; ``add`` returns the new event's id for causes."""

    step: list[int] = field(default_factory=list)
    kind: list[int] = field(default_factory=list)
    place: list[int] = field(default_factory=list)
    actor: list[int] = field(default_factory=list)
    target: list[int] = field(default_factory=list)
    count: list[float] = field(default_factory=list)
    cause: list[int] = field(default_factory=list)
    now: int = 0

    def add(
        self,
        kind: Kind,
        place: int = NOBODY,
        actor: int = NOBODY,
        target: int = NOBODY,
        count: float = 1.0,
        cause: int = NO_CAUSE,
    ) -> int:
        self.step.append(self.now)
        self.kind.append(KIND_CODE[kind])
        self.place.append(int(place))
        self.actor.append(int(actor))
        self.target.append(int(target))
        self.count.append(float(count))
        self.cause.append(int(cause))
        return len(self.step) - 1

    def add_counts(
        self, kind: Kind, counts: np.ndarray, actor: int = NOBODY, cause: int = NO_CAUSE
    ) -> None:
        """One event per place with a non-zero count (``counts`` indexed by place)."""
        for place in np.flatnonzero(counts):
            self.add(kind, int(place), actor, NOBODY, float(counts[place]), cause)

    def frame(self, dates: list, places: list[str], gangs: list[str]) -> pd.DataFrame:
        """The log as a table with dates, names and the id of each event's cause."""
        step = np.asarray(self.step, dtype=np.int32)
        names = np.asarray(["", *places])
        who = np.asarray(["", *gangs])
        return pd.DataFrame(
            {
                "event": np.arange(len(step), dtype=np.int64),
                "date": pd.to_datetime(np.asarray(dates)[step]) if len(step) else [],
                "step": step,
                "kind": pd.Categorical.from_codes(
                    np.asarray(self.kind, dtype=np.int16), categories=[k.value for k in KINDS]
                ),
                "place": names[np.asarray(self.place, dtype=np.int32) + 1],
                "actor": who[np.asarray(self.actor, dtype=np.int32) + 1],
                "target": who[np.asarray(self.target, dtype=np.int32) + 1],
                "count": np.asarray(self.count, dtype=np.float64),
                "cause": np.asarray(self.cause, dtype=np.int64),
            }
        )
