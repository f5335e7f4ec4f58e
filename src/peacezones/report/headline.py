"""The few numbers that say what happened in a run, and the same in sentences."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..analysis.summary import homicide_rates, member_counts
from .results import RunView


@dataclass(frozen=True)
class Headline:
    rates: pd.DataFrame  # violent deaths per 100,000 by year (rows) and type (columns)
    members: pd.DataFrame  # per gang id: start, joined, the ways out, peak, end
    held: tuple[int, int]  # places held by gangs at the start and at the end
    counts: dict[str, int]  # notable events by kind

    def cards(self) -> list[tuple[str, str, str]]:
        """(number, what it counts, detail) for the top of the report."""
        rates = self.rates["all"]
        members = self.members.sum()
        c = self.counts
        return [
            (f"{rates.mean():.0f}", "violent deaths per 100,000 a year",
             f"{rates.index[0]}: {rates.iloc[0]:.0f}, {rates.index[-1]}: {rates.iloc[-1]:.0f}"),
            (f"{members['start']:,} → {members['end']:,}", "gang members, start → end",
             f"peak of the largest gang {self.members['peak'].max():,}"),
            (f"{c['takeover_won']}", "places changing hands by force",
             f"places held by gangs: {self.held[0]} at the start, {self.held[1]} at the end"),
            (f"{c['offensive']}", "offensives by the state",
             f"{c['targeted_operation']} targeted operations, {c['crackdown']} crackdowns"),
            (f"{c['zone_declared']}", "peace zones declared",
             f"{c['zone_ended']} ended"),
        ]  # fmt: skip


KINDS = (
    "takeover_won",
    "takeover_lost",
    "offensive",
    "targeted_operation",
    "crackdown",
    "zone_declared",
    "zone_ended",
    "facility_attack",
    "official_killed",
    "senior_official_killed",
    "punishment_massacre",
    "leader_killed",
    "leader_jailed",
    "leader_extradited",
    "leader_fled",
    "leader_returned",
    "leader_released",
    "leader_handed_over",
    "gang_split",
    "gang_formed",
)


def headline(view: RunView) -> Headline:
    gangs = [g["id"] for g in view.context.gangs]
    control = view.series[view.series["variable"] == "controller"]
    first, last = control["date"].min(), control["date"].max()
    held = (
        int((control.loc[control["date"] == first, "value"] >= 0).sum()),
        int((control.loc[control["date"] == last, "value"] >= 0).sum()),
    )
    counts = view.events["kind"].value_counts()
    return Headline(
        rates=homicide_rates(view.series, view.context.residents),
        members=member_counts(view.series, gangs),
        held=held,
        counts={k: int(counts.get(k, 0)) for k in KINDS},
    )


def story(view: RunView, h: Headline) -> list[str]:
    """A few sentences a newcomer can read before the figures."""
    names = view.context.names
    rates = h.rates
    total = float(rates["all"].sum())
    local = rates["local armed groups"] if "local armed groups" in rates else rates["all"] * 0
    opening = (
        f"Violent deaths ran at {rates['all'].iloc[0]:.0f} per 100,000 residents in "
        f"{rates.index[0]} and {rates['all'].iloc[-1]:.0f} in {rates.index[-1]}"
    )
    if total > 0:
        gang_share = float((rates["gang on gang"] + rates["gang on civilian"]).sum()) / total
        police_share = float(rates["by police"].sum()) / total
        local_share = float(local.sum()) / total
        lines = [
            f"{opening}; the gangs committed {gang_share:.0%} of them, the local armed groups "
            f"{local_share:.0%} and the police {police_share:.0%}; the rest is interpersonal "
            "violence."
        ]
    else:  # nobody was killed (every mechanism off, say): no shares to give
        lines = [f"{opening}: nobody was killed."]
    m = h.members
    biggest = m["end"].idxmax()
    grew = (m["end"] - m["start"]).idxmax()
    lines.append(
        f"The largest gang at the end is {names.gang(biggest)}, with {m.loc[biggest, 'end']:,} "
        f"members (it started with {m.loc[biggest, 'start']:,}); "
        + (
            f"{names.gang(grew)} grew the most, from {m.loc[grew, 'start']:,} to "
            f"{m.loc[grew, 'end']:,}."
            if grew != biggest
            else "no gang grew more."
        )
    )
    c = h.counts
    lines.append(
        f"Gangs took {_n(c['takeover_won'], 'place')} by force and lost their hold "
        f"{_n(c['takeover_lost'], 'time')}; they held {_n(h.held[0], 'place')} at the start "
        f"and {h.held[1]} at the end."
    )
    lines.append(_state(view, c))
    return lines


def _n(count: int, noun: str) -> str:
    """A count and its noun, singular for one: "1 place", "3 places"."""
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def _state(view: RunView, c: dict[str, int]) -> str:
    names = view.context.names
    e = view.events
    targets = e.loc[e["kind"] == "offensive", "target"].value_counts()
    against = ", ".join(f"{names.gang(g)} ({n})" for g, n in targets.items())
    text = f"The state declared {_n(c['zone_declared'], 'peace zone')} and {c['zone_ended']} ended"
    if c["offensive"]:
        text += f"; it launched {_n(c['offensive'], 'offensive')}, against {against}"
    text += f", and {_n(c['targeted_operation'], 'targeted operation')}."
    leaders = [
        f"{c[k]} {k.removeprefix('leader_')}"
        for k in ("leader_killed", "leader_jailed", "leader_extradited", "leader_fled")
        if c[k]
    ]
    if leaders:
        text += " Gang leaders: " + ", ".join(leaders) + "."
    return text
