"""What a report needs to know beyond the tables: the scenario's places, gangs and
decisions, and what was run (policy, command). Kept beside the results as report.json, so
that ``peacezones report DIR`` can rebuild a report without the scenario file."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from ..engine.world import gang_slots
from ..scenario import Scenario
from ..scenario.schema import Decision, DeclareZone
from .chronicle import Names

FILE = "report.json"


@dataclass(frozen=True)
class Context:
    """The scenario as a report shows it, and what the command was."""

    command: str  # run, compare or validate
    scenario: dict
    places: list[dict]
    gangs: list[dict]
    decisions: list[dict]
    policies: list[str] = field(default_factory=list)
    descriptions: dict[str, str] = field(default_factory=dict)
    """What each policy does, in its own words (its ``description``)."""
    schedules: dict[str, list[dict]] = field(default_factory=dict)
    """The schedule under each later policy of a comparison (``decisions`` is the first's):
    a policy may add or drop decisions, and a decision event names its decision by its
    place in the schedule of its own run. A comparison written before they were kept has
    none, and its report shows the first policy's run only."""

    def under(self, policy: str) -> Context:
        """The same view for a run of ``policy``: its own schedule's decisions."""
        if policy in self.schedules:
            return replace(self, decisions=self.schedules[policy])
        return self

    def policy_text(self, name: str) -> str:
        """The policy's name, and what it does where it says."""
        said = self.descriptions.get(name, "")
        return f"{name}: {said}" if said else name

    @property
    def names(self) -> Names:
        return Names(
            {p["id"]: p["name"] for p in self.places},
            {g["id"]: g["name"] for g in self.gangs},
            {g["id"]: g.get("leader") or "" for g in self.gangs},
            self.decisions,
        )

    @property
    def residents(self) -> float:
        return float(sum(p["population"] for p in self.places))

    def write(self, folder: Path) -> Path:
        from ..experiments.output import _atomic

        text = json.dumps(asdict(self), indent=1, ensure_ascii=False)
        return _atomic(folder / FILE, lambda p: p.write_text(text, encoding="utf-8"))

    @classmethod
    def read(cls, path: Path) -> Context:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def context(
    scenario: Scenario,
    command: str,
    policies: list[Any],
    variants: list[Scenario] | None = None,
) -> Context:
    """The report's view of a scenario (for a batch, the scenario under its first policy);
    ``policies``: each a :class:`Policy` or a built-in policy's name; ``variants``: the
    scenario under each of them, for the decisions of each (a comparison's report shows a
    run of each policy in full)."""
    from ..experiments.policies import Policy, builtin_policies, load_policy

    chosen = [
        p if isinstance(p, Policy) else load_policy(p) if p in builtin_policies() else p
        for p in policies
    ]
    described = {p.name: " ".join(p.description.split()) for p in chosen if isinstance(p, Policy)}
    names = Names.of(scenario)
    decisions = _decisions(scenario, names)
    labels = [p.name if not isinstance(p, str) else p for p in chosen]
    return Context(
        command=command,
        scenario={
            "name": scenario.meta.name,
            "title": scenario.meta.title,
            "description": " ".join(scenario.meta.description.split()),
            "digest": scenario.digest(),
            "start": str(scenario.meta.start),
            "end": str(scenario.meta.end),
        },
        places=[
            {
                "id": p.id,
                "name": p.name,
                "region": p.region,
                "kind": p.kind.value,
                "lat": p.lat,
                "lon": p.lon,
                "population": p.population,
            }
            for p in scenario.places
        ],
        gangs=[
            {"id": g.id, "name": g.name, "leader": g.leader.alias, "home": g.home}
            for g in scenario.gangs
        ]
        + [{"id": s.id, "name": s.name, "leader": "", "home": ""} for s in gang_slots(scenario)],
        decisions=decisions,
        policies=labels,
        descriptions={k: v for k, v in described.items() if v},
        schedules={
            label: _decisions(variant, names)
            for label, variant in zip(labels[1:], (variants or [])[1:], strict=False)
        },
    )


def _decisions(scenario: Scenario, names: Names) -> list[dict]:
    """The schedule's decisions in its order (a decision event names its decision by its
    place there), with every field the chronicle's sentence reads (officers, weeks, mode,
    gangs...)."""
    zones = {
        d.zone: ", ".join(names.place(p) for p in d.places)
        for d in scenario.schedule
        if isinstance(d, DeclareZone)
    }
    return [
        {
            **d.model_dump(mode="json", exclude=EVIDENCE),
            "date": str(d.date),
            "text": describe(d, names, zones),
            "places": list(getattr(d, "places", ())),
        }
        for d in scenario.schedule
    ]


EVIDENCE = {"sources", "cite", "assumed", "notes"}
"""A decision's evidence: in the scenario, not in the report's data."""

DECISION_TEXT = {
    "declare_zone": "Peace zone declared in {where}",
    "end_zone": "Peace zone in {zone_places} ended",
    "crackdown": "{name}: {officers:,} officers in {where}",
    "patrol": "Police presence set to {level:g} times its start in {where}",
    "hot_pursuit": "Pursuits turn back at zone borders with chance {turn_back:g}",
    "truce": "Truce between {gang_names}",
    "target_leader": "{officers:,} officers sent after the leader of {gang_name}",
    "occupation": "Occupation of {where} by {officers:,} officers",
    "collusion_tolerance": "Tolerance of collusion set to {level:g}",
    "conditional_repression": "Repression conditioned on each gang's killings",
}


def describe(d: Decision, names: Names, zones: dict[str, str]) -> str:
    """A decision of the schedule in a few words; ``zones`` names each zone's places."""
    fields = d.model_dump()
    return DECISION_TEXT.get(d.action, d.action).format(
        **fields,
        where=", ".join(names.place(p) for p in fields.get("places", ())),
        zone_places=zones.get(fields.get("zone", ""), fields.get("zone", "")),
        gang_names=", ".join(names.gang(g) for g in fields.get("gangs", ())),
        gang_name=names.gang(fields.get("gang", "")),
    )
