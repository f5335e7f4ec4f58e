"""The chronicle: notable events as dated English sentences, each with its cause."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from ..scenario import Scenario

TEMPLATES = {
    "zone_declared": "The state declares a peace zone in {place}.",
    "zone_ended": "The peace zone in {place} ends.",
    "crackdown": "The state starts a crackdown in {place} with {count} officers.",
    "pact_breach_seen": "Monitors see {actor} breaking its pact.",
    "official_killed": "{actor} kills an official in {place}.",
    "senior_official_killed": "{actor} kills a senior official in {place}.",
    "punishment_massacre": "{actor} massacres {count} members of {target} in {place}.",
    "takeover_attempted": "{actor} moves {count} members into {place}{against}.",
    "takeover_won": "{actor} takes control of {place}{against}.",
    "takeover_lost": "{actor} loses its hold on {place}.",
    "alliance": "{actor} and {target} become allies.",
    "facility_attack": "{actor} attacks a state facility in {place}.",
    "targeted_operation": "The state sends {count} officers after {target}.",
    "offensive": "The state launches an offensive of {count} officers against {target}.",
    "leader_killed": "The leader of {actor} is killed.",
    "leader_jailed": "The leader of {actor} is captured.",
    "leader_fled": "The leader of {actor} flees.",
    "leader_returned": "The leader of {actor} returns.",
    "leader_succeeded": "{actor} has a new leader.",
    "gang_collapsed": "{actor} is no more.",
}
NOTABLE = tuple(TEMPLATES)
SHORT = {
    "official_killed": "an official was killed",
    "senior_official_killed": "a senior official was killed",
    "facility_attack": "a facility was attacked",
    "takeover_won": "a takeover",
    "takeover_attempted": "a takeover attempt",
    "offensive": "an offensive",
    "targeted_operation": "a targeted operation",
    "zone_declared": "the zone's declaration",
}


class Names:
    """Readable names for the ids in an events table."""

    def __init__(self, scenario: Scenario) -> None:
        self.places = {p.id: p.name for p in scenario.places}
        self.gangs = {g.id: g.name for g in scenario.gangs}

    def gang(self, gang_id: str) -> str:
        return self.gangs.get(gang_id, gang_id or "a gang")

    def place(self, place_id: str) -> str:
        return self.places.get(place_id, place_id or "somewhere")


def sentence(row: pd.Series, names: Names) -> str:
    """One event in words."""
    against = f" from {names.gang(row.target)}" if row.target else ""
    return TEMPLATES[str(row.kind)].format(
        place=names.place(row.place),
        actor=names.gang(row.actor),
        target=names.gang(row.target),
        count=f"{row['count']:,.0f}",
        against=against,
    )


def chronicle(
    events: pd.DataFrame,
    scenario: Scenario,
    kinds: tuple[str, ...] = NOTABLE,
) -> Iterator[str]:
    """Dated sentences for the notable events, each followed by what caused it."""
    names = Names(scenario)
    by_id = events.set_index("event")
    for _, row in events[events["kind"].isin(kinds)].iterrows():
        text = f"{row.date:%Y-%m-%d}  {sentence(row, names)}"
        if row.cause >= 0 and row.cause in by_id.index:
            cause = by_id.loc[row.cause]
            what = SHORT.get(str(cause.kind), str(cause.kind).replace("_", " "))
            who = f" by {names.gang(cause.actor)}" if cause.actor else ""
            text += f"  [after {what}{who} in {names.place(cause.place)}, {cause.date:%Y-%m-%d}]"
        yield text
